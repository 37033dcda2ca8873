import { type JobsOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { DESK_EVENTS_QUEUE, DESK_TIMER_QUEUE, type DeskEventsJob, type DeskTimerJob, INBOUND_QUEUE, type InboundJob, MAINTENANCE_QUEUE, RECORDS_QUEUE, type RecordsJob, MEDIA_QUEUE, type MediaJob, type OutboundJob, outboundQueueName, WEBHOOKS_QUEUE, type WebhookJob } from './jobs.js';

/** Inbound jobs retry for many hours (a database outage must not lose accepted messages). */
export const inboundJobOptions: JobsOptions = {
  attempts: 1_000,
  backoff: { type: 'capped' },
  removeOnComplete: true,
  removeOnFail: false,
};

export const OUTBOUND_ATTEMPTS = 8;
export const outboundJobOptions: JobsOptions = {
  attempts: OUTBOUND_ATTEMPTS,
  backoff: { type: 'capped' },
  removeOnComplete: true,
  removeOnFail: { age: 7 * 86_400 },
};

/** A desk job that cannot run (the database is down) tries again for hours; a done one leaves no trace. */
export const deskTimerJobOptions: JobsOptions = {
  attempts: 200,
  backoff: { type: 'capped' },
  removeOnComplete: true,
  removeOnFail: { age: 7 * 86_400 },
};

export interface Queues {
  readonly inbound: Queue<InboundJob>;
  readonly deskTimers: Queue<DeskTimerJob>;
  readonly deskEvents: Queue<DeskEventsJob>;
  readonly maintenance: Queue;
  readonly media: Queue<MediaJob>;
  /** Issue 17: retention runs, customers' exports and erasures. */
  readonly records: Queue<RecordsJob>;
  /** Issue 18: one job per attempt of an outbound webhook delivery (the sweep is a repeatable job here too). */
  readonly webhooks: Queue<WebhookJob>;
  outbound(channelId: string): Queue<OutboundJob>;
  close(): Promise<void>;
}

/** Producers share the fail-fast command connection (BullMQ reuses a passed ioredis instance). */
export function createQueues(connection: Redis, prefix: string, channelIds: readonly string[]): Queues {
  const inbound = new Queue<InboundJob>(INBOUND_QUEUE, { connection, prefix, defaultJobOptions: inboundJobOptions });
  const maintenance = new Queue(MAINTENANCE_QUEUE, { connection, prefix, defaultJobOptions: { removeOnComplete: true, removeOnFail: 100 } });
  const media = new Queue<MediaJob>(MEDIA_QUEUE, { connection, prefix, defaultJobOptions: { attempts: 10, backoff: { type: 'capped' }, removeOnComplete: true, removeOnFail: { age: 7 * 86_400 } } });
  const deskTimers = new Queue<DeskTimerJob>(DESK_TIMER_QUEUE, { connection, prefix, defaultJobOptions: deskTimerJobOptions });
  const deskEvents = new Queue<DeskEventsJob>(DESK_EVENTS_QUEUE, { connection, prefix, defaultJobOptions: deskTimerJobOptions });
  // A failed records job stays a week (its `records_jobs` row says why); attempts are few: each run resumes where it stopped.
  const records = new Queue<RecordsJob>(RECORDS_QUEUE, { connection, prefix, defaultJobOptions: { attempts: 5, backoff: { type: 'capped' }, removeOnComplete: true, removeOnFail: { age: 7 * 86_400 } } });
  // One attempt per job: the retry schedule lives in the delivery's row (`src/desk/webhooks/worker.ts`
  // adds the next attempt), so BullMQ's own retries only cover a worker that could not run it at all.
  const webhooks = new Queue<WebhookJob>(WEBHOOKS_QUEUE, { connection, prefix, defaultJobOptions: { attempts: 20, backoff: { type: 'capped' }, removeOnComplete: true, removeOnFail: { age: 7 * 86_400 } } });
  const outbound = new Map(
    channelIds.map((id) => [id, new Queue<OutboundJob>(outboundQueueName(id), { connection, prefix, defaultJobOptions: outboundJobOptions })]),
  );
  for (const queue of [inbound, maintenance, media, deskTimers, deskEvents, records, webhooks, ...outbound.values()]) queue.on('error', () => undefined);
  return {
    inbound,
    maintenance,
    media,
    records,
    webhooks,
    deskTimers,
    deskEvents,
    outbound(channelId) {
      const queue = outbound.get(channelId);
      if (!queue) throw new Error(`no outbound queue for channel ${channelId}`);
      return queue;
    },
    async close() {
      await Promise.all([inbound, maintenance, media, deskTimers, deskEvents, records, webhooks, ...outbound.values()].map((q) => q.close()));
    },
  };
}
