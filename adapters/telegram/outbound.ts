import { type Telegram, TelegramError } from 'telegraf';
import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'telegraf/types';
import type { OutboundAttachment, OutboundChoice, OutboundMessage } from '../../src/channels/contract.js';
import { PermanentChannelError, RetryableChannelError } from '../../src/channels/errors.js';
import { sendParts, textParts } from '../../src/channels/kit/index.js';
import { choiceToken, PickedChoice } from '../../src/domain/choice.js';
import { messageKey } from './inbound.js';

/** `sendMessage` text is 1–4096 characters after entity parsing (Bot API sendMessage). */
export const TEXT_LIMIT = 4096;
/** Bots upload files up to 50 MB, photos up to 10 MB (Bot API "Sending files"). */
const UPLOAD_LIMIT = 50 * 1024 * 1024;
const PHOTO_LIMIT = 10 * 1024 * 1024;
const PHOTO_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);

/**
 * One Telegram message of a reply: its text split at the limit, then each attachment. The list is
 * the same on every attempt, so `alreadySent.length` says where a retry continues.
 */
export type ReplyPart = { kind: 'text'; text: string } | { kind: 'photo' | 'document'; attachment: OutboundAttachment };

export function planParts(message: Pick<OutboundMessage, 'text' | 'attachments'>): ReplyPart[] {
  const text = textParts(message.text, TEXT_LIMIT).map((part): ReplyPart => ({ kind: 'text', text: part }));
  const files = message.attachments.map((attachment): ReplyPart => ({
    kind: PHOTO_TYPES.has(attachment.mimeType) && attachment.size <= PHOTO_LIMIT ? 'photo' : 'document',
    attachment,
  }));
  return [...text, ...files];
}

/** `<chat>:<message_id>` of a message in this chat → its message_id; anything else cannot be replied to here. */
export function replyTarget(replyToExternalId: string | undefined, chatId: string): number | undefined {
  const match = replyToExternalId ? /^(-?\d+):(\d+)$/.exec(replyToExternalId) : null;
  return match && match[1] === chatId ? Number(match[2]) : undefined;
}

/**
 * Telegram's limits are ~1 message per second per chat and 20 per minute per group (Bot FAQ "My
 * bot is hitting limits"); the account-wide 30/s is the outbound queue's limiter
 * (`capabilities.sendRate`). This spaces the messages to one chat inside this process, so a split
 * reply does not earn a 429 halfway through.
 */
export class ChatPacer {
  private readonly next = new Map<string, number>();

  constructor(private readonly intervalMs: (chatId: string) => number = defaultInterval) {}

  async turn(chatId: string): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.next.get(chatId) ?? 0);
    this.next.set(chatId, at + this.intervalMs(chatId));
    if (this.next.size > 10_000) for (const [chat, free] of this.next) if (free < now) this.next.delete(chat);
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
  }
}

/** Group and supergroup ids are negative (Bot API Chat.id). */
const defaultInterval = (chatId: string): number => (chatId.startsWith('-') ? 3_000 : 1_000);

/**
 * Sends the parts of a reply an earlier attempt did not deliver (kit `sendParts`), paced per chat.
 * A `keyboard` goes under the last text part, so the buttons sit right below the question.
 */
export async function sendReply(api: Telegram, pacer: ChatPacer, chatId: string, message: OutboundMessage, keyboard?: InlineKeyboardMarkup): Promise<string[]> {
  const replyTo = replyTarget(message.replyToExternalId, chatId);
  const parts = planParts(message);
  const keyboardAt = keyboard ? parts.findLastIndex((part) => part.kind === 'text') : -1;
  if (keyboard && keyboardAt < 0) throw new PermanentChannelError('a question with options needs a text to carry its buttons', 'rejected');
  return sendParts(
    parts,
    message,
    async (part, index) => {
      // allow_sending_without_reply: the customer may have deleted the message meanwhile.
      const extra: PartExtra = {
        ...(index === 0 && replyTo !== undefined ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } } : {}),
        ...(index === keyboardAt && keyboard ? { reply_markup: keyboard } : {}),
      };
      await pacer.turn(chatId);
      const result = await sendPart(api, chatId, part, extra);
      return messageKey(result.chat.id, result.message_id);
    },
    toChannelError,
  );
}

interface PartExtra {
  reply_parameters?: { message_id: number; allow_sending_without_reply: boolean };
  reply_markup?: InlineKeyboardMarkup;
}

/** "Data to be sent in a callback query to the bot when the button is pressed, 1-64 bytes" (Bot API InlineKeyboardButton). */
export const CALLBACK_DATA_LIMIT = 64;
/**
 * Characters of captions that fit one row on a phone before Telegram cuts them short with "…";
 * more, or more than 8 buttons (the most a row shows), and the options take two rows or more.
 */
const ROW_CHARACTERS = 30;
const ROW_BUTTONS = 8;

/**
 * A question's options as an inline keyboard: one callback button per option, in order, its data
 * the choice token that comes back when it is pressed. Refuses (permanently) an option that could
 * not come back: a token Telegram would not carry or that our parser would not recognise.
 */
export function inlineKeyboard(choice: OutboundChoice): InlineKeyboardMarkup {
  if (choice.options.length === 0) throw new PermanentChannelError('a question without options has no buttons to show', 'rejected');
  const buttons = choice.options.map((option): InlineKeyboardButton.CallbackButton => {
    const picked = PickedChoice.safeParse({ id: choice.id, value: option.value });
    if (!picked.success) throw new PermanentChannelError(`option ${JSON.stringify(option.value)} of question ${JSON.stringify(choice.id)} cannot travel in a button`, 'rejected');
    const data = choiceToken(picked.data);
    if (Buffer.byteLength(data, 'utf8') > CALLBACK_DATA_LIMIT) throw new PermanentChannelError(`button data over Telegram's ${CALLBACK_DATA_LIMIT} bytes: ${data}`, 'rejected');
    if (option.label.trim() === '') throw new PermanentChannelError(`option ${option.value} has no caption`, 'rejected');
    return { text: option.label, callback_data: data };
  });
  const width = buttons.reduce((sum, button) => sum + [...button.text].length, 0);
  const rows = buttons.length <= ROW_BUTTONS && width <= ROW_CHARACTERS ? 1 : Math.max(2, Math.ceil(buttons.length / ROW_BUTTONS));
  const perRow = Math.ceil(buttons.length / rows);
  const keyboard: InlineKeyboardButton[][] = [];
  for (let start = 0; start < buttons.length; start += perRow) keyboard.push(buttons.slice(start, start + perRow));
  return { inline_keyboard: keyboard };
}

async function sendPart(api: Telegram, chatId: string, part: ReplyPart, extra: PartExtra) {
  if (part.kind === 'text') return api.sendMessage(chatId, part.text, extra);
  const { attachment } = part;
  if (attachment.size > UPLOAD_LIMIT) {
    throw new PermanentChannelError(`${attachment.name} is over Telegram's 50 MB upload limit for bots`, 'too_large');
  }
  const file = { source: await attachment.read(), filename: attachment.name };
  return part.kind === 'photo' ? api.sendPhoto(chatId, file, extra) : api.sendDocument(chatId, file, extra);
}

/**
 * What a failed Bot API call means for the outbound worker (STYLE §8). telegraf throws
 * `TelegramError` with the API's `{error_code, description, parameters}` for `ok:false` answers and
 * for HTTP 5xx; network faults are node-fetch `FetchError`s (token already redacted by telegraf).
 */
export function toChannelError(error: unknown, sentExternalIds: readonly string[] = []): RetryableChannelError | PermanentChannelError {
  // Our own refusals (a file over the upload limit) keep their meaning, plus what was delivered.
  if (error instanceof PermanentChannelError) return new PermanentChannelError(error.message, error.code, sentExternalIds);
  if (error instanceof RetryableChannelError) return new RetryableChannelError(error.message, error.code, error.retryAfterMs, sentExternalIds);
  if (!(error instanceof TelegramError)) {
    const reason = error instanceof Error ? error.message : String(error);
    return new RetryableChannelError(`could not reach Telegram: ${reason}`, 'network', undefined, sentExternalIds);
  }
  const { error_code: code, description, parameters } = error.response;
  if (code === 429) {
    // "retry_after: seconds left to wait before the request can be repeated" (Bot API ResponseParameters).
    return new RetryableChannelError(description, 'rate_limited', (parameters?.retry_after ?? 5) * 1000, sentExternalIds);
  }
  if (code >= 500) return new RetryableChannelError(`Telegram answered ${code} ${description}`, 'platform_unavailable', undefined, sentExternalIds);
  if (code === 401) return new PermanentChannelError('Telegram refused the bot token (401)', 'unauthorized', sentExternalIds);
  if (code === 403) return new PermanentChannelError(description, /blocked by the user/i.test(description) ? 'blocked' : 'forbidden', sentExternalIds);
  if (code === 400 && /chat not found/i.test(description)) return new PermanentChannelError(description, 'chat_not_found', sentExternalIds);
  if (parameters?.migrate_to_chat_id !== undefined) {
    return new PermanentChannelError(`${description} (the group is now chat ${parameters.migrate_to_chat_id})`, 'chat_migrated', sentExternalIds);
  }
  return new PermanentChannelError(description, 'rejected', sentExternalIds);
}
