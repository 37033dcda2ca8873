/**
 * Builders for Bot API updates in their documented shapes (https://core.telegram.org/bots/api#update),
 * for integration tests that need many distinct ones. Unit tests use the recorded fixtures in
 * test/fixtures/telegram instead.
 */
export interface Customer {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

type UpdateBody = Record<string, unknown>;

let nextDate = 1_764_000_000;
/** Increasing send times, so tests do not depend on the wall clock. */
const tick = (): number => (nextDate += 1);

function privateMessage(from: Customer, messageId: number, content: Record<string, unknown>): UpdateBody {
  return {
    message: {
      message_id: messageId,
      from: { is_bot: false, ...from },
      chat: { id: from.id, first_name: from.first_name, ...(from.last_name ? { last_name: from.last_name } : {}), ...(from.username ? { username: from.username } : {}), type: 'private' },
      date: tick(),
      ...content,
    },
  };
}

export const textUpdate = (from: Customer, messageId: number, text: string): UpdateBody => privateMessage(from, messageId, { text });

/** A photo arrives as the same picture in several sizes, smallest first. */
export const photoUpdate = (from: Customer, messageId: number, fileIds: { small: string; large: string; largeSize: number }, caption?: string): UpdateBody =>
  privateMessage(from, messageId, {
    photo: [
      { file_id: fileIds.small, file_unique_id: `u${fileIds.small}`, file_size: 1_200, width: 90, height: 67 },
      { file_id: fileIds.large, file_unique_id: `u${fileIds.large}`, file_size: fileIds.largeSize, width: 1280, height: 960 },
    ],
    ...(caption ? { caption } : {}),
  });

export const documentUpdate = (from: Customer, messageId: number, document: { fileId: string; name: string; mimeType: string; size: number }): UpdateBody =>
  privateMessage(from, messageId, {
    document: { file_id: document.fileId, file_unique_id: `u${document.fileId}`, file_name: document.name, mime_type: document.mimeType, file_size: document.size },
  });

/** The customer editing a message they sent (`edited_message` keeps `date`, adds `edit_date`). */
export const editUpdate = (original: UpdateBody, text: string): UpdateBody => ({
  edited_message: { ...(original.message as Record<string, unknown>), text, edit_date: tick() },
});

/** The customer blocking the bot in a private chat: the bot's membership turns `kicked` (ChatMemberUpdated). */
export const blockUpdate = (from: Customer, bot: { id: number; first_name: string; username: string }): UpdateBody => ({
  my_chat_member: {
    chat: { id: from.id, first_name: from.first_name, ...(from.last_name ? { last_name: from.last_name } : {}), type: 'private' },
    from: { is_bot: false, ...from },
    date: tick(),
    old_chat_member: { user: { is_bot: true, ...bot }, status: 'member' },
    new_chat_member: { user: { is_bot: true, ...bot }, status: 'kicked', until_date: 0 },
  },
});
