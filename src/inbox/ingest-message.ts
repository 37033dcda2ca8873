import type { InboxEvent } from '../domain/events.js';
import type { InboundJob } from '../queue/jobs.js';
import type { Message } from '../domain/message.js';
import { getConversations, hydrate } from '../store/conversations.js';
import { type IngestItem, ingestBatch, noRows, type WrittenRows } from '../store/ingest-batch.js';
import type { IngestResult } from '../store/ingest.js';
import { type AttachmentRow, agentAttachmentUrl, messageColumns, toAttachment, toMessage } from '../store/mappers.js';
import { hydrateMessages } from '../store/messages.js';
import { announce, type InboxDeps } from './deps.js';
import { enqueuePendingMedia } from './fetch-media.js';
import { enqueueOrLeaveToSweeper } from './send-reply.js';

export interface IngestOutcome {
  duplicate: boolean;
}

/** Inbound worker step for one job: store the message exactly once, then announce it. */
export async function ingestMessage(deps: InboxDeps, job: InboundJob): Promise<IngestOutcome> {
  const [outcome] = await ingestJobs(deps, [job]);
  return outcome!;
}

export interface InboundIngestor {
  /** Resolves once the job's message is committed (or found already stored), and announced. */
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
    return {
      message,
      context: {
        channelKind: adapter.kind,
        replyWindowHours: adapter.capabilities.replyWindowHours,
        autoReply: deps.autoReplies.get(message.channelId) ?? null,
      },
    };
  });
  const written = noRows();
  const results = await ingestBatch(deps.db, items, written);
  await afterCommit(deps, jobs, results, written);
  return results.map((r) => ({ duplicate: r.outcome === 'duplicate' }));
}

/** Metrics, media downloads, acknowledgements and realtime events for what was just committed. */
async function afterCommit(deps: InboxDeps, jobs: readonly InboundJob[], results: readonly IngestResult[], written: WrittenRows): Promise<void> {
  const now = Date.now();
  const conversationIds = new Set<string>();
  const createdConversations = new Set<string>();
  const messageIds: string[] = [];
  const updatedIds: string[] = [];
  const autoReplies: { channel: string; id: string }[] = [];
  const media: string[] = [];
  results.forEach((result, index) => {
    const { message, acceptedAt } = jobs[index]!;
    const channel = message.channelId;
    switch (result.outcome) {
      case 'duplicate':
        deps.metrics.duplicates.inc({ channel, stage: 'database' });
        return;
      case 'bounced':
        deps.metrics.failed.inc({ channel, code: 'bounced' });
        updatedIds.push(result.messageId);
        return;
      case 'revised':
        updatedIds.push(result.messageId);
        return;
      case 'stored':
        deps.metrics.processed.inc({ channel });
        deps.metrics.ingestLatency.observe({ channel }, (now - acceptedAt) / 1000);
        conversationIds.add(result.conversationId);
        if (result.conversationCreated) createdConversations.add(result.conversationId);
        messageIds.push(result.messageId);
        if (message.attachments.some((a) => a.remote)) media.push(result.messageId);
        if (result.autoReplyId) autoReplies.push({ channel, id: result.autoReplyId });
    }
  });
  await enqueuePendingMedia(deps, media, written.attachments);
  // Saved with the customer's message, so never lost even if this enqueue is.
  for (const reply of autoReplies) await enqueueOrLeaveToSweeper(deps, reply.channel, reply.id);
  await announce(deps, async () => {
    const ids = [...conversationIds];
    const [conversations, created, updated] = await Promise.all([
      Promise.all([
        hydrate(deps.db, ids.flatMap((id) => written.conversations.get(id) ?? [])),
        getConversations(deps.db, ids.filter((id) => !written.conversations.has(id))),
      ]).then(([known, read]) => [...known, ...read]),
      messagesById(deps, [...messageIds, ...autoReplies.map((r) => r.id)], written),
      messagesById(deps, updatedIds, written),
    ]);
    const events: InboxEvent[] = [];
    for (const conversation of conversations) {
      events.push({ type: createdConversations.has(conversation.id) ? 'conversation.created' : 'conversation.updated', data: conversation });
      for (const message of created) if (message.conversationId === conversation.id) events.push({ type: 'message.created', data: message });
    }
    for (const message of updated) events.push({ type: 'message.updated', data: message });
    await deps.bus.publishAll(events);
  });
}

/** Messages for events: as the batch wrote them, else read back (edits, events, bounces). */
async function messagesById(deps: InboxDeps, allIds: readonly string[], written: WrittenRows): Promise<Message[]> {
  const files = new Map<string, AttachmentRow[]>();
  for (const file of written.attachments) files.set(file.message_id!, [...(files.get(file.message_id!) ?? []), file]);
  const known = allIds.flatMap((id) => {
    const row = written.messages.get(id);
    return row ? [toMessage(row, (files.get(id) ?? []).map((f) => toAttachment(f, agentAttachmentUrl)))] : [];
  });
  const ids = allIds.filter((id) => !written.messages.has(id));
  return [...known, ...(await readMessages(deps, ids))];
}

async function readMessages(deps: InboxDeps, ids: readonly string[]): Promise<Message[]> {
  if (ids.length === 0) return [];
  const rows = await deps.db.selectFrom('messages').select(messageColumns).where('id', 'in', ids).orderBy('seq').execute();
  return hydrateMessages(deps.db, rows);
}
