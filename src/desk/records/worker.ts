import { type Job, UnrecoverableError, Worker } from 'bullmq';
import type { RedisOptions } from 'ioredis';
import { RECORDS_QUEUE, RecordsJob } from '../../queue/jobs.js';
import { type RecordsDeps, runErase, runExport, runRetention } from './work.js';

/** How often retention runs: hourly keeps each batch small, and a policy applies within the hour. */
export const RETENTION_EVERY_MS = 3_600_000;

/**
 * The records worker (worker role): retention runs, exports and erasures, one at a time — they
 * are bulk work, and one at a time keeps them from competing with the inbound path for the
 * database. A failed export or erasure is retried (it resumes); after the last attempt its row says why.
 */
export function startRecordsWorker(deps: RecordsDeps, options: { connection: RedisOptions; prefix: string }): Worker<RecordsJob> {
  const worker = new Worker<RecordsJob>(
    RECORDS_QUEUE,
    async (job: Job<RecordsJob>) => {
      const parsed = RecordsJob.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError('invalid records job');
      const data = parsed.data;
      if (data.kind === 'retention') return runRetention(deps);
      await deps.db.updateTable('records_jobs').set({ status: 'running', updated_at: new Date() }).where('id', '=', data.id).where('status', '=', 'queued').execute();
      const progress = async (percent: number) => {
        await job.updateProgress(percent);
        await deps.db.updateTable('records_jobs').set({ progress: percent, updated_at: new Date() }).where('id', '=', data.id).where('status', '=', 'running').execute();
      };
      try {
        if (data.kind === 'export') await runExport(deps, data.id, progress);
        else await runErase(deps, data.id, progress);
      } catch (error) {
        const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1) || error instanceof UnrecoverableError;
        if (final) await deps.db.updateTable('records_jobs').set({ status: 'failed', error: (error as Error).message.slice(0, 500), updated_at: new Date() }).where('id', '=', data.id).execute();
        throw error;
      }
      return undefined;
    },
    { connection: options.connection, prefix: options.prefix, concurrency: 1, lockDuration: 30_000, stalledInterval: 15_000, maxStalledCount: 5 },
  );
  worker.on('failed', (job, error) => deps.logger.warn({ err: error, job: job?.id }, 'records job failed'));
  worker.on('error', (error) => deps.logger.error({ err: error }, 'records worker error'));
  return worker;
}

/** The repeatable retention run: an idempotent upsert, so every worker process may call it. */
export async function scheduleRetention(deps: Pick<RecordsDeps, 'queues'>): Promise<void> {
  await deps.queues.records.upsertJobScheduler('retention', { every: RETENTION_EVERY_MS }, { name: 'retention', data: { kind: 'retention' } });
}
