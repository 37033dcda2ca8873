import type { Message } from '../domain/message.js';
import { enqueueOrLeaveToSweeper } from '../queue/producers.js';
import { getMessage } from '../store/messages.js';
import { requeueFailed } from '../store/replies.js';
import type { InboxDeps } from './deps.js';
import { InboxError } from './errors.js';

/** `POST /api/messages/:id/retry`: a failed reply goes back to `queued` and is sent again. */
export async function retryMessage(deps: InboxDeps, messageId: string): Promise<Message> {
  const requeued = await requeueFailed(deps.db, messageId);
  if ('refused' in requeued) throw new InboxError(requeued.status, requeued.status === 404 ? 'not_found' : 'not_retryable', requeued.refused);
  // The previous attempt's job is kept in the failed set for inspection and holds the job id.
  const previous = await deps.queues.outbound(requeued.channelId).getJob(messageId);
  if (previous) await previous.remove().catch(() => undefined);
  await enqueueOrLeaveToSweeper(deps, requeued.channelId, messageId);
  const message = (await getMessage(deps.db, messageId))!;
  await deps.dispatcher.dispatch([requeued.batch], { messages: [message] });
  return message;
}
