import type { InboundJob } from '../queue/jobs.js';
import { getConversation } from '../store/conversations.js';
import { ingestInbound } from '../store/ingest.js';
import { getMessage } from '../store/messages.js';
import { announce, type InboxDeps } from './deps.js';
import { enqueuePendingMedia } from './fetch-media.js';

/**
 * Inbound worker step: store the message exactly once, then announce it. Runs after the platform
 * was acknowledged; throwing leaves the job in Redis to be retried.
 */
export async function ingestMessage(deps: InboxDeps, job: InboundJob): Promise<{ duplicate: boolean }> {
  const { message } = job;
  const adapter = deps.adapters.get(message.channelId);
  if (!adapter) throw new Error(`message for unknown channel ${message.channelId}`);
  const result = await ingestInbound(deps.db, message, {
    channelKind: adapter.kind,
    replyWindowHours: adapter.capabilities.replyWindowHours,
  });
  const channel = message.channelId;
  if (result.outcome === 'duplicate') {
    deps.metrics.duplicates.inc({ channel, stage: 'database' });
    return { duplicate: true };
  }
  if (result.outcome === 'revised') {
    const revised = await getMessage(deps.db, result.messageId);
    if (revised) await announce(deps, () => deps.bus.publish({ type: 'message.updated', data: revised }));
    return { duplicate: false };
  }
  deps.metrics.processed.inc({ channel });
  deps.metrics.ingestLatency.observe({ channel }, (Date.now() - job.acceptedAt) / 1000);
  if (message.attachments.some((a) => a.remote)) await enqueuePendingMedia(deps, result.messageId);
  const [conversation, stored] = await Promise.all([getConversation(deps.db, result.conversationId), getMessage(deps.db, result.messageId)]);
  await announce(deps, async () => {
    if (conversation) await deps.bus.publish({ type: result.conversationCreated ? 'conversation.created' : 'conversation.updated', data: conversation });
    if (stored) await deps.bus.publish({ type: 'message.created', data: stored });
  });
  deps.logger.debug({ channel, conversation: result.conversationId, message: result.messageId }, 'inbound message stored');
  return { duplicate: false };
}
