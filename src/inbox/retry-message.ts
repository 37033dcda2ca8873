import type { Message } from '../domain/message.js';
import { getMessage } from '../store/messages.js';
import { announce, type InboxDeps } from './deps.js';
import { InboxError } from './errors.js';
import { enqueueDelivery } from './send-reply.js';

/** `POST /api/messages/:id/retry`: a failed reply goes back to `queued` and is sent again. */
export async function retryMessage(deps: InboxDeps, messageId: string): Promise<Message> {
  const row = await deps.db.selectFrom('messages').select(['id', 'status', 'direction', 'private', 'channel_id']).where('id', '=', messageId).executeTakeFirst();
  if (!row) throw new InboxError(404, 'not_found', 'message not found');
  if (row.direction !== 'outbound' || row.private) throw new InboxError(409, 'not_retryable', 'only replies to customers can be retried');
  if (row.status !== 'failed') throw new InboxError(409, 'not_retryable', `message is ${row.status}, not failed`);
  const updated = await deps.db
    .updateTable('messages')
    .set({ status: 'queued', error: null, updated_at: new Date() })
    .where('id', '=', messageId)
    .where('status', '=', 'failed')
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) throw new InboxError(409, 'not_retryable', 'message changed meanwhile');
  // The previous attempt's job is kept in the failed set for inspection and holds the job id.
  const queue = deps.queues.outbound(row.channel_id);
  const previous = await queue.getJob(messageId);
  if (previous) await previous.remove().catch(() => undefined);
  await enqueueDelivery(deps, row.channel_id, messageId).catch((error: unknown) => {
    deps.logger.warn({ err: error, message: messageId }, 'retry saved, enqueue deferred to the sweeper');
  });
  const message = (await getMessage(deps.db, messageId))!;
  await announce(deps, () => deps.bus.publish({ type: 'message.updated', data: message }));
  return message;
}
