import type { ConversationAddress, OutboundAttachment, OutboundChoice, OutboundMessage } from '../channels/contract.js';
import { PermanentChannelError, RetryableChannelError } from '../channels/errors.js';
import type { MessageError } from '../domain/message.js';
import { agentAttachmentUrl, toAttachment, toMessage } from '../store/mappers.js';
import { type ClaimedReply, claimForSending, markSent, markUnsent, recordSentParts, unsendableReason } from '../store/replies.js';
import type { StoredChoice } from '../store/schema.js';
import type { InboxDeps } from './deps.js';

export type DeliveryOutcome =
  | { kind: 'sent' }
  | { kind: 'skipped'; reason: string }
  | { kind: 'failed'; error: MessageError }
  | { kind: 'retry'; error: MessageError; retryAfterMs?: number };

/**
 * Outbound worker step: send one saved reply through its channel and record the outcome, so no
 * reply is silently dropped (DESIGN §1). `finalAttempt` turns a retryable error into `failed`.
 */
export async function deliverReply(deps: InboxDeps, messageId: string, options: { channelId: string; finalAttempt: boolean }): Promise<DeliveryOutcome> {
  const { db } = deps;
  // Each channel has its own outbound queue, so the worker knows the channel before reading.
  const withHistory = Boolean(deps.adapters.get(options.channelId)?.capabilities.threadsByReference);
  const row = await claimForSending(db, messageId, withHistory);
  if (!row) return { kind: 'skipped', reason: await unsendableReason(db, messageId) };
  const adapter = deps.adapters.get(row.channel_id);
  if (!adapter) {
    const error = { code: 'channel_unavailable', message: `channel ${row.channel_id} is not configured on this server`, retryable: true };
    await finish(deps, messageId, 'failed', error);
    return { kind: 'failed', error };
  }
  const files = row.files;
  const attachments: OutboundAttachment[] = files
    .filter((f) => f.storage_key)
    .map((f) => ({
      id: f.id,
      name: f.name ?? f.id,
      mimeType: f.mime_type ?? 'application/octet-stream',
      size: f.size ?? 0,
      read: () => deps.attachments.read(f.storage_key!),
    }));
  const thread = threadHistory(row);
  const channel = row.channel_id;
  try {
    const address: ConversationAddress = {
      conversationId: row.conversation_id,
      threadKey: row.thread_key,
      contactExternalId: row.identity ?? row.thread_key,
      ...(row.contact_email ? { contactEmail: row.contact_email } : {}),
      ...(row.subject ? { subject: row.subject } : {}),
      threadExternalIds: thread.externalIds,
      ...(thread.lastInbound ? { lastInboundExternalId: thread.lastInbound } : {}),
    };
    const message: OutboundMessage = {
      messageId,
      text: row.text,
      authorName: row.author_name,
      attachments,
      alreadySent: row.sent_parts,
      ...(row.author_type === 'bot' ? { automatic: true } : {}),
      ...(row.reply_to_external_id ? { replyToExternalId: row.reply_to_external_id } : {}),
    };
    const choice = outboundChoice(row.choice);
    // A question goes out in the channel's native form where it has one; the text alone (which
    // then spells the options out) everywhere else.
    const result = choice && adapter.sendChoice ? await adapter.sendChoice(address, { ...message, choice }) : await adapter.send(address, message);
    const now = new Date();
    const sent = await markSent(db, messageId, [...row.sent_parts, ...result.externalIds], now);
    deps.metrics.sent.inc({ channel });
    deps.metrics.sendAttempts.inc({ channel, outcome: 'sent' });
    deps.metrics.deliveryLatency.observe({ channel }, (now.getTime() - new Date(row.created_at).getTime()) / 1000);
    // Dispatched with the row the update returned and the files read above: no second read.
    if (sent) await deps.dispatcher.dispatch([sent.batch], { messages: [toMessage(sent.message, files.map((f) => toAttachment(f, agentAttachmentUrl)))] });
    return { kind: 'sent' };
  } catch (thrown) {
    const error = describe(thrown);
    const delivered = thrown instanceof RetryableChannelError || thrown instanceof PermanentChannelError ? thrown.sentExternalIds : [];
    if (delivered.length > 0) await recordSentParts(db, messageId, [...row.sent_parts, ...delivered]);
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

function outboundChoice(choice: StoredChoice | null): OutboundChoice | undefined {
  if (!choice?.options?.length) return undefined;
  return {
    id: choice.id,
    options: choice.options.map((o) => ({ value: o.value, label: o.label, answered: o.answered, ...(o.url ? { url: o.url } : {}) })),
  };
}

/**
 * The conversation's platform ids for threading (email References): its first message and the
 * newest 30, oldest first, never internal notes.
 */
function threadHistory(row: ClaimedReply): { externalIds: string[]; lastInbound: string | undefined } {
  const ordered = row.recent.map((r) => r.external_id).reverse();
  if (row.first_external_id !== null && ordered[0] !== row.first_external_id) ordered.unshift(row.first_external_id);
  const lastInbound = row.recent.find((r) => r.direction === 'inbound')?.external_id;
  return { externalIds: ordered, lastInbound };
}

function describe(thrown: unknown): MessageError {
  if (thrown instanceof PermanentChannelError) return { code: thrown.code, message: thrown.message, retryable: false };
  if (thrown instanceof RetryableChannelError) return { code: thrown.code, message: thrown.message, retryable: true };
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return { code: 'send_error', message: message.slice(0, 1000), retryable: true };
}

async function finish(deps: InboxDeps, messageId: string, status: 'failed' | 'queued', error: MessageError): Promise<void> {
  const marked = await markUnsent(deps.db, messageId, status, error);
  if (!marked) return;
  if (status === 'failed') deps.metrics.failed.inc({ channel: marked.channelId, code: error.code });
  await deps.dispatcher.dispatch([marked.batch]);
}
