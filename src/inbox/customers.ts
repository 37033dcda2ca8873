import { senderUploadScope } from '../domain/attachment.js';
import type { Message } from '../domain/message.js';
import { conversationInScope, customerConversation, type CustomerScope, identityConversations, isCustomerMessage, isIdentityMessage, lastVisibleTexts } from '../store/customer-view.js';
import type { AttachmentRow } from '../store/mappers.js';
import { listMessages } from '../store/messages.js';
import { getAttachmentRow, saveUpload } from '../store/uploads.js';
import type { InboxDeps } from './deps.js';

/**
 * The customer side's use cases (the web chat widget's routes call these): a customer sees only
 * their own conversation on that channel, never internal notes.
 */

export async function customerHistory(
  deps: InboxDeps,
  channelId: string,
  threadKey: string,
  page: { after?: string | undefined; limit: number; conversation?: string | undefined; scope?: CustomerScope | undefined },
): Promise<{ messages: Message[]; status: 'open' | 'pending' | 'snoozed' | 'resolved'; id: string; own: boolean } | undefined> {
  // Another of the customer's conversations (issue 17), only within what their scope covers.
  const conversation = page.conversation
    ? await conversationInScope(deps.db, channelId, threadKey, page.conversation, page.scope ?? 'thread')
    : await customerConversation(deps.db, channelId, threadKey);
  if (!conversation) return undefined;
  // An `after` id the customer cannot know (stale cache, another conversation) yields the recent
  // history rather than an empty page, so a reconnecting widget never silently misses messages.
  const messages =
    (await listMessages(deps.db, conversation.id, { limit: page.limit, after: page.after, includePrivate: false })) ??
    (await listMessages(deps.db, conversation.id, { limit: page.limit, includePrivate: false }))!;
  const own = !page.conversation || ('thread_key' in conversation && conversation.thread_key === threadKey);
  return { messages, status: conversation.status, id: conversation.id, own };
}

export interface CustomerConversationSummary {
  readonly id: string;
  readonly status: 'open' | 'pending' | 'snoozed' | 'resolved';
  readonly subject: string | null;
  readonly createdAt: string;
  readonly lastMessageAt: string;
  readonly resolvedAt: string | null;
  /** The newest text the customer may see in it. */
  readonly preview: string;
  /** The thread the customer writes in now; the others are read-only records. */
  readonly own: boolean;
}

/** Every conversation the identity's contact has on this channel (issue 17: what support told them, to look up later). */
export async function customerConversations(deps: InboxDeps, channelId: string, threadKey: string, limit = 50): Promise<CustomerConversationSummary[]> {
  const rows = await identityConversations(deps.db, channelId, threadKey, limit);
  const previews = await lastVisibleTexts(deps.db, rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    subject: r.subject,
    createdAt: r.created_at.toISOString(),
    lastMessageAt: r.last_message_at.toISOString(),
    resolvedAt: r.resolved_at?.toISOString() ?? null,
    preview: (previews.get(r.id) ?? '').slice(0, 140),
    own: r.thread_key === threadKey,
  }));
}

/** A file the customer may download: their own upload, or one of a non-private message of their conversation. */
export async function customerAttachment(deps: InboxDeps, channelId: string, threadKey: string, attachmentId: string, scope: CustomerScope = 'thread'): Promise<AttachmentRow | undefined> {
  const row = await getAttachmentRow(deps.db, attachmentId);
  if (!row) return undefined;
  if (row.owner === senderUploadScope(channelId, threadKey)) return row;
  if (!row.message_id) return undefined;
  const visible = scope === 'identity' ? isIdentityMessage(deps.db, channelId, threadKey, row.message_id) : isCustomerMessage(deps.db, channelId, threadKey, row.message_id);
  return (await visible) ? row : undefined;
}

/** A file the customer uploads before sending it (through the desk's file filter). */
export async function customerUpload(deps: InboxDeps, channelId: string, senderId: string, file: { name: string; mimeType: string; bytes: Buffer }): Promise<AttachmentRow> {
  return saveUpload(deps.db, deps.attachments, {
    owner: senderUploadScope(channelId, senderId),
    name: file.name,
    mimeType: file.mimeType,
    ...deps.desk.filters.file({ name: file.name, mimeType: file.mimeType, bytes: file.bytes }),
  });
}
