import { sql } from 'kysely';
import { getConversations } from '../store/conversations.js';
import { announce, type InboxDeps } from './deps.js';
import { enqueueDelivery } from './send-reply.js';

/** Replies older than this and still `queued`/`sending` are checked against the queue. */
const STUCK_AFTER_MS = 60_000;

/**
 * Saving a reply and enqueueing it are two writes; if the process died between them, or Redis
 * lost the job, the reply would wait forever. Re-adding with jobId = message id is a no-op while
 * the job still exists, so this is safe to run anywhere, any time (DESIGN §4).
 */
export async function sweepOutbound(deps: InboxDeps): Promise<{ requeued: number }> {
  const stuck = await deps.db
    .selectFrom('messages')
    .select(['id', 'channel_id'])
    .where('status', 'in', ['queued', 'sending'])
    .where('direction', '=', 'outbound')
    .where('private', '=', false)
    .where('updated_at', '<', new Date(Date.now() - STUCK_AFTER_MS))
    .limit(500)
    .execute();
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
    await enqueueDelivery(deps, message.channel_id, message.id);
    requeued += 1;
  }
  if (requeued > 0) deps.logger.warn({ requeued }, 'sweeper re-enqueued replies that were saved but not queued');
  return { requeued };
}

/** Platform attachments whose download was never queued (Redis refused at the time) get queued. */
export async function sweepMedia(deps: InboxDeps): Promise<{ queued: number }> {
  const pending = await deps.db
    .selectFrom('attachments')
    .select('id')
    .where('storage_key', 'is', null)
    .where('remote', 'is not', null)
    .where('message_id', 'is not', null)
    .where('created_at', '<', new Date(Date.now() - STUCK_AFTER_MS))
    .where(sql<boolean>`coalesce(meta->>'fetchError', '') = ''`)
    .limit(500)
    .execute();
  let queued = 0;
  for (const { id } of pending) {
    const job = await deps.queues.media.getJob(`media.${id}`);
    if (job && (await job.getState()) !== 'failed') continue;
    await job?.remove().catch(() => undefined);
    await deps.queues.media.add('fetch', { attachmentId: id }, { jobId: `media.${id}` });
    queued += 1;
  }
  return { queued };
}

/** Snoozed conversations whose time has come go back to `open`. */
export async function wakeSnoozed(deps: InboxDeps): Promise<{ woken: number }> {
  const rows = await deps.db
    .updateTable('conversations')
    .set({ status: 'open', snoozed_until: null })
    .where('status', '=', 'snoozed')
    .where('snoozed_until', '<=', sql<Date>`now()`)
    .returning('id')
    .execute();
  if (rows.length > 0) {
    const conversations = await getConversations(deps.db, rows.map((r) => r.id));
    await announce(deps, async () => {
      for (const conversation of conversations) await deps.bus.publish({ type: 'conversation.updated', data: conversation });
    });
  }
  return { woken: rows.length };
}
