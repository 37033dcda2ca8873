import type { Logger } from 'pino';
import type { Queues } from './queues.js';

/**
 * Putting work on the queues. Job ids make every add idempotent while the job exists: the
 * outbound job id is the message id, the media job id the attachment's.
 */

export async function enqueueDelivery(queues: Queues, channelId: string, messageId: string): Promise<void> {
  await queues.outbound(channelId).add('send', { messageId }, { jobId: messageId });
}

/**
 * Queues a saved outbound message; if Redis refuses, the outbound sweeper queues it once Redis is
 * back (the message is saved `queued`, so it is never lost).
 */
export async function enqueueOrLeaveToSweeper(deps: { queues: Queues; logger: Logger }, channelId: string, messageId: string): Promise<void> {
  try {
    await enqueueDelivery(deps.queues, channelId, messageId);
  } catch (error) {
    deps.logger.warn({ err: error, message: messageId }, 'outbound message saved, enqueue deferred to the sweeper');
  }
}

export const mediaJobId = (attachmentId: string): string => `media.${attachmentId}`;

/** One addBulk for all downloads; if Redis refuses now, the media sweeper finds them later. */
export async function enqueueDownloads(queues: Queues, attachmentIds: readonly string[]): Promise<void> {
  if (attachmentIds.length === 0) return;
  await queues.media
    .addBulk(attachmentIds.map((id) => ({ name: 'fetch', data: { attachmentId: id }, opts: { jobId: mediaJobId(id) } })))
    .catch(() => undefined);
}
