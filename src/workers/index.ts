import { type Job, UnrecoverableError, Worker } from 'bullmq';
import type { RedisOptions } from 'ioredis';
import { deliverReply } from '../inbox/deliver-reply.js';
import type { InboxDeps } from '../inbox/deps.js';
import { fetchMedia } from '../inbox/fetch-media.js';
import { createInboundIngestor } from '../inbox/ingest-message.js';
import { sweepEvents, sweepMedia, sweepOutbound, wakeSnoozed } from '../inbox/maintenance.js';
import { DESK_EVENTS_QUEUE, DESK_TIMER_QUEUE, DeskEventsJob, DeskTimerJob, INBOUND_QUEUE, InboundJob, MAINTENANCE_QUEUE, MaintenanceJob, MEDIA_QUEUE, MediaJob, OutboundJob, outboundQueueName } from '../queue/jobs.js';
import { backoffMs } from '../channels/kit/backoff.js';

/**
 * The workers of the worker role: they take jobs off the queues (`src/queue` names them and puts
 * them there) and run the use cases of `src/inbox`.
 */

export interface WorkerOptions {
  readonly connection: RedisOptions;
  readonly prefix: string;
  readonly concurrency: number;
}

const settings = { backoffStrategy: (attemptsMade: number) => backoffMs(attemptsMade) };

/**
 * A worker killed mid-job leaves the job "active" until its lock expires; BullMQ's stalled check
 * then puts it back. Short locks (renewed automatically while a job runs) make that recovery take
 * seconds, not a minute. A job that stalls is retried, not failed: it was acknowledged.
 */
const recovery = { lockDuration: 10_000, stalledInterval: 5_000, maxStalledCount: 20 };

/**
 * Inbound: jobs in progress are written to Postgres together (group commit, see
 * createInboundIngestor); each job is removed only after its message committed. `concurrency`
 * is how many jobs may wait for a batch at once, so it also bounds the batch size.
 */
export function startInboundWorker(deps: InboxDeps, options: WorkerOptions): Worker<InboundJob> {
  const maxInFlight = 4;
  const ingestor = createInboundIngestor(deps, { maxBatch: Math.max(1, Math.ceil(options.concurrency / maxInFlight)), maxInFlight });
  const worker = new Worker<InboundJob>(
    INBOUND_QUEUE,
    async (job) => {
      const parsed = InboundJob.safeParse(job.data);
      // A payload that no longer parses will never succeed; keep it in the failed set for inspection.
      if (!parsed.success) throw new UnrecoverableError(`invalid inbound job: ${parsed.error.message.slice(0, 500)}`);
      return ingestor.ingest(parsed.data);
    },
    { connection: options.connection, prefix: options.prefix, concurrency: options.concurrency, settings, ...recovery },
  );
  worker.on('failed', (job, error) => deps.logger.warn({ err: error, job: job?.id, attempts: job?.attemptsMade }, 'inbound job failed'));
  worker.on('error', (error) => deps.logger.error({ err: error }, 'inbound worker error'));
  return worker;
}

/**
 * Outbound: one worker per channel queue, so `worker.rateLimit()` after a platform 429 pauses only
 * that channel (BullMQ "Rate limiting" guide, manual rate limit).
 */
/** A limiter no platform reaches (far above any channel's send rate); it only makes a 429's pause hold. */
const UNLIMITED = { max: 1_000_000, duration: 1_000 };

export function startOutboundWorker(deps: InboxDeps, channelId: string, options: WorkerOptions): Worker<OutboundJob> {
  const rate = deps.adapters.get(channelId)?.capabilities.sendRate;
  const worker: Worker<OutboundJob> = new Worker<OutboundJob>(
    outboundQueueName(channelId),
    async (job: Job<OutboundJob>) => {
      const parsed = OutboundJob.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError('invalid outbound job');
      const attempts = job.opts.attempts ?? 1;
      const outcome = await deliverReply(deps, parsed.data.messageId, { channelId, finalAttempt: job.attemptsMade + 1 >= attempts });
      switch (outcome.kind) {
        case 'sent':
        case 'skipped':
          return outcome;
        case 'failed':
          throw new UnrecoverableError(outcome.error.message);
        case 'retry':
          if (outcome.retryAfterMs !== undefined) {
            await worker.rateLimit(outcome.retryAfterMs);
            throw Worker.RateLimitError();
          }
          throw new Error(outcome.error.message);
      }
    },
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency,
      settings,
      ...recovery,
      // BullMQ's limiter lives in Redis, so it holds across all worker processes of this channel.
      // Every channel gets one: BullMQ enforces the pause `rateLimit()` sets (a platform 429) only
      // on queues with a limiter — without it the next reply enqueued would be sent at once.
      limiter: rate ? { max: rate.max, duration: rate.perMs } : UNLIMITED,
    },
  );
  worker.on('error', (error) => deps.logger.error({ err: error, channel: channelId }, 'outbound worker error'));
  return worker;
}

/** Media: platform attachments downloaded after the message is stored, never in the webhook. */
export function startMediaWorker(deps: InboxDeps, options: WorkerOptions): Worker<MediaJob> {
  const worker = new Worker<MediaJob>(
    MEDIA_QUEUE,
    async (job) => {
      const parsed = MediaJob.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError('invalid media job');
      return fetchMedia(deps, parsed.data.attachmentId, { finalAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1) });
    },
    { connection: options.connection, prefix: options.prefix, concurrency: options.concurrency, settings, ...recovery },
  );
  worker.on('error', (error) => deps.logger.error({ err: error }, 'media worker error'));
  return worker;
}

/**
 * Desk timers (SLA due times): BullMQ delayed jobs, so nothing polls. A worker killed while it
 * holds one leaves it to the stalled check, and another worker runs it within seconds; the
 * feature decides from the stored state, so a timer run twice has its effect once.
 */
export function startDeskTimerWorker(deps: InboxDeps, run: (job: DeskTimerJob) => Promise<void>, options: WorkerOptions): Worker<DeskTimerJob> {
  const worker = new Worker<DeskTimerJob>(
    DESK_TIMER_QUEUE,
    async (job) => {
      const parsed = DeskTimerJob.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError('invalid desk timer job');
      await run(parsed.data);
    },
    { connection: options.connection, prefix: options.prefix, concurrency: options.concurrency, settings, ...recovery },
  );
  worker.on('error', (error) => deps.logger.error({ err: error }, 'desk timer worker error'));
  return worker;
}

/**
 * The desk features' reactions to committed events (acknowledgements, SLA clocks, routing), off
 * the path of the ingest that produced them. A job that fails is retried; the features decide
 * from stored state, so running a batch again has its effect once.
 */
export function startDeskEventsWorker(deps: InboxDeps, run: (job: DeskEventsJob) => Promise<void>, options: WorkerOptions): Worker<DeskEventsJob> {
  const worker = new Worker<DeskEventsJob>(
    DESK_EVENTS_QUEUE,
    async (job) => {
      const parsed = DeskEventsJob.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError('invalid desk events job');
      await run(parsed.data);
    },
    { connection: options.connection, prefix: options.prefix, concurrency: options.concurrency, settings, ...recovery },
  );
  worker.on('error', (error) => deps.logger.error({ err: error }, 'desk events worker error'));
  return worker;
}

export function startMaintenanceWorker(deps: InboxDeps, options: WorkerOptions): Worker {
  const worker = new Worker(
    MAINTENANCE_QUEUE,
    async (job) => {
      const { task } = MaintenanceJob.parse(job.data);
      switch (task) {
        case 'sweep-outbound':
          return sweepOutbound(deps);
        case 'sweep-media':
          return sweepMedia(deps);
        case 'sweep-events':
          return sweepEvents(deps);
        case 'wake-snoozed':
          return wakeSnoozed(deps);
      }
    },
    { connection: options.connection, prefix: options.prefix, concurrency: 1 },
  );
  worker.on('error', (error) => deps.logger.error({ err: error }, 'maintenance worker error'));
  return worker;
}

/** Job schedulers (DESIGN §4): idempotent upserts, so every worker process may call this. */
export async function scheduleMaintenance(deps: InboxDeps): Promise<void> {
  await deps.queues.maintenance.upsertJobScheduler('sweep-outbound', { every: 30_000 }, { name: 'sweep-outbound', data: { task: 'sweep-outbound' } });
  await deps.queues.maintenance.upsertJobScheduler('sweep-media', { every: 60_000 }, { name: 'sweep-media', data: { task: 'sweep-media' } });
  await deps.queues.maintenance.upsertJobScheduler('wake-snoozed', { every: 60_000 }, { name: 'wake-snoozed', data: { task: 'wake-snoozed' } });
  // Outbox batches left behind are found within seconds (they are handed out once stale).
  await deps.queues.maintenance.upsertJobScheduler('sweep-events', { every: 5_000 }, { name: 'sweep-events', data: { task: 'sweep-events' } });
}
