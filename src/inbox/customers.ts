import { senderUploadScope } from '../domain/attachment.js';
import type { Message } from '../domain/message.js';
import { customerConversation, isCustomerMessage } from '../store/customer-view.js';
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
  page: { after?: string | undefined; limit: number },
): Promise<{ messages: Message[]; status: 'open' | 'pending' | 'snoozed' | 'resolved' } | undefined> {
  const conversation = await customerConversation(deps.db, channelId, threadKey);
  if (!conversation) return undefined;
  // An `after` id the customer cannot know (stale cache, another conversation) yields the recent
  // history rather than an empty page, so a reconnecting widget never silently misses messages.
  const messages =
    (await listMessages(deps.db, conversation.id, { limit: page.limit, after: page.after, includePrivate: false })) ??
    (await listMessages(deps.db, conversation.id, { limit: page.limit, includePrivate: false }))!;
  return { messages, status: conversation.status };
}

/** A file the customer may download: their own upload, or one of a non-private message of their conversation. */
export async function customerAttachment(deps: InboxDeps, channelId: string, threadKey: string, attachmentId: string): Promise<AttachmentRow | undefined> {
  const row = await getAttachmentRow(deps.db, attachmentId);
  if (!row) return undefined;
  if (row.owner === senderUploadScope(channelId, threadKey)) return row;
  return row.message_id && (await isCustomerMessage(deps.db, channelId, threadKey, row.message_id)) ? row : undefined;
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
