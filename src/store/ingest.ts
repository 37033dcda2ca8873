import type { Transaction } from 'kysely';
import type { DomainEvent } from '../domain/events.js';
import { newId } from '../domain/ids.js';
import type { InboundMessage } from '../domain/message.js';
import { resolveContacts, senderOf } from './contacts.js';
import { conversationOfRefs, type IngestContext, type TouchedConversation, touchById, touchForEvent, touchThreads } from './conversation-touch.js';
import type { Db } from './database.js';
import { type AttachmentRow, type ConversationRow, type MessageRow, messageColumns } from './mappers.js';
import { addRedactions, claimUploads, inboundAttachmentRows, inboundMessageRow, senderUploadsOf } from './message-rows.js';
import { appendEvents, type OutboxBatch } from './outbox.js';
import type { Database } from './schema.js';

export type { IngestContext } from './conversation-touch.js';

export type IngestResult =
  | { outcome: 'duplicate' }
  | { outcome: 'stored'; messageId: string; conversationId: string; conversationCreated: boolean }
  | { outcome: 'revised'; messageId: string; conversationId: string }
  | { outcome: 'bounced'; messageId: string };

/** A result and the outbox batch its transaction committed (none for a duplicate). */
export interface IngestOutput {
  readonly result: IngestResult;
  readonly batch?: OutboxBatch | undefined;
}

/**
 * Rows a write produced, as Postgres returned them (INSERT … RETURNING), so announcing them needs
 * no second read.
 */
export interface WrittenRows {
  readonly messages: Map<string, MessageRow>;
  readonly attachments: AttachmentRow[];
  readonly conversations: Map<string, ConversationRow>;
}

export const noRows = (): WrittenRows => ({ messages: new Map(), attachments: [], conversations: new Map() });

class DuplicateMessage extends Error {}

/**
 * What storing messages tells the rest of the system, in the order consumers see it: for each
 * conversation touched, that it was created or updated, then each of its new messages.
 */
export function storedEvents(stored: readonly { conversation: TouchedConversation; messageId: string; message: InboundMessage; opened: boolean }[]): DomainEvent[] {
  const byConversation = new Map<string, typeof stored[number][]>();
  for (const entry of stored) {
    const list = byConversation.get(entry.conversation.row.id) ?? [];
    list.push(entry);
    byConversation.set(entry.conversation.row.id, list);
  }
  const events: DomainEvent[] = [];
  for (const [conversationId, entries] of byConversation) {
    events.push({ type: entries[0]!.conversation.created ? 'conversation.created' : 'conversation.updated', conversationId });
    const escalated = entries.find((e) => e.message.escalation);
    if (escalated && entries[0]!.conversation.escalated) events.push({ type: 'conversation.escalated', conversationId, reason: escalated.message.escalation!.reason });
    for (const { messageId, message, opened } of entries) {
      events.push({
        type: 'message.created',
        conversationId,
        messageId,
        direction: 'inbound',
        author: message.event ? 'system' : 'contact',
        ...(opened ? { opened: true } : {}),
        ...(message.automated ? { automated: true } : {}),
      });
    }
  }
  return events;
}

/**
 * Stores one inbound message in one transaction: contact and identity, conversation (opened, or
 * reopened when resolved/snoozed), message, and the events saying so. A redelivered message (same
 * channel + external id) changes nothing: the unique index turns it into a rolled-back no-op
 * (DESIGN §1). A revision (edit/delete) updates the stored message instead.
 */
export async function ingestInbound(db: Db, message: InboundMessage, context: IngestContext, written: WrittenRows = noRows()): Promise<IngestOutput> {
  const seen = await db
    .selectFrom('messages')
    .select(['id', 'conversation_id'])
    .where('channel_id', '=', message.channelId)
    .where('external_id', '=', message.externalId)
    .executeTakeFirst();
  if (seen && message.revision) return revise(db, seen, message);
  if (seen) return { result: { outcome: 'duplicate' } };
  // The deletion of a message we never stored leaves nothing to keep.
  if (message.revision?.kind === 'delete') return { result: { outcome: 'duplicate' } };
  if (message.deliveryFailure) {
    const bounced = await markUndelivered(db, message.channelId, message.deliveryFailure);
    if (bounced) return bounced;
    // A report about a message we never sent is kept as mail from a machine: nothing is lost.
    message = { ...message, automated: true };
  }
  try {
    return await db.transaction().execute((trx) => ingestInTransaction(trx, message, context, written));
  } catch (error) {
    if (!(error instanceof DuplicateMessage)) throw error;
    // A concurrent delivery of the same message won; a revision is applied on top of it.
    if (!message.revision) return { result: { outcome: 'duplicate' } };
    return ingestInbound(db, message, context, written);
  }
}

/**
 * Applies an edit or delete only if it is newer than the stored version: platforms redeliver and
 * reorder, and an old edit arriving late must not overwrite a newer text.
 */
async function revise(db: Db, stored: { id: string; conversation_id: string }, message: InboundMessage): Promise<IngestOutput> {
  const revision = message.revision!;
  const at = new Date(revision.at);
  const changes = revision.kind === 'edit' ? { text: message.text, html: message.html ?? null, edited_at: at } : { deleted_at: at };
  const column = revision.kind === 'edit' ? 'edited_at' : 'deleted_at';
  return db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('messages')
      .set({ ...changes, updated_at: new Date() })
      .where('id', '=', stored.id)
      .where((eb) => eb.or([eb(column, 'is', null), eb(column, '<', at)]))
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return { result: { outcome: 'duplicate' } };
    const refs = { conversationId: stored.conversation_id, messageId: stored.id };
    // An edit that pasted a secret: the desk warns and escalates as for a file found to hold one.
    const redacted = revision.kind === 'edit' && (message.redactions?.length ?? 0) > 0;
    if (redacted) await addRedactions(trx, stored.id, message.redactions!);
    const batch = await appendEvents(trx, [{ type: 'message.updated', ...refs }, ...(redacted ? [{ type: 'message.redacted' as const, ...refs }] : [])]);
    return { result: { outcome: 'revised', messageId: stored.id, conversationId: stored.conversation_id }, batch };
  });
}

/**
 * Marks our outbound message that a delivery report names as failed, with the report's reason.
 * Undefined when the report names nothing we sent on this channel.
 */
async function markUndelivered(db: Db, channelId: string, failure: NonNullable<InboundMessage['deliveryFailure']>): Promise<IngestOutput | undefined> {
  const reason = [failure.status, failure.diagnostic].filter(Boolean).join(' ').slice(0, 1000) || "the recipient's server reported the message undelivered";
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('messages')
      .set({ status: 'failed', error: JSON.stringify({ code: 'bounced', message: reason, retryable: false }), updated_at: new Date() })
      .where('channel_id', '=', channelId)
      .where('external_id', '=', failure.originalExternalId)
      .where('direction', '=', 'outbound')
      .returning(['id', 'conversation_id'])
      .executeTakeFirst();
    if (!row) return undefined;
    const batch = await appendEvents(trx, [{ type: 'message.updated', conversationId: row.conversation_id, messageId: row.id }]);
    return { result: { outcome: 'bounced', messageId: row.id }, batch };
  });
}

async function ingestInTransaction(trx: Transaction<Database>, message: InboundMessage, context: IngestContext, written: WrittenRows): Promise<IngestOutput> {
  const contacts = await resolveContacts(trx, [message]);
  const contactId = contacts.get(senderOf(message))!;
  const refsConversation = !message.event && message.threadRefs?.length ? await conversationOfRefs(trx, message.channelId, message.threadRefs) : undefined;
  const conversation = message.event
    ? await touchForEvent(trx, message, contactId, context)
    : refsConversation
      ? await touchById(trx, refsConversation, message, context)
      : [...(await touchThreads(trx, [{ message, context }], contacts, message.automated === true)).values()][0]!;

  const row = inboundMessageRow(message, { id: newId(), conversationId: conversation.row.id, contactId }, new Date());
  const inserted = await trx
    .insertInto('messages')
    .values(row)
    .onConflict((oc) => oc.columns(['channel_id', 'external_id']).doNothing())
    .returning(messageColumns)
    .executeTakeFirst();
  // A concurrent delivery of the same message committed first: undo the conversation touch.
  if (!inserted) throw new DuplicateMessage();

  const uploads = senderUploadsOf(message);
  const claimed = await claimUploads(trx, inserted.id, uploads.owner, uploads.ids);
  if (claimed.redactions.length > 0) await addRedactions(trx, inserted.id, claimed.redactions);
  const files = inboundAttachmentRows(message, inserted.id);
  if (files.length > 0) written.attachments.push(...(await trx.insertInto('attachments').values(files).returningAll().execute()));
  // Claimed uploads are read back when announced (they were written before the message).
  if (uploads.ids.length === 0) written.messages.set(inserted.id, inserted);
  written.conversations.set(conversation.row.id, conversation.row);
  const events = storedEvents([{ conversation, messageId: inserted.id, message, opened: conversation.created }]);
  // Its files held secrets: the desk reacts as to a secret removed after the message was stored.
  if (claimed.redactions.length > 0) events.push({ type: 'message.redacted', conversationId: conversation.row.id, messageId: inserted.id });
  const batch = await appendEvents(trx, events);
  return { result: { outcome: 'stored', messageId: inserted.id, conversationId: conversation.row.id, conversationCreated: conversation.created }, batch };
}
