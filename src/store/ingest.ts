import { type OnConflictBuilder, sql, type Transaction } from 'kysely';
import { senderUploadScope } from '../domain/attachment.js';
import { newId } from '../domain/ids.js';
import type { InboundMessage } from '../domain/message.js';
import { displayName, resolveContacts, senderOf } from './contacts.js';
import type { Db } from './database.js';
import type { Database } from './schema.js';

export interface IngestContext {
  channelKind: string;
  /** Hours the channel allows replies after a customer message; null = no window. */
  replyWindowHours: number | null;
  /** The channel's acknowledgement for a newly opened conversation, if configured. */
  autoReply?: string | null;
}

export type IngestResult =
  | { outcome: 'duplicate' }
  | { outcome: 'stored'; messageId: string; conversationId: string; conversationCreated: boolean; autoReplyId?: string }
  | { outcome: 'revised'; messageId: string; conversationId: string }
  | { outcome: 'bounced'; messageId: string };

class DuplicateMessage extends Error {}

/**
 * Stores one inbound message in one transaction: contact and identity, conversation (opened, or
 * reopened when resolved/snoozed), message. A redelivered message (same channel + external id)
 * changes nothing: the unique index turns it into a rolled-back no-op (DESIGN §1). A revision
 * (edit/delete) updates the stored message instead.
 */
export async function ingestInbound(db: Db, message: InboundMessage, context: IngestContext): Promise<IngestResult> {
  const seen = await db
    .selectFrom('messages')
    .select(['id', 'conversation_id'])
    .where('channel_id', '=', message.channelId)
    .where('external_id', '=', message.externalId)
    .executeTakeFirst();
  if (seen && message.revision) return revise(db, seen, message);
  if (seen) return { outcome: 'duplicate' };
  // The deletion of a message we never stored leaves nothing to keep.
  if (message.revision?.kind === 'delete') return { outcome: 'duplicate' };
  if (message.deliveryFailure) {
    const bounced = await markUndelivered(db, message.channelId, message.deliveryFailure);
    if (bounced) return { outcome: 'bounced', messageId: bounced };
    // A report about a message we never sent is kept as mail from a machine: nothing is lost.
    message = { ...message, automated: true };
  }
  try {
    return await db.transaction().execute((trx) => ingestInTransaction(trx, message, context));
  } catch (error) {
    if (!(error instanceof DuplicateMessage)) throw error;
    // A concurrent delivery of the same message won; a revision is applied on top of it.
    if (!message.revision) return { outcome: 'duplicate' };
    return ingestInbound(db, message, context);
  }
}

/**
 * Applies an edit or delete only if it is newer than the stored version: platforms redeliver and
 * reorder, and an old edit arriving late must not overwrite a newer text.
 */
async function revise(db: Db, stored: { id: string; conversation_id: string }, message: InboundMessage): Promise<IngestResult> {
  const revision = message.revision!;
  const at = new Date(revision.at);
  const changes =
    revision.kind === 'edit'
      ? { text: message.text, html: message.html ?? null, edited_at: at }
      : { deleted_at: at };
  const column = revision.kind === 'edit' ? 'edited_at' : 'deleted_at';
  const updated = await db
    .updateTable('messages')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', stored.id)
    .where((eb) => eb.or([eb(column, 'is', null), eb(column, '<', at)]))
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) return { outcome: 'duplicate' };
  return { outcome: 'revised', messageId: stored.id, conversationId: stored.conversation_id };
}

/**
 * Marks our outbound message that a delivery report names as failed, with the report's reason.
 * Returns its id, or undefined when the report names nothing we sent on this channel.
 */
async function markUndelivered(db: Db, channelId: string, failure: NonNullable<InboundMessage['deliveryFailure']>): Promise<string | undefined> {
  const reason = [failure.status, failure.diagnostic].filter(Boolean).join(' ').slice(0, 1000) || 'the recipient\'s server reported the message undelivered';
  const row = await db
    .updateTable('messages')
    .set({ status: 'failed', error: JSON.stringify({ code: 'bounced', message: reason, retryable: false }), updated_at: new Date() })
    .where('channel_id', '=', channelId)
    .where('external_id', '=', failure.originalExternalId)
    .where('direction', '=', 'outbound')
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

async function ingestInTransaction(trx: Transaction<Database>, message: InboundMessage, context: IngestContext): Promise<IngestResult> {
  const contactId = (await resolveContacts(trx, [message])).get(senderOf(message))!;
  const sentAt = new Date(message.sentAt);
  const event = message.event;
  const threadOf = !event && message.threadRefs?.length ? await conversationOfRefs(trx, message.channelId, message.threadRefs) : undefined;
  const conversation = event
    ? await touchForEvent(trx, message, contactId, context, sentAt)
    : threadOf
      ? await touchById(trx, threadOf, message, context, sentAt)
      : await touchForMessage(trx, message, contactId, context, sentAt);

  const messageId = newId();
  const inserted = await trx
    .insertInto('messages')
    .values({
      id: messageId,
      conversation_id: conversation.id,
      channel_id: message.channelId,
      direction: 'inbound',
      author_type: event ? 'system' : 'contact',
      author_id: contactId,
      author_name: displayName(message.sender),
      text: message.text,
      html: message.html ?? null,
      private: Boolean(event),
      status: 'received',
      error: null,
      external_id: message.externalId,
      reply_to_external_id: message.replyToExternalId ?? null,
      client_message_id: message.clientMessageId ?? null,
      idempotency_key: null,
      raw: message.raw === undefined ? null : JSON.stringify(message.raw),
      created_at: sentAt,
      sent_at: sentAt,
      updated_at: new Date(),
      // An edit that overtook its original is stored as the original, marked edited.
      edited_at: message.revision?.kind === 'edit' ? new Date(message.revision.at) : null,
      deleted_at: message.revision?.kind === 'delete' ? new Date(message.revision.at) : null,
    })
    .onConflict((oc) => oc.columns(['channel_id', 'external_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  // A concurrent delivery of the same message committed first: undo the conversation touch.
  if (!inserted) throw new DuplicateMessage();

  await attach(trx, messageId, message);
  const created = Boolean(conversation.created);
  // In the same transaction as the message, so a retried job can neither lose nor repeat it;
  // the outbound sweeper sends it if the enqueue after the commit is lost.
  const autoReplyId = created && context.autoReply && !message.automated && !event ? await insertAutoReply(trx, conversation.id, message.channelId, context.autoReply) : undefined;
  return { outcome: 'stored', messageId, conversationId: conversation.id, conversationCreated: created, ...(autoReplyId ? { autoReplyId } : {}) };
}

export async function insertAutoReply(trx: Transaction<Database>, conversationId: string, channelId: string, text: string): Promise<string> {
  const id = newId();
  const now = new Date();
  await trx
    .insertInto('messages')
    .values({
      id,
      conversation_id: conversationId,
      channel_id: channelId,
      direction: 'outbound',
      author_type: 'bot',
      author_id: 'auto-reply',
      author_name: 'Auto-reply',
      text,
      html: null,
      private: false,
      status: 'queued',
      error: null,
      external_id: null,
      reply_to_external_id: null,
      client_message_id: null,
      idempotency_key: null,
      raw: null,
      // After the customer's message in the timeline.
      created_at: new Date(now.getTime() + 1),
      sent_at: null,
      updated_at: now,
    })
    .execute();
  return id;
}

/**
 * The conversation a reply belongs to, found through the messages it references (ours or the
 * customer's): the newest referenced message we stored decides.
 */
async function conversationOfRefs(trx: Transaction<Database>, channelId: string, refs: readonly string[]): Promise<string | undefined> {
  const row = await trx
    .selectFrom('messages')
    .select('conversation_id')
    .where('channel_id', '=', channelId)
    .where('external_id', 'in', refs)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.conversation_id;
}

/** A reply found its conversation through its references: the same touch as below, by id. */
async function touchById(trx: Transaction<Database>, conversationId: string, message: InboundMessage, context: IngestContext, sentAt: Date) {
  const windowEnds = context.replyWindowHours === null ? null : new Date(sentAt.getTime() + context.replyWindowHours * 3_600_000);
  const preview = previewOf(message);
  return trx
    .updateTable('conversations')
    .set({
      ...(message.automated ? {} : { status: 'open' as const, resolved_at: null, snoozed_until: null, waiting_since: sql`coalesce(waiting_since, ${sentAt})` }),
      last_message_preview: sql`case when ${sentAt} >= last_message_at then ${preview} else last_message_preview end`,
      last_message_at: sql`greatest(last_message_at, ${sentAt})`,
      last_inbound_at: sql`greatest(last_inbound_at, ${sentAt})`,
      ...(windowEnds && !message.automated ? { reply_window_ends_at: sql`greatest(reply_window_ends_at, ${windowEnds})` } : {}),
      subject: sql`coalesce(subject, ${message.subject ?? null})`,
    })
    .where('id', '=', conversationId)
    .returning(['id', sql<boolean>`false`.as('created')])
    .executeTakeFirstOrThrow();
}

/**
 * The conflict clause of a conversation insert for a thread that already exists: reopen it and
 * move its activity forward, never backwards (messages can arrive out of order). Mail from a
 * machine (out-of-office, list) is kept but does not wake a closed case.
 */
export function reopenThread(automated: boolean) {
  return (oc: OnConflictBuilder<Database, 'conversations'>) =>
    oc.columns(['channel_id', 'thread_key']).doUpdateSet({
      ...(automated ? {} : { status: 'open' as const, resolved_at: null, snoozed_until: null }),
      last_message_preview: sql`case when excluded.last_message_at >= conversations.last_message_at then excluded.last_message_preview else conversations.last_message_preview end`,
      last_message_at: sql`greatest(conversations.last_message_at, excluded.last_message_at)`,
      last_inbound_at: sql`greatest(conversations.last_inbound_at, excluded.last_inbound_at)`,
      reply_window_ends_at: sql`greatest(conversations.reply_window_ends_at, excluded.reply_window_ends_at)`,
      subject: sql`coalesce(conversations.subject, excluded.subject)`,
      waiting_since: sql`coalesce(conversations.waiting_since, excluded.waiting_since)`,
    });
}

/** A customer message opens the conversation, or reopens it, and moves its activity forward. */
async function touchForMessage(trx: Transaction<Database>, message: InboundMessage, contactId: string, context: IngestContext, sentAt: Date) {
  const windowEnds = context.replyWindowHours === null ? null : new Date(sentAt.getTime() + context.replyWindowHours * 3_600_000);
  return trx
    .insertInto('conversations')
    .values({
      id: newId(),
      channel_id: message.channelId,
      channel_kind: context.channelKind,
      thread_key: message.threadKey,
      contact_id: contactId,
      subject: message.subject ?? null,
      last_message_at: sentAt,
      last_inbound_at: sentAt,
      last_message_preview: previewOf(message),
      reply_window_ends_at: message.automated ? null : windowEnds,
      waiting_since: message.automated ? null : sentAt,
    })
    .onConflict(reopenThread(message.automated === true))
    .returning(['id', sql<boolean>`(xmax = 0)`.as('created')])
    .executeTakeFirstOrThrow();
}

/**
 * A channel event records reachability and never reopens anything. With no conversation yet, a
 * "left" event creates it resolved (nothing to answer), any other event open.
 */
async function touchForEvent(trx: Transaction<Database>, message: InboundMessage, contactId: string, context: IngestContext, sentAt: Date) {
  const type = message.event!.type;
  const gone = type === 'blocked' || type === 'unsubscribed';
  const back = type === 'unblocked' || type === 'subscribed';
  const reachability = gone ? { unreachable_reason: message.text, unreachable_since: sentAt } : back ? { unreachable_reason: null, unreachable_since: null } : {};
  return trx
    .insertInto('conversations')
    .values({
      id: newId(),
      channel_id: message.channelId,
      channel_kind: context.channelKind,
      thread_key: message.threadKey,
      contact_id: contactId,
      status: gone ? 'resolved' : 'open',
      resolved_at: gone ? sentAt : null,
      last_message_at: sentAt,
      last_message_preview: previewOf(message),
      ...reachability,
    })
    .onConflict((oc) =>
      oc.columns(['channel_id', 'thread_key']).doUpdateSet(
        gone || back
          ? { unreachable_reason: sql`excluded.unreachable_reason`, unreachable_since: sql`excluded.unreachable_since` }
          : { thread_key: sql`excluded.thread_key` },
      ),
    )
    .returning(['id', sql<boolean>`(xmax = 0)`.as('created')])
    .executeTakeFirstOrThrow();
}

async function attach(trx: Transaction<Database>, messageId: string, message: InboundMessage): Promise<void> {
  const stored = message.attachments.filter((a) => a.storedId).map((a) => a.storedId!);
  if (stored.length > 0) {
    await trx
      .updateTable('attachments')
      .set({ message_id: messageId })
      .where('id', 'in', stored)
      .where('owner', '=', senderUploadScope(message.channelId, message.sender.externalId))
      .where('message_id', 'is', null)
      .execute();
  }
  const remote = message.attachments.filter((a) => !a.storedId);
  if (remote.length > 0) {
    await trx
      .insertInto('attachments')
      .values(
        remote.map((a) => ({
          id: newId(),
          message_id: messageId,
          owner: `channel:${message.channelId}`,
          kind: a.kind,
          name: a.name ?? null,
          mime_type: a.mimeType ?? null,
          size: a.size ?? null,
          storage_key: null,
          remote: a.remote ?? null,
          meta: a.latitude !== undefined ? JSON.stringify({ latitude: a.latitude, longitude: a.longitude }) : null,
        })),
      )
      .execute();
  }
}

export function previewOf(message: { text: string; attachments: readonly { kind: string; name?: string | undefined }[] }): string {
  const text = message.text.replace(/\s+/g, ' ').trim();
  if (text) return text.slice(0, 200);
  const first = message.attachments[0];
  return first ? `[${first.kind}${first.name ? `: ${first.name}` : ''}]` : '';
}
