import type { InboundJob } from '../queue/jobs.js';
import { enqueueDownloads } from '../queue/producers.js';
import { hydrate } from '../store/conversations.js';
import { type IngestItem, ingestBatch } from '../store/ingest-batch.js';
import { type IngestResult, noRows, type WrittenRows } from '../store/ingest.js';
import { type AttachmentRow, agentAttachmentUrl, toAttachment, toMessage } from '../store/mappers.js';
import { pendingDownloads } from '../store/media.js';
import type { InboxDeps } from './deps.js';

export interface IngestOutcome {
  duplicate: boolean;
}

export interface InboundIngestor {
  /** Resolves once the job's message is committed (or found already stored), and dispatched. */
  ingest(job: InboundJob): Promise<IngestOutcome>;
  /** Resolves when nothing is being written. */
  idle(): Promise<void>;
}

/**
 * Group commit: jobs that arrive while a transaction is being written wait and go into the next
 * one together. At low load every job is written at once, alone (no timer adds latency); under
 * load a transaction carries hundreds of messages, so the database sees ten statements per batch
 * instead of ten per message. Each job still completes only after its own message committed, so
 * a crash loses nothing: its job is still in Redis and is retried.
 */
export function createInboundIngestor(deps: InboxDeps, options: { maxBatch: number; maxInFlight: number }): InboundIngestor {
  type Waiting = { job: InboundJob; resolve: (o: IngestOutcome) => void; reject: (e: unknown) => void };
  const waiting: Waiting[] = [];
  let inFlight = 0;
  let idleWaiters: (() => void)[] = [];

  const pump = (): void => {
    while (inFlight < options.maxInFlight && waiting.length > 0) {
      const batch = waiting.splice(0, options.maxBatch);
      inFlight += 1;
      void writeBatch(batch).finally(() => {
        inFlight -= 1;
        pump();
        if (inFlight === 0 && waiting.length === 0) {
          for (const wake of idleWaiters) wake();
          idleWaiters = [];
        }
      });
    }
  };

  const writeBatch = async (batch: Waiting[]): Promise<void> => {
    try {
      const outcomes = await ingestJobs(deps, batch.map((w) => w.job));
      batch.forEach((w, i) => w.resolve(outcomes[i]!));
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      // One message the batch cannot take must not hold back the others: each alone, so only
      // the one that fails is retried (a database outage fails them all, and all are retried).
      deps.logger.warn({ err: error, size: batch.length }, 'inbound batch failed; writing its messages one by one');
      for (const w of batch) {
        await ingestJobs(deps, [w.job]).then(
          ([outcome]) => w.resolve(outcome!),
          (e: unknown) => w.reject(e),
        );
      }
    }
  };

  return {
    ingest(job) {
      return new Promise<IngestOutcome>((resolve, reject) => {
        waiting.push({ job, resolve, reject });
        pump();
      });
    },
    idle() {
      if (inFlight === 0 && waiting.length === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
  };
}

async function ingestJobs(deps: InboxDeps, jobs: readonly InboundJob[]): Promise<IngestOutcome[]> {
  const items: IngestItem[] = jobs.map(({ message }) => {
    const adapter = deps.adapters.get(message.channelId);
    if (!adapter) throw new Error(`message for unknown channel ${message.channelId}`);
    return { message, context: { channelKind: adapter.kind, replyWindowHours: adapter.capabilities.replyWindowHours, initialSla: deps.desk.initialSla, initialHandler: deps.desk.initialHandler } };
  });
  const written = noRows();
  const { results, batches } = await ingestBatch(deps.db, items, written);
  countOutcomes(deps, jobs, results);
  const media = results.flatMap((r, i) => (r.outcome === 'stored' && jobs[i]!.message.attachments.some((a) => a.remote) ? [r.messageId] : []));
  await enqueueDownloads(deps.queues, await downloadsOf(deps, media, written.attachments));
  await deps.dispatcher.dispatch(batches, await snapshotOf(deps, written));
  return results.map((r) => ({ duplicate: r.outcome === 'duplicate' }));
}

function countOutcomes(deps: InboxDeps, jobs: readonly InboundJob[], results: readonly IngestResult[]): void {
  const now = Date.now();
  results.forEach((result, index) => {
    const { message, acceptedAt } = jobs[index]!;
    const channel = message.channelId;
    if (result.outcome === 'duplicate') deps.metrics.duplicates.inc({ channel, stage: 'database' });
    if (result.outcome === 'bounced') deps.metrics.failed.inc({ channel, code: 'bounced' });
    if (result.outcome === 'stored') {
      deps.metrics.processed.inc({ channel });
      deps.metrics.ingestLatency.observe({ channel }, (now - acceptedAt) / 1000);
    }
  });
}

/** Pending platform files of these messages: from the rows the batch wrote, else read. */
async function downloadsOf(deps: InboxDeps, messageIds: readonly string[], written: readonly AttachmentRow[]): Promise<string[]> {
  if (messageIds.length === 0) return [];
  const wanted = new Set(messageIds);
  const writtenFor = new Set(written.flatMap((a) => (a.message_id ? [a.message_id] : [])));
  const pending = written.filter((a) => a.message_id && wanted.has(a.message_id) && !a.storage_key && a.remote).map((a) => a.id);
  return [...pending, ...(await pendingDownloads(deps.db, messageIds.filter((id) => !writtenFor.has(id))))];
}

/** The batch's rows as API objects, so dispatching them needs no second read of the messages. */
async function snapshotOf(deps: InboxDeps, written: WrittenRows) {
  const files = new Map<string, AttachmentRow[]>();
  for (const file of written.attachments) files.set(file.message_id!, [...(files.get(file.message_id!) ?? []), file]);
  const messages = [...written.messages.values()].map((row) => toMessage(row, (files.get(row.id) ?? []).map((f) => toAttachment(f, agentAttachmentUrl))));
  const conversations = await hydrate(deps.db, [...written.conversations.values()]).catch(() => []);
  return { messages, conversations };
}
