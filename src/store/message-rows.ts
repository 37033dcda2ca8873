import { type Insertable, sql, type Transaction } from 'kysely';
import { senderUploadScope } from '../domain/attachment.js';
import { newId } from '../domain/ids.js';
import type { InboundMessage, Message, Redaction } from '../domain/message.js';
import type { SystemNote } from '../domain/system-note.js';
import { displayName } from './contacts.js';
import type { AttachmentsTable, Database, MessagesTable, StoredChoice } from './schema.js';

/**
 * The one place a message row is shaped: both ingest paths (one message, a batch), both reply
 * paths (with and without files), automatic messages and system notes build their rows here, so
 * a column added to `messages` is filled everywhere or the compiler says where not.
 */
export type NewMessageRow = Insertable<MessagesTable>;

/** A customer's message, or a channel event (a system line visible to agents only). */
export function inboundMessageRow(message: InboundMessage, ids: { id: string; conversationId: string; contactId: string }, now: Date): NewMessageRow {
  const sentAt = new Date(message.sentAt);
  const event = message.event;
  const system: SystemNote | null = event ? { type: 'channel-event', params: { event: event.type, ...(event.detail ? { detail: event.detail } : {}) } } : null;
  return {
    id: ids.id,
    conversation_id: ids.conversationId,
    channel_id: message.channelId,
    direction: 'inbound',
    author_type: event ? 'system' : 'contact',
    author_id: ids.contactId,
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
    updated_at: now,
    // An edit that overtook its original is stored as the original, marked edited.
    edited_at: message.revision?.kind === 'edit' ? new Date(message.revision.at) : null,
    deleted_at: message.revision?.kind === 'delete' ? new Date(message.revision.at) : null,
    system: system ? JSON.stringify(system) : null,
    redactions: message.redactions?.length ? JSON.stringify(message.redactions) : null,
    choice: message.choice ? JSON.stringify({ id: message.choice.id, picked: message.choice.value } satisfies StoredChoice) : null,
  };
}

export interface OutboundRowInput {
  id: string;
  conversationId: string;
  channelId: string;
  author: { type: Exclude<Message['author']['type'], 'contact'>; id: string; name: string };
  text: string;
  /** An internal note (or a system line): never sent, so stored as `sent` at once. */
  private: boolean;
  replyToExternalId?: string | null;
  idempotencyKey?: string | null;
  system?: SystemNote | null;
  at: Date;
  /** Its place in the timeline when not `at` (an acknowledgement goes right after the message it answers). */
  createdAt?: Date;
  /** A question with options (a survey), presented natively by channels that can. */
  choice?: StoredChoice | null;
}

/** An agent's reply or note, an automatic message, or a system line. */
export function outboundMessageRow(input: OutboundRowInput): NewMessageRow {
  return {
    id: input.id,
    conversation_id: input.conversationId,
    channel_id: input.channelId,
    direction: 'outbound',
    author_type: input.author.type,
    author_id: input.author.id,
    author_name: input.author.name,
    text: input.text,
    html: null,
    private: input.private,
    status: input.private ? 'sent' : 'queued',
    error: null,
    external_id: null,
    reply_to_external_id: input.replyToExternalId ?? null,
    client_message_id: null,
    idempotency_key: input.idempotencyKey ?? null,
    raw: null,
    created_at: input.createdAt ?? input.at,
    sent_at: input.private ? input.at : null,
    updated_at: input.at,
    edited_at: null,
    deleted_at: null,
    system: input.system ? JSON.stringify(input.system) : null,
    redactions: null,
    choice: input.choice ? JSON.stringify(input.choice) : null,
  };
}

/**
 * A row as the column list and value list of `insert into messages (…) select … from <cte>`,
 * for single-statement writes whose insert depends on another CTE (the conversation exists).
 */
export function insertSelectParts(row: NewMessageRow): { columns: ReturnType<typeof sql.join>; values: ReturnType<typeof sql.join> } {
  const entries = Object.entries(row);
  return {
    columns: sql.join(entries.map(([column]) => sql.ref(column))),
    values: sql.join(entries.map(([, value]) => sql`${value}`)),
  };
}

/** Platform files of an inbound message (references to fetch later, or locations). */
export function inboundAttachmentRows(message: InboundMessage, messageId: string): Insertable<AttachmentsTable>[] {
  return message.attachments
    .filter((a) => !a.storedId)
    .map((a) => ({
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
    }));
}

/**
 * Links files the sender uploaded before sending (widget uploads, email attachments) to the
 * message; only that sender's own unused uploads can be claimed. Returns how many were linked.
 */
export async function claimUploads(trx: Transaction<Database>, messageId: string, owner: string, ids: readonly string[]): Promise<{ count: number; redactions: Redaction[] }> {
  if (ids.length === 0) return { count: 0, redactions: [] };
  const linked = await trx
    .updateTable('attachments')
    .set({ message_id: messageId })
    .where('id', 'in', ids)
    .where('owner', '=', owner)
    .where('message_id', 'is', null)
    .returning('meta')
    .execute();
  const redactions = linked.flatMap((row) => (Array.isArray(row.meta?.redactions) ? (row.meta.redactions as Redaction[]) : []));
  return { count: linked.length, redactions };
}

/** Secrets removed from a message's files join the message's own redactions. */
export async function addRedactions(trx: Transaction<Database>, messageId: string, redactions: readonly Redaction[]): Promise<void> {
  await trx
    .updateTable('messages')
    .set({ redactions: sql`coalesce(redactions, '[]'::jsonb) || ${JSON.stringify(redactions)}::jsonb`, updated_at: new Date() })
    .where('id', '=', messageId)
    .execute();
}

export const senderUploadsOf = (message: InboundMessage): { owner: string; ids: string[] } => ({
  owner: senderUploadScope(message.channelId, message.sender.externalId),
  ids: message.attachments.flatMap((a) => (a.storedId ? [a.storedId] : [])),
});
