import type { Job } from 'bullmq';
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
  // The previous attempt's job is kept in the failed set for inspection and holds the job id. It
  // may still be active: the worker records `failed` (and the inbox shows it, so an agent can
  // click retry) before BullMQ moves the job on, and an active job cannot be removed — adding the
  // same id then was a no-op, and the reply sat `queued` until the sweeper.
  const previous = await deps.queues.outbound(requeued.channelId).getJob(messageId);
  if (previous) await removeOnceSettled(previous);
  await enqueueOrLeaveToSweeper(deps, requeued.channelId, messageId);
  const message = (await getMessage(deps.db, messageId))!;
  await deps.dispatcher.dispatch([requeued.batch], { messages: [message] });
  return message;
}

/** Removes a job, waiting (briefly) for a worker that still holds it to let it go. */
async function removeOnceSettled(job: Job): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    try {
      await job.remove();
      return;
    } catch {
      if (!(await job.isActive().catch(() => false))) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
