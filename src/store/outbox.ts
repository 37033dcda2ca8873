import { type RawBuilder, sql, type Transaction } from 'kysely';
import { type DispatchedEvent, DomainEvent } from '../domain/events.js';
import type { Db } from './database.js';
import type { Database } from './schema.js';

/** A database handle or an open transaction: outbox rows are written in the caller's transaction. */
export type Executor = Db | Transaction<Database>;

/** One committed transaction's events, as the dispatcher hands them out. */
export interface OutboxBatch {
  /** The outbox row; also what makes a redelivered batch recognisable downstream. */
  readonly id: string;
  readonly events: readonly DispatchedEvent[];
}

/** What caused a change, when an automation rule made it (issue 18): the rules' chain so far. */
export interface Cause {
  readonly chain: readonly string[];
}

/** The events of a change a rule made carry its chain; a person's change stays as it was. */
export const caused = <E extends DomainEvent>(events: readonly E[], cause?: Cause): E[] =>
  cause && cause.chain.length > 0 ? events.map((event) => ({ ...event, chain: [...cause.chain] })) : [...events];

/** `id` as text: Postgres returns a bigint as a string, the embedded database as a number. */
export const toBatch = (id: string | number, events: readonly DomainEvent[]): OutboxBatch => ({
  id: String(id),
  events: events.map((event, index) => ({ ...event, id: `${id}.${index}` })),
});

/**
 * The insert of one outbox row as a statement fragment, for single-statement writes (a CTE
 * `outbox as (…)` next to the change): the change and its events commit together without a
 * BEGIN/COMMIT round trip. Select `(select id from outbox_row)` to learn the row id.
 */
export function outboxInsert(events: readonly DomainEvent[]): RawBuilder<unknown> {
  return sql`insert into outbox (events) values (${JSON.stringify(events)}::jsonb) returning id`;
}

/** Appends one transaction's events in it; undefined when there are none. */
export async function appendEvents(trx: Executor, events: readonly DomainEvent[]): Promise<OutboxBatch | undefined> {
  if (events.length === 0) return undefined;
  const row = await trx.insertInto('outbox').values({ events: JSON.stringify(events) }).returning('id').executeTakeFirstOrThrow();
  return toBatch(row.id, events);
}

/** Forgets batches that every consumer has taken. */
export async function removeDispatched(db: Executor, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await sql`delete from outbox where id = any(${ids}::bigint[])`.execute(db);
}

/**
 * Recovery: batches older than `olderThanMs` (their writer died, or could not dispatch) are
 * claimed for `leaseMs` in one statement — other sweepers skip claimed rows — then handed to
 * `handle` with no transaction open, and those it reports done are deleted. A batch it could not
 * hand out, or whose sweeper died, is taken again once the claim runs out. No transaction is held
 * while consumers run: they use the database themselves, and the embedded database has one
 * connection (a sweep holding it while a consumer waits for it would wait forever).
 * Events that no longer parse are logged by the caller and dropped with their batch.
 */
export async function sweepStale(
  db: Db,
  options: { olderThanMs: number; limit: number; leaseMs: number },
  handle: (batches: OutboxBatch[], invalid: number) => Promise<readonly string[]>,
): Promise<number> {
  const { rows } = await sql<{ id: string; events: unknown }>`
    update outbox set claimed_until = now() + make_interval(secs => ${options.leaseMs / 1000})
    where id in (
      select id from outbox
      where created_at < now() - make_interval(secs => ${options.olderThanMs / 1000})
        and (claimed_until is null or claimed_until < now())
      order by id limit ${options.limit}
      for update skip locked
    )
    returning id::text as id, events`.execute(db);
  if (rows.length === 0) return 0;
  let invalid = 0;
  const batches = rows
    .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1))
    .map((row) => {
      const events = (Array.isArray(row.events) ? row.events : []).flatMap((raw: unknown) => {
        const parsed = DomainEvent.safeParse(raw);
        if (!parsed.success) invalid += 1;
        return parsed.success ? [parsed.data] : [];
      });
      return toBatch(row.id, events);
    });
  const done = await handle(batches, invalid);
  await removeDispatched(db, done);
  return done.length;
}
