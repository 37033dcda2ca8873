import type { Selectable } from 'kysely';
import type { Attachment } from '../domain/attachment.js';
import type { ChannelKind } from '../domain/channel.js';
import type { Contact } from '../domain/contact.js';
import type { Conversation } from '../domain/conversation.js';
import type { Message } from '../domain/message.js';
import { type SlaState, slaView } from '../domain/sla.js';
import type { MessageChoice } from '../domain/choice.js';
import type { AttachmentsTable, ContactsTable, ConversationsTable, MessagesTable, StoredChoice } from './schema.js';

export type ConversationRow = Selectable<ConversationsTable>;
/** A message as the API shows it: everything but the platform payload (`raw`, kept for audit only). */
export type MessageRow = Omit<Selectable<MessagesTable>, 'raw'>;

/**
 * Columns of MessageRow. Reading `raw` with every message made Postgres send, and `pg` parse,
 * each platform payload again just to drop it.
 */
export const messageColumns = [
  'id',
  'seq',
  'conversation_id',
  'channel_id',
  'direction',
  'author_type',
  'author_id',
  'author_name',
  'text',
  'html',
  'private',
  'status',
  'error',
  'external_id',
  'reply_to_external_id',
  'client_message_id',
  'idempotency_key',
  'created_at',
  'received_at',
  'sent_at',
  'updated_at',
  'edited_at',
  'deleted_at',
  'sent_parts',
  'system',
  'redactions',
  'choice',
] as const satisfies readonly (keyof MessageRow)[];
export type AttachmentRow = Selectable<AttachmentsTable>;
export type ContactRow = Selectable<ContactsTable>;
export interface IdentityRow {
  contact_id: string;
  channel_id: string;
  external_id: string;
  handle: string | null;
}

export const iso = (value: Date | string): string => (value instanceof Date ? value : new Date(value)).toISOString();
const isoOrNull = (value: Date | string | null): string | null => (value === null ? null : iso(value));

export function toContact(row: ContactRow, identities: readonly IdentityRow[]): Contact {
  return {
    id: row.id,
    name: row.name,
    ...(row.email ? { email: row.email } : {}),
    ...(row.avatar_url ? { avatarUrl: row.avatar_url } : {}),
    identities: identities
      .filter((i) => i.contact_id === row.id)
      .map((i) => ({ channelId: i.channel_id, externalId: i.external_id, handle: i.handle })),
    userId: row.user_id ?? null,
  };
}

export function toConversation(row: ConversationRow, contact: Contact): Conversation {
  return {
    id: row.id,
    channelId: row.channel_id,
    channelKind: row.channel_kind as ChannelKind,
    status: row.status,
    priority: row.priority,
    assigneeId: row.assignee_id,
    labels: row.labels,
    subject: row.subject,
    contact,
    createdAt: iso(row.created_at),
    lastMessageAt: iso(row.last_message_at),
    firstResponseAt: isoOrNull(row.first_response_at),
    resolvedAt: isoOrNull(row.resolved_at),
    snoozedUntil: isoOrNull(row.snoozed_until),
    replyWindowEndsAt: isoOrNull(row.reply_window_ends_at),
    lastInboundAt: isoOrNull(row.last_inbound_at),
    lastMessagePreview: row.last_message_preview,
    waitingSince: isoOrNull(row.waiting_since),
    customerUnreachable: row.unreachable_reason ? { reason: row.unreachable_reason, since: iso(row.unreachable_since ?? row.last_message_at) } : null,
    escalation: row.escalation ? { level: row.escalation.level, reason: row.escalation.reason, at: row.escalation.at, by: row.escalation.by, assignedTo: row.escalation.to ?? null } : null,
    sla: slaView(row.sla as SlaState | null),
    teamId: row.team_id,
    csat: row.csat ? { rating: row.csat.rating, comment: row.csat.comment, ratedAt: row.csat.ratedAt, ...(row.csat.via ? { via: row.csat.via } : {}) } : null,
    handledBy: row.handled_by,
    botId: row.bot_id,
    handoff: row.handoff ? { at: row.handoff.at, reason: row.handoff.reason } : null,
  };
}

/** `urlFor` decides who downloads: agents via /api, visitors via /widget. */
export function toAttachment(row: AttachmentRow, urlFor: (id: string) => string): Attachment {
  return {
    id: row.id,
    kind: row.kind as Attachment['kind'],
    ...(row.name ? { name: row.name } : {}),
    ...(row.mime_type ? { mimeType: row.mime_type } : {}),
    ...(row.size !== null ? { size: row.size } : {}),
    url: row.kind === 'location' && typeof row.meta?.latitude === 'number' ? `geo:${row.meta.latitude},${row.meta.longitude}` : urlFor(row.id),
    ...(row.storage_key === null && row.remote !== null && !fetchError(row) ? { pending: true } : {}),
    ...(fetchError(row) ? { error: fetchError(row)! } : {}),
  };
}

export function toMessage(row: MessageRow, attachments: readonly Attachment[]): Message {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    direction: row.direction,
    author: { type: row.author_type, id: row.author_id, name: row.author_name },
    text: row.text,
    ...(row.html ? { html: row.html } : {}),
    attachments: [...attachments],
    private: row.private,
    status: row.status,
    ...(row.error ? { error: row.error } : {}),
    externalId: row.external_id,
    createdAt: iso(row.created_at),
    sentAt: isoOrNull(row.sent_at),
    replyToExternalId: row.reply_to_external_id,
    clientMessageId: row.client_message_id,
    editedAt: isoOrNull(row.edited_at),
    deletedAt: isoOrNull(row.deleted_at),
    ...(row.system ? { system: row.system } : {}),
    redactions: row.redactions ?? [],
    ...(row.choice ? { choice: choiceView(row.choice) } : {}),
  };
}

/** What the API shows of a message's choice: never the links (signed, the customer's alone) nor the channel's texts. */
const choiceView = (choice: StoredChoice): MessageChoice => ({
  id: choice.id,
  options: (choice.options ?? []).map((o) => ({ value: o.value, label: o.label })),
  picked: choice.picked ?? null,
});

function fetchError(row: AttachmentRow): string | undefined {
  const error = row.meta?.fetchError;
  return typeof error === 'string' ? error : undefined;
}

export const agentAttachmentUrl = (id: string): string => `/api/attachments/${id}`;
