import { enqueueDelivery, mediaJobId } from '../queue/producers.js';
import { wakeSnoozed as wakeSnoozedRows } from '../store/conversations.js';
import { unqueuedDownloads } from '../store/media.js';
import { stuckReplies } from '../store/replies.js';
import type { InboxDeps } from './deps.js';

/** Replies older than this and still `queued`/`sending` are checked against the queue. */
const STUCK_AFTER_MS = 60_000;

/**
 * Saving a reply and enqueueing it are two writes; if the process died between them, or Redis
 * lost the job, the reply would wait forever. Re-adding with jobId = message id is a no-op while
 * the job still exists, so this is safe to run anywhere, any time (DESIGN §4).
 */
export async function sweepOutbound(deps: InboxDeps): Promise<{ requeued: number }> {
  const stuck = await stuckReplies(deps.db, new Date(Date.now() - STUCK_AFTER_MS), 500);
  let requeued = 0;
  for (const message of stuck) {
    if (!deps.adapters.has(message.channel_id)) continue;
    const queue = deps.queues.outbound(message.channel_id);
    const job = await queue.getJob(message.id);
    if (job) {
      const state = await job.getState();
      if (state !== 'failed' && state !== 'completed' && state !== 'unknown') continue;
      await job.remove().catch(() => undefined);
    }
    await enqueueDelivery(deps.queues, message.channel_id, message.id);
    requeued += 1;
  }
  if (requeued > 0) deps.logger.warn({ requeued }, 'sweeper re-enqueued replies that were saved but not queued');
  return { requeued };
}

/** Platform attachments whose download was never queued (Redis refused at the time) get queued. */
export async function sweepMedia(deps: InboxDeps): Promise<{ queued: number }> {
  let queued = 0;
  for (const id of await unqueuedDownloads(deps.db, new Date(Date.now() - STUCK_AFTER_MS), 500)) {
    const job = await deps.queues.media.getJob(mediaJobId(id));
    if (job && (await job.getState()) !== 'failed') continue;
    await job?.remove().catch(() => undefined);
    await deps.queues.media.add('fetch', { attachmentId: id }, { jobId: mediaJobId(id) });
    queued += 1;
  }
  return { queued };
}

/** Snoozed conversations whose time has come go back to `open`. */
export async function wakeSnoozed(deps: InboxDeps): Promise<{ woken: number }> {
  const batch = await wakeSnoozedRows(deps.db);
  await deps.dispatcher.dispatch([batch]);
  return { woken: batch?.events.length ?? 0 };
}

/** Outbox batches whose writer died before handing them out (or a consumer failed) go out now. */
export async function sweepEvents(deps: InboxDeps): Promise<{ dispatched: number }> {
  return { dispatched: await deps.dispatcher.sweep() };
}
