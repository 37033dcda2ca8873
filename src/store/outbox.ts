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

export const toBatch = (id: string, events: readonly DomainEvent[]): OutboxBatch => ({
  id,
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
 * locked — other sweepers skip them — handed to `handle`, and those it reports done are deleted
 * in the same transaction. If the process dies meanwhile, the rows stay for the next sweep.
 * Events that no longer parse are logged by the caller and dropped with their batch.
 */
export async function sweepStale(
  db: Db,
  options: { olderThanMs: number; limit: number },
  handle: (batches: OutboxBatch[], invalid: number) => Promise<readonly string[]>,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ id: string; events: unknown }>`
      select id::text as id, events from outbox
      where created_at < now() - make_interval(secs => ${options.olderThanMs / 1000})
      order by id limit ${options.limit}
      for update skip locked`.execute(trx);
    if (rows.length === 0) return 0;
    let invalid = 0;
    const batches = rows.map((row) => {
      const events = (Array.isArray(row.events) ? row.events : []).flatMap((raw: unknown) => {
        const parsed = DomainEvent.safeParse(raw);
        if (!parsed.success) invalid += 1;
        return parsed.success ? [parsed.data] : [];
      });
      return toBatch(row.id, events);
    });
    const done = await handle(batches, invalid);
    await removeDispatched(trx, done);
    return done.length;
  });
}
