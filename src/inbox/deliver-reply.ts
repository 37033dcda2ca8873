import type { OutboundAttachment } from '../channels/contract.js';
import { PermanentChannelError, RetryableChannelError } from '../channels/errors.js';
import type { MessageError } from '../domain/message.js';
import { getMessage } from '../store/messages.js';
import { announce, type InboxDeps } from './deps.js';

export type DeliveryOutcome =
  | { kind: 'sent' }
  | { kind: 'skipped'; reason: string }
  | { kind: 'failed'; error: MessageError }
  | { kind: 'retry'; error: MessageError; retryAfterMs?: number };

/**
 * Outbound worker step: send one saved reply through its channel and record the outcome, so no
 * reply is silently dropped (DESIGN §1). `finalAttempt` turns a retryable error into `failed`.
 */
export async function deliverReply(deps: InboxDeps, messageId: string, options: { finalAttempt: boolean }): Promise<DeliveryOutcome> {
  const { db } = deps;
  const row = await db
    .selectFrom('messages')
    .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
    .innerJoin('contacts', 'contacts.id', 'conversations.contact_id')
    .select([
      'messages.id',
      'messages.status',
      'messages.private',
      'messages.direction',
      'messages.text',
      'messages.author_name',
      'messages.reply_to_external_id',
      'messages.created_at',
      'messages.sent_parts',
      'conversations.id as conversation_id',
      'conversations.channel_id',
      'conversations.thread_key',
      'conversations.subject',
      'conversations.contact_id',
      'contacts.email as contact_email',
    ])
    .where('messages.id', '=', messageId)
    .executeTakeFirst();
  if (!row) return { kind: 'skipped', reason: 'message no longer exists' };
  if (row.direction !== 'outbound' || row.private || (row.status !== 'queued' && row.status !== 'sending')) {
    return { kind: 'skipped', reason: `message is ${row.status}` };
  }
  const adapter = deps.adapters.get(row.channel_id);
  if (!adapter) {
    const error = { code: 'channel_unavailable', message: `channel ${row.channel_id} is not configured on this server`, retryable: true };
    await finish(deps, messageId, 'failed', error);
    return { kind: 'failed', error };
  }
  const identity = await db
    .selectFrom('contact_identities')
    .select('external_id')
    .where('contact_id', '=', row.contact_id)
    .where('channel_id', '=', row.channel_id)
    .orderBy('created_at')
    .executeTakeFirst();
  const files = await db.selectFrom('attachments').selectAll().where('message_id', '=', messageId).orderBy('created_at').orderBy('id').execute();
  const attachments: OutboundAttachment[] = files
    .filter((f) => f.storage_key)
    .map((f) => ({
      id: f.id,
      name: f.name ?? f.id,
      mimeType: f.mime_type ?? 'application/octet-stream',
      size: f.size ?? 0,
      read: () => deps.attachments.read(f.storage_key!),
    }));

  await db.updateTable('messages').set({ status: 'sending', updated_at: new Date() }).where('id', '=', messageId).execute();
  const channel = row.channel_id;
  try {
    const result = await adapter.send(
      {
        conversationId: row.conversation_id,
        threadKey: row.thread_key,
        contactExternalId: identity?.external_id ?? row.thread_key,
        ...(row.contact_email ? { contactEmail: row.contact_email } : {}),
        ...(row.subject ? { subject: row.subject } : {}),
      },
      {
        messageId,
        text: row.text,
        authorName: row.author_name,
        attachments,
        alreadySent: row.sent_parts,
        ...(row.reply_to_external_id ? { replyToExternalId: row.reply_to_external_id } : {}),
      },
    );
    const now = new Date();
    const parts = [...row.sent_parts, ...result.externalIds];
    await db
      .updateTable('messages')
      .set({ status: 'sent', sent_at: now, updated_at: now, error: null, external_id: parts[0] ?? null, sent_parts: parts })
      .where('id', '=', messageId)
      .execute();
    deps.metrics.sent.inc({ channel });
    deps.metrics.sendAttempts.inc({ channel, outcome: 'sent' });
    deps.metrics.deliveryLatency.observe({ channel }, (now.getTime() - new Date(row.created_at).getTime()) / 1000);
    await publishUpdate(deps, messageId);
    return { kind: 'sent' };
  } catch (thrown) {
    const error = describe(thrown);
    const delivered = thrown instanceof RetryableChannelError || thrown instanceof PermanentChannelError ? thrown.sentExternalIds : [];
    if (delivered.length > 0) {
      await db.updateTable('messages').set({ sent_parts: [...row.sent_parts, ...delivered] }).where('id', '=', messageId).execute();
    }
    deps.logger.warn({ channel, message: messageId, code: error.code, retryable: error.retryable }, `send failed: ${error.message}`);
    if (!error.retryable || options.finalAttempt) {
      deps.metrics.sendAttempts.inc({ channel, outcome: 'failed' });
      await finish(deps, messageId, 'failed', error);
      return { kind: 'failed', error };
    }
    deps.metrics.sendAttempts.inc({ channel, outcome: 'retry' });
    await finish(deps, messageId, 'queued', error);
    const retryAfterMs = thrown instanceof RetryableChannelError ? thrown.retryAfterMs : undefined;
    return retryAfterMs === undefined ? { kind: 'retry', error } : { kind: 'retry', error, retryAfterMs };
  }
}

function describe(thrown: unknown): MessageError {
  if (thrown instanceof PermanentChannelError) return { code: thrown.code, message: thrown.message, retryable: false };
  if (thrown instanceof RetryableChannelError) return { code: thrown.code, message: thrown.message, retryable: true };
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return { code: 'send_error', message: message.slice(0, 1000), retryable: true };
}

async function finish(deps: InboxDeps, messageId: string, status: 'failed' | 'queued', error: MessageError): Promise<void> {
  await deps.db.updateTable('messages').set({ status, error: JSON.stringify(error), updated_at: new Date() }).where('id', '=', messageId).execute();
  if (status === 'failed') deps.metrics.failed.inc({ channel: (await channelOf(deps, messageId)) ?? 'unknown', code: error.code });
  await publishUpdate(deps, messageId);
}

async function channelOf(deps: InboxDeps, messageId: string): Promise<string | undefined> {
  const row = await deps.db.selectFrom('messages').select('channel_id').where('id', '=', messageId).executeTakeFirst();
  return row?.channel_id;
}

async function publishUpdate(deps: InboxDeps, messageId: string): Promise<void> {
  const message = await getMessage(deps.db, messageId);
  if (message) await announce(deps, () => deps.bus.publish({ type: 'message.updated', data: message }));
}
