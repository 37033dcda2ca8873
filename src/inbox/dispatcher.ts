import type { Logger } from 'pino';
import type { Metrics } from '../runtime/metrics.js';
import type { Db } from '../store/database.js';
import { type OutboxBatch, removeDispatched, sweepStale } from '../store/outbox.js';
import { createEventView, type EventView, type Snapshot } from './event-view.js';

/**
 * Something that reacts to committed domain events: realtime fan-out, the desk features, outbound
 * webhooks. A batch can come again (its writer died after handing it out, or another consumer
 * failed), so a consumer must be idempotent per event id — realtime is, through Redis.
 */
export interface EventConsumer {
  readonly name: string;
  consume(batches: readonly OutboxBatch[], view: EventView): Promise<void>;
}

/**
 * The one way events leave the outbox (DESIGN §10). The process that committed a batch hands it
 * out at once (`dispatch`), with the objects it already has, and forgets the row; a batch left
 * behind — its writer killed between commit and dispatch, or a consumer failed — is taken by the
 * recovery `sweep` that every worker process runs, after `staleAfterMs`.
 */
export interface Dispatcher {
  /** Right after commit; never throws (what fails stays in the outbox for the sweep). */
  dispatch(batches: readonly (OutboxBatch | undefined)[], snapshot?: Snapshot): Promise<void>;
  /** Hands out batches older than `staleAfterMs`; returns how many were done. */
  sweep(): Promise<number>;
  /** Forgets the rows of batches already handed out (pending deletes are batched). */
  close(): Promise<void>;
}

export interface DispatcherOptions {
  readonly staleAfterMs?: number;
  /** Rows of dispatched batches are deleted together, at most this long after dispatch. */
  readonly removeAfterMs?: number;
}

/** How long a sweeper has a batch to itself; one it could not hand out is taken again after this. */
const SWEEP_LEASE_MS = 15_000;

export function createDispatcher(
  deps: { db: Db; logger: Logger; metrics: Metrics },
  consumers: readonly EventConsumer[],
  options: DispatcherOptions = {},
): Dispatcher {
  const staleAfterMs = options.staleAfterMs ?? 5_000;
  const removeAfterMs = options.removeAfterMs ?? 20;
  let pending: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  let removing: Promise<void> = Promise.resolve();

  /** Every consumer gets the batches; true when all of them took them. */
  const deliver = async (batches: readonly OutboxBatch[], view: EventView): Promise<boolean> => {
    try {
      await view.load(batches);
    } catch (error) {
      deps.logger.warn({ err: error }, 'could not read the objects of dispatched events; the outbox keeps them');
      return false;
    }
    let ok = true;
    for (const consumer of consumers) {
      try {
        await consumer.consume(batches, view);
      } catch (error) {
        ok = false;
        deps.metrics.eventConsumerFailures.inc({ consumer: consumer.name });
        deps.logger.warn({ err: error, consumer: consumer.name, batches: batches.map((b) => b.id) }, 'event consumer failed; the outbox keeps the batch');
      }
    }
    return ok;
  };

  const flush = (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    const ids = pending;
    pending = [];
    if (ids.length === 0) return removing;
    // A lost delete only means the sweep hands the batch out again, which consumers tolerate.
    removing = removing.then(() =>
      removeDispatched(deps.db, ids).catch((error: unknown) => deps.logger.warn({ err: error, count: ids.length }, 'dispatched outbox rows not deleted; the sweep will')),
    );
    return removing;
  };

  return {
    async dispatch(list, snapshot) {
      const batches = list.filter((b): b is OutboxBatch => b !== undefined && b.events.length > 0);
      if (batches.length === 0) return;
      if (!(await deliver(batches, createEventView(deps.db, snapshot)))) return;
      pending.push(...batches.map((b) => b.id));
      if (pending.length >= 500) void flush();
      else timer ??= setTimeout(() => void flush(), removeAfterMs);
    },
    async sweep() {
      const done = await sweepStale(deps.db, { olderThanMs: staleAfterMs, limit: 200, leaseMs: SWEEP_LEASE_MS }, async (batches, invalid) => {
        if (invalid > 0) deps.logger.error({ invalid }, 'outbox events that no longer parse were dropped');
        const view = createEventView(deps.db);
        const ok: string[] = [];
        // One batch at a time: a batch a consumer keeps failing on must not hold back the others.
        for (const batch of batches) if (await deliver([batch], view)) ok.push(batch.id);
        return ok;
      });
      if (done > 0) {
        deps.metrics.eventsRedelivered.inc(done);
        deps.logger.info({ batches: done }, 'outbox sweep dispatched batches left behind');
      }
      return done;
    },
    async close() {
      await flush();
    },
  };
}
