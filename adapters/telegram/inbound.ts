import { z } from 'zod';
import type { InboundAttachment } from '../../src/domain/attachment.js';
import type { PickedChoice } from '../../src/domain/choice.js';
import type { InboundMessageInput } from '../../src/domain/message.js';

/*
 * The parts of a Bot API `Update` we read (https://core.telegram.org/bots/api#update), in their
 * documented shapes. Unknown fields are ignored here and kept in `raw`; only what we read must fit.
 */

const User = z.object({
  id: z.number().int(),
  is_bot: z.boolean(),
  first_name: z.string(),
  last_name: z.string().optional(),
  username: z.string().optional(),
  language_code: z.string().optional(),
});

const Chat = z.object({
  id: z.number().int(),
  type: z.enum(['private', 'group', 'supergroup', 'channel']),
  title: z.string().optional(),
});

const file = {
  file_id: z.string().min(1),
  file_unique_id: z.string(),
  file_size: z.number().int().nonnegative().optional(),
};
const NamedFile = z.object({ ...file, file_name: z.string().optional(), mime_type: z.string().optional() });
const Audio = NamedFile.extend({ performer: z.string().optional(), title: z.string().optional() });
const Sticker = z.object({ ...file, is_animated: z.boolean(), is_video: z.boolean(), emoji: z.string().optional() });

const MessageEntity = z.object({
  type: z.string(),
  offset: z.number().int().nonnegative(),
  length: z.number().int().nonnegative(),
  user: z.object({ id: z.number().int() }).optional(),
});

const Message = z.object({
  message_id: z.number().int(),
  date: z.number().int(),
  edit_date: z.number().int().optional(),
  chat: Chat,
  from: User.optional(),
  /** Set instead of a real sender for anonymous group admins and channels writing in groups. */
  sender_chat: Chat.optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  entities: z.array(MessageEntity).optional(),
  caption_entities: z.array(MessageEntity).optional(),
  reply_to_message: z.object({ message_id: z.number().int(), from: User.optional() }).optional(),
  media_group_id: z.string().optional(),
  /** The same picture in several sizes, smallest first. */
  photo: z.array(z.object(file)).optional(),
  document: NamedFile.optional(),
  voice: NamedFile.optional(),
  audio: Audio.optional(),
  video: NamedFile.optional(),
  video_note: z.object(file).optional(),
  animation: NamedFile.optional(),
  sticker: Sticker.optional(),
  location: z.object({ latitude: z.number(), longitude: z.number() }).optional(),
  contact: z.object({ phone_number: z.string(), first_name: z.string(), last_name: z.string().optional() }).optional(),
});
export type TelegramMessage = z.infer<typeof Message>;

const ChatMemberUpdated = z.object({
  chat: Chat,
  from: User,
  date: z.number().int(),
  old_chat_member: z.object({ status: z.string() }),
  new_chat_member: z.object({ status: z.string() }),
});

/** Buttons under a message, rows of them (Bot API InlineKeyboardMarkup); only callback buttons matter here. */
const InlineKeyboardMarkup = z.object({
  inline_keyboard: z.array(z.array(z.object({ text: z.string(), callback_data: z.string().optional() }))),
});

/**
 * The message a pressed button sits under. Since Bot API 7.0 it may be "inaccessible" (too old
 * for its content to be sent along): then only `chat`, `message_id` and `date: 0` (Bot API
 * InaccessibleMessage).
 */
const TappedMessage = z.object({
  message_id: z.number().int(),
  date: z.number().int(),
  chat: Chat,
  text: z.string().optional(),
  reply_markup: InlineKeyboardMarkup.optional(),
});

/**
 * A press of an inline keyboard button (Bot API CallbackQuery). `data` is the button's
 * `callback_data`, but Telegram does not check it against the message: "the message originated
 * the query can contain no callback buttons with this data" (@telegraf/types markup.d.ts).
 */
const CallbackQuery = z.object({
  id: z.string().min(1),
  from: User,
  /** Absent for a button on a message sent in inline mode (`inline_message_id`), which we never send. */
  message: TappedMessage.optional(),
  chat_instance: z.string(),
  data: z.string().optional(),
});
export type CallbackQuery = z.infer<typeof CallbackQuery>;

export const TelegramUpdate = z.object({
  update_id: z.number().int(),
  message: Message.optional(),
  edited_message: Message.optional(),
  my_chat_member: ChatMemberUpdated.optional(),
  callback_query: CallbackQuery.optional(),
});
export type TelegramUpdate = z.infer<typeof TelegramUpdate>;

/** The update types we act on; `setWebhook`/`getUpdates` ask Telegram for only these. */
export const ALLOWED_UPDATES = ['message', 'edited_message', 'my_chat_member', 'callback_query'] as const;

export interface ParseOptions {
  readonly channelId: string;
  readonly groups: 'ignore' | 'mentions' | 'all';
  /** From `getMe`; unknown until then, when group messages count as not addressed to the bot. */
  readonly botId?: number | undefined;
  readonly botUsername?: string | undefined;
}

/**
 * Pure: a Bot API Update → the normalized message, or null when it is nothing for the inbox
 * (channel posts, service messages, group chatter not addressed to the bot, unknown types).
 */
export function parseUpdate(update: unknown, options: ParseOptions): InboundMessageInput | null {
  const parsed = TelegramUpdate.safeParse(update);
  return parsed.success ? toInboundMessage(parsed.data, update, options) : null;
}

/**
 * As `parseUpdate`, for an update already checked against `TelegramUpdate`; `raw` is kept as
 * received. A button press is null here: it needs answering, so the adapter takes it (`fromTap`).
 */
export function toInboundMessage(update: TelegramUpdate, raw: unknown, options: ParseOptions): InboundMessageInput | null {
  if (update.message) return fromMessage(update.message, raw, options);
  if (update.edited_message?.edit_date !== undefined) {
    const parsed = fromMessage(update.edited_message, raw, options);
    // Same externalId as the original, so the edit finds its message (or stands in for it).
    return parsed && { ...parsed, revision: { kind: 'edit', at: unixToIso(update.edited_message.edit_date) } };
  }
  if (update.my_chat_member) return fromMemberUpdate(update.my_chat_member, raw, options.channelId);
  return null;
}

/**
 * Whether deciding on this update needs the bot's own id and username (a group message under
 * `groups: mentions`), so a webhook can look them up first instead of dropping the message.
 */
export function needsBotIdentity(update: TelegramUpdate, groups: ParseOptions['groups']): boolean {
  const chat = (update.message ?? update.edited_message)?.chat;
  return groups === 'mentions' && (chat?.type === 'group' || chat?.type === 'supergroup');
}

function fromMessage(message: TelegramMessage, raw: unknown, options: ParseOptions): InboundMessageInput | null {
  if (!addressedToBot(message, options)) return null;
  const sender = senderOf(message);
  if (!sender) return null;
  const attachments = attachmentsOf(message);
  const text = textOf(message);
  // Service messages (joins, pins, group migrations, …) carry neither: nothing for an agent.
  if (text === '' && attachments.length === 0) return null;
  const chatId = String(message.chat.id);
  const language = message.from?.language_code;
  return {
    channelId: options.channelId,
    // A message's identity in Telegram is (chat, message_id): redeliveries share it, edits and
    // replies refer to it. update_id would differ between an original and its edit.
    externalId: messageKey(chatId, message.message_id),
    threadKey: chatId,
    sender,
    sentAt: unixToIso(message.date),
    text,
    attachments,
    ...(message.reply_to_message ? { replyToExternalId: messageKey(chatId, message.reply_to_message.message_id) } : {}),
    raw: { ...(language ? { languageCode: language } : {}), update: raw },
  };
}

/**
 * In a private chat, Telegram reports the user blocking the bot as the bot's membership turning
 * `kicked`, and unblocking (or /start again) as `member` (Bot API ChatMemberUpdated).
 */
function fromMemberUpdate(change: z.infer<typeof ChatMemberUpdated>, raw: unknown, channelId: string): InboundMessageInput | null {
  if (change.chat.type !== 'private') return null;
  const before = change.old_chat_member.status;
  const after = change.new_chat_member.status;
  let event: 'blocked' | 'unblocked';
  if (after === 'kicked') event = 'blocked';
  else if (after === 'member' && before === 'kicked') event = 'unblocked';
  else return null;
  const chatId = String(change.chat.id);
  return {
    channelId,
    externalId: `${chatId}:member-${after}-${change.date}`,
    threadKey: chatId,
    sender: userSender(change.from),
    sentAt: unixToIso(change.date),
    text: event === 'blocked' ? 'The customer blocked the bot' : 'The customer unblocked the bot',
    event: { type: event },
    raw: { update: raw },
  };
}

/**
 * Pure: the customer's press of one of our question's buttons → their pick, in the conversation of
 * that chat, from that user (as any message of theirs there). `externalId` is the callback query's
 * id, which a redelivered update repeats. It reads as the button's caption: from the keyboard
 * under the message, else `storedLabel` (the message is too old to come with its keyboard), else
 * the value. Null for a press where no conversation can be (a channel, or groups ignored).
 */
export function fromTap(query: CallbackQuery, picked: PickedChoice, raw: unknown, options: ParseOptions & { receivedAt: string; storedLabel?: string | undefined }): InboundMessageInput | null {
  const chat = query.message?.chat;
  if (!chat || chat.type === 'channel') return null;
  if (chat.type !== 'private' && options.groups === 'ignore') return null;
  const label = buttonOf(query)?.text ?? options.storedLabel;
  const language = query.from.language_code;
  return {
    channelId: options.channelId,
    externalId: `cb:${query.id}`,
    threadKey: String(chat.id),
    sender: userSender(query.from),
    sentAt: options.receivedAt,
    text: label && label.trim() !== '' ? label : picked.value,
    choice: picked,
    raw: { ...(language ? { languageCode: language } : {}), update: raw },
  };
}

/** The pressed button, when the keyboard still under the message carries its data. */
export function buttonOf(query: CallbackQuery): { text: string } | undefined {
  if (query.data === undefined) return undefined;
  return query.message?.reply_markup?.inline_keyboard.flat().find((button) => button.callback_data === query.data);
}

/** A callback query's id from an update that does not fit our schema, so it can still be answered. */
export function callbackQueryIdOf(raw: unknown): string | undefined {
  const query = typeof raw === 'object' && raw !== null && 'callback_query' in raw ? raw.callback_query : undefined;
  const id = typeof query === 'object' && query !== null && 'id' in query ? query.id : undefined;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

export const messageKey = (chatId: string | number, messageId: number): string => `${chatId}:${messageId}`;

function addressedToBot(message: TelegramMessage, options: ParseOptions): boolean {
  switch (message.chat.type) {
    case 'private':
      return true;
    case 'channel':
      return false;
    default:
      if (options.groups !== 'mentions') return options.groups === 'all';
  }
  if (options.botId !== undefined && message.reply_to_message?.from?.id === options.botId) return true;
  const text = message.text ?? message.caption ?? '';
  const entities = message.entities ?? message.caption_entities ?? [];
  // Entity offsets are UTF-16 code units, as JavaScript string indices are (Bot API MessageEntity).
  for (const entity of entities) {
    if (entity.type === 'text_mention' && options.botId !== undefined && entity.user?.id === options.botId) return true;
    const slice = text.slice(entity.offset, entity.offset + entity.length).toLowerCase();
    if (options.botUsername && (entity.type === 'mention' || entity.type === 'bot_command') && slice.endsWith(`@${options.botUsername.toLowerCase()}`)) return true;
  }
  return options.botUsername ? mentionPattern(options.botUsername).test(text) : false;
}

/** `@bot` or `/command@bot` as a whole word, for texts that arrive without entities. */
function mentionPattern(username: string): RegExp {
  const escaped = username.replace(/[^A-Za-z0-9_]/g, '');
  return new RegExp(`(?:^|[^A-Za-z0-9_@/])(?:/[A-Za-z0-9_]+)?@${escaped}(?![A-Za-z0-9_])`, 'i');
}

function senderOf(message: TelegramMessage): InboundMessageInput['sender'] | null {
  if (message.sender_chat) {
    return { externalId: String(message.sender_chat.id), ...(message.sender_chat.title ? { name: message.sender_chat.title.slice(0, 200) } : {}) };
  }
  return message.from ? userSender(message.from) : null;
}

function userSender(user: z.infer<typeof User>): InboundMessageInput['sender'] {
  const name = [user.first_name, user.last_name].filter(Boolean).join(' ').trim();
  return {
    externalId: String(user.id),
    ...(name ? { name: name.slice(0, 200) } : {}),
    ...(user.username ? { handle: user.username } : {}),
  };
}

/** Entities only format the text (bold, links, …); the plain text is what agents read. */
function textOf(message: TelegramMessage): string {
  if (message.contact) {
    const { first_name, last_name, phone_number } = message.contact;
    const name = [first_name, last_name].filter(Boolean).join(' ');
    const phone = /^\d/.test(phone_number) ? `+${phone_number}` : phone_number;
    return `Contact: ${name}, ${phone}`;
  }
  return message.text ?? message.caption ?? '';
}

/**
 * Files stay Telegram references (`file_id`) here; the media worker downloads them through
 * `fetchAttachment` (Bot API getFile), never during the webhook.
 */
function attachmentsOf(message: TelegramMessage): InboundAttachment[] {
  const remote = (f: { file_id: string; file_size?: number | undefined }) => ({ remote: f.file_id, ...(f.file_size !== undefined ? { size: f.file_size } : {}) });
  const named = (f: { file_name?: string | undefined; mime_type?: string | undefined }, mime?: string) => ({
    ...(f.file_name ? { name: f.file_name.slice(0, 255) } : {}),
    ...((f.mime_type ?? mime) ? { mimeType: f.mime_type ?? mime } : {}),
  });
  const out: InboundAttachment[] = [];
  // Sizes are sorted ascending; the last one is the original resolution. Photos are always JPEG.
  const largest = message.photo?.at(-1);
  if (largest) out.push({ kind: 'image', ...remote(largest), mimeType: 'image/jpeg' });
  // An animation also comes with a `document` copy "for backward compatibility" (Bot API Message).
  if (message.animation) out.push({ kind: 'video', ...remote(message.animation), ...named(message.animation, 'video/mp4') });
  else if (message.document) out.push({ kind: 'file', ...remote(message.document), ...named(message.document) });
  if (message.voice) out.push({ kind: 'audio', ...remote(message.voice), ...named(message.voice, 'audio/ogg') });
  if (message.audio) {
    const title = [message.audio.performer, message.audio.title].filter(Boolean).join(' – ');
    out.push({ kind: 'audio', ...remote(message.audio), ...named({ ...message.audio, file_name: message.audio.file_name ?? (title || undefined) }, 'audio/mpeg') });
  }
  if (message.video) out.push({ kind: 'video', ...remote(message.video), ...named(message.video, 'video/mp4') });
  if (message.video_note) out.push({ kind: 'video', ...remote(message.video_note), mimeType: 'video/mp4' });
  if (message.sticker) {
    const s = message.sticker;
    const mimeType = s.is_animated ? 'application/x-tgsticker' : s.is_video ? 'video/webm' : 'image/webp';
    out.push({ kind: 'sticker', ...remote(s), mimeType, ...(s.emoji ? { name: s.emoji } : {}) });
  }
  if (message.location) out.push({ kind: 'location', latitude: message.location.latitude, longitude: message.location.longitude });
  return out;
}

const unixToIso = (seconds: number): string => new Date(seconds * 1000).toISOString();
