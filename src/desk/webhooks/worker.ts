import { type Job, UnrecoverableError, Worker } from 'bullmq';
import type { RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { WEBHOOKS_QUEUE, WebhookJob, webhookJobId } from '../../queue/jobs.js';
import type { Queues } from '../../queue/queues.js';
import type { Metrics } from '../../runtime/metrics.js';
import type { Db } from '../../store/database.js';
import { disableEndpoint, getEndpointRow, SealedSecretError, signingSecrets } from '../../store/webhooks.js';
import { msOf } from '../settings-types.js';
import { type AttemptResult, ATTEMPT_TIMEOUT_MS, postWebhook, webhookHeaders } from './send.js';

export interface WebhooksDeps {
  readonly db: Db;
  readonly queues: Queues;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** The server's SECRET_KEY: endpoints' secrets are sealed with it. */
  readonly secretKey: string;
  /** The `webhooks.retrySchedule` setting now: waits after each failed attempt. */
  retrySchedule(): readonly string[];
  /** Bound on one request (tests shorten it). */
  readonly timeoutMs?: number;
}

/** The body every attempt of a delivery sends: the same bytes each time (only the headers' timestamp moves). */
export const envelope = (row: { event_type: string; created_at: Date; payload: unknown }): string =>
  JSON.stringify({ type: row.event_type, timestamp: row.created_at.toISOString(), data: row.payload });

/** "27 h", "12 min", "3 s": how long a delivery kept failing, in the endpoint's disabled reason. */
export function spanText(ms: number): string {
  if (ms >= 3_600_000) return `${Math.round(ms / 3_600_000)} h`;
  if (ms >= 60_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.max(0, Math.round(ms / 1000))} s`;
}

export const describeAttempt = (result: Pick<AttemptResult, 'status' | 'error' | 'body'>): string => {
  if (result.status === null) return result.error ?? 'no answer';
  const said = result.body ? ` ${result.body.replace(/\s+/g, ' ').trim().slice(0, 120)}` : '';
  return `HTTP ${result.status}${said}${result.error ? ` (${result.error})` : ''}`;
};

/**
 * After attempt `inRound` of the current round (1 = the first) failed: how long to wait before the
 * next, or undefined when the schedule is used up (the endpoint is disabled then).
 */
export function nextDelayMs(schedule: readonly string[], inRound: number): number | undefined {
  const wait = schedule[inRound - 1];
  return wait === undefined ? undefined : msOf(wait);
}

const ok = (status: number | null): boolean => status !== null && status >= 200 && status < 300;

/**
 * One attempt of one delivery. The row decides: a job for an attempt already made (a worker killed
 * after recording it, a sweeper's re-add) only makes sure the next attempt is queued; a job whose
 * worker was killed mid-request runs again (BullMQ's stalled check) and sends again, with the same
 * `webhook-id`, so a receiver deduplicates on it.
 */
export async function runAttempt(deps: WebhooksDeps, deliveryId: string, attempt: number, now = () => new Date()): Promise<string> {
  const row = await deps.db.selectFrom('webhook_deliveries').selectAll().where('id', '=', deliveryId).executeTakeFirst();
  if (!row || row.status !== 'pending') return 'not pending';
  if (row.attempts >= attempt) {
    await queueAttempt(deps, row.id, row.attempts + 1, row.next_attempt_at);
    return 'made already';
  }
  if (row.attempts !== attempt - 1) return 'out of order';
  const endpoint = await getEndpointRow(deps.db, row.endpoint_id);
  if (!endpoint) return 'endpoint gone';
  if (!endpoint.enabled) {
    await deps.db.updateTable('webhook_deliveries').set({ status: 'failed', last_error: `endpoint disabled: ${endpoint.disabled_reason ?? ''}`.slice(0, 1000), updated_at: now() }).where('id', '=', row.id).where('status', '=', 'pending').execute();
    return 'endpoint disabled';
  }
  const body = envelope(row);
  const at = now();
  let result: AttemptResult;
  try {
    result = await postWebhook(endpoint.url, webhookHeaders(row.id, at, body, signingSecrets(endpoint, deps.secretKey, at)), body, deps.timeoutMs ?? ATTEMPT_TIMEOUT_MS);
  } catch (error) {
    if (!(error instanceof SealedSecretError)) throw error;
    result = { status: null, error: error.message, durationMs: 0, body: null };
  }
  deps.metrics.webhookAttempts.inc({ outcome: ok(result.status) ? 'ok' : result.status === null ? 'network_error' : 'http_error' });
  const finished = now();
  const common = { attempts: attempt, last_status: result.status, last_error: result.error?.slice(0, 1000) ?? null, updated_at: finished };
  const record = async (set: Record<string, unknown>): Promise<boolean> =>
    deps.db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('webhook_deliveries')
        .set({ ...common, ...set })
        .where('id', '=', row.id)
        .where('status', '=', 'pending')
        .where('attempts', '=', attempt - 1)
        .returning('id')
        .executeTakeFirst();
      // Another run recorded this attempt first (two workers after a stall): one log line per attempt made here still.
      await trx.insertInto('webhook_attempts').values({ delivery_id: row.id, http_status: result.status, error: result.error?.slice(0, 1000) ?? null, duration_ms: result.durationMs, response_body: result.body }).execute();
      return updated !== undefined;
    });

  if (ok(result.status)) {
    if (await record({ status: 'succeeded', delivered_at: finished, last_error: null })) deps.metrics.webhookDeliveries.inc({ outcome: 'succeeded' });
    return 'succeeded';
  }
  if (result.status === 410) {
    if (await record({ status: 'failed' })) {
      deps.metrics.webhookDeliveries.inc({ outcome: 'failed' });
      await disable(deps, endpoint.id, `the receiver answered 410 Gone to delivery ${row.id}: it asked to receive nothing more`, 'gone');
    }
    return 'gone';
  }
  const inRound = attempt - row.round_start;
  const delay = nextDelayMs(deps.retrySchedule(), inRound);
  if (delay === undefined) {
    if (await record({ status: 'failed' })) {
      deps.metrics.webhookDeliveries.inc({ outcome: 'failed' });
      const first = await deps.db.selectFrom('webhook_attempts').select('at').where('delivery_id', '=', row.id).orderBy('id').offset(row.round_start).limit(1).executeTakeFirst();
      const span = spanText(finished.getTime() - (first?.at ?? row.created_at).getTime());
      await disable(deps, endpoint.id, `every attempt of delivery ${row.id} failed over ${span} (${inRound} attempts); last: ${describeAttempt(result)}`, 'failing');
    }
    return 'failed';
  }
  const next = new Date(finished.getTime() + delay);
  if (await record({ next_attempt_at: next })) await queueAttempt(deps, row.id, attempt + 1, next);
  return 'retry';
}

async function disable(deps: WebhooksDeps, endpointId: string, reason: string, label: 'gone' | 'failing'): Promise<void> {
  if (await disableEndpoint(deps.db, endpointId, reason)) {
    deps.metrics.webhookEndpointsDisabled.inc({ reason: label });
    deps.logger.warn({ endpoint: endpointId, reason }, 'webhook endpoint disabled');
  }
}

/** Queues attempt `attempt` for `at`; the same attempt queued twice is one job. */
export async function queueAttempt(deps: Pick<WebhooksDeps, 'queues'>, deliveryId: string, attempt: number, at: Date): Promise<void> {
  await deps.queues.webhooks.add('deliver', { kind: 'deliver', deliveryId, attempt }, { jobId: webhookJobId(deliveryId, attempt), delay: Math.max(0, at.getTime() - Date.now()) });
}

/** A pending delivery this long past its attempt's time without a job having run it is re-queued. */
const OVERDUE_MS = 30_000;
/** Finished deliveries and their attempts are kept this long (the delivery log), then removed. */
export const KEEP_FINISHED_MS = 30 * 86_400_000;

/**
 * The sweep: pending deliveries overdue (their job never made it to Redis: a crash between the
 * row and the job; or it failed in BullMQ for good while the database was down) get their attempt
 * queued again; a failed job of that attempt is retried. Finished deliveries older than a month go.
 */
export async function sweepDeliveries(deps: WebhooksDeps, now = new Date()): Promise<number> {
  const overdue = await deps.db
    .selectFrom('webhook_deliveries')
    .select(['id', 'attempts'])
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<', new Date(now.getTime() - OVERDUE_MS))
    .orderBy('next_attempt_at')
    .limit(500)
    .execute();
  for (const row of overdue) {
    const jobId = webhookJobId(row.id, row.attempts + 1);
    const job = await deps.queues.webhooks.getJob(jobId);
    if (job && (await job.isFailed())) await job.retry();
    else if (!job) await queueAttempt(deps, row.id, row.attempts + 1, now);
  }
  await deps.db.deleteFrom('webhook_deliveries').where('status', '!=', 'pending').where('updated_at', '<', new Date(now.getTime() - KEEP_FINISHED_MS)).execute();
  if (overdue.length > 0) deps.logger.info({ deliveries: overdue.length }, 'webhook sweep re-queued overdue deliveries');
  return overdue.length;
}

export const SWEEP_EVERY_MS = 15_000;

/**
 * The webhooks worker (worker role). Concurrency is high: a job mostly waits on a receiver. A
 * worker killed mid-request leaves its job to BullMQ's stalled check (short locks, as for the
 * inbox's workers), and another worker sends it again within seconds.
 */
export function startWebhooksWorker(deps: WebhooksDeps, options: { connection: RedisOptions; prefix: string; concurrency?: number }): Worker<WebhookJob> {
  const worker = new Worker<WebhookJob>(
    WEBHOOKS_QUEUE,
    async (job: Job<WebhookJob>) => {
      const parsed = WebhookJob.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError('invalid webhooks job');
      if (parsed.data.kind === 'sweep') return sweepDeliveries(deps);
      return runAttempt(deps, parsed.data.deliveryId, parsed.data.attempt);
    },
    { connection: options.connection, prefix: options.prefix, concurrency: options.concurrency ?? 16, lockDuration: 10_000, stalledInterval: 5_000, maxStalledCount: 20 },
  );
  worker.on('failed', (job, error) => deps.logger.warn({ err: error, job: job?.id }, 'webhooks job failed'));
  worker.on('error', (error) => deps.logger.error({ err: error }, 'webhooks worker error'));
  return worker;
}

/** The repeatable sweep: an idempotent upsert, so every worker process may call it. */
export async function scheduleWebhookSweep(deps: Pick<WebhooksDeps, 'queues'>, everyMs = SWEEP_EVERY_MS): Promise<void> {
  await deps.queues.webhooks.upsertJobScheduler('sweep', { every: everyMs }, { name: 'sweep', data: { kind: 'sweep' } });
}
