import { DiscordAPIError, HTTPError, RateLimitError, type REST, Routes } from 'discord.js';
import type { OutboundAttachment, OutboundMessage } from '../../src/channels/contract.js';
import { PermanentChannelError, RetryableChannelError } from '../../src/channels/errors.js';
import { sendParts, textParts } from '../../src/channels/kit/index.js';
import { parseThreadKey, type ThreadTarget } from './inbound.js';

/** Message `content` is at most 2,000 characters (resources/message.mdx "Create Message"). */
export const TEXT_LIMIT = 2000;
/** Default per-file upload limit; boosted servers allow more (reference.mdx "Uploading Files"). */
export const UPLOAD_LIMIT = 10 * 1024 * 1024;

/** JSON error codes that mean "never going to work for this conversation" (topics/opcodes-and-status-codes.mdx). */
const PERMANENT_CODES: Record<number, string> = {
  50007: 'dms_closed',
  50013: 'missing_permissions',
  50001: 'missing_access',
  10003: 'unknown_channel',
  10013: 'unknown_user',
  50083: 'thread_archived',
};

/**
 * One Discord message of a reply: the text split at the limit, then one message per file. The
 * list is the same on every attempt, so `alreadySent.length` says where a retry continues.
 */
export type ReplyPart = { kind: 'text'; text: string } | { kind: 'file'; attachment: OutboundAttachment };

export function planParts(message: Pick<OutboundMessage, 'text' | 'attachments'>): ReplyPart[] {
  const text = textParts(message.text, TEXT_LIMIT).map((part): ReplyPart => ({ kind: 'text', text: part }));
  return [...text, ...message.attachments.map((attachment): ReplyPart => ({ kind: 'file', attachment }))];
}

/** A reply's destination: DMs need the DM channel, which `POST /users/@me/channels` opens or returns. */
export class DiscordSender {
  /** user id → DM channel id; Discord returns the same channel every time, so it is only a shortcut. */
  private readonly dmChannels = new Map<string, string>();

  constructor(private readonly rest: REST) {}

  /**
   * Sends the parts after the ones an earlier attempt delivered, in order. The first part answers
   * the customer's message (`message_reference`, not failing if it was deleted meanwhile); in a
   * support channel without one, it mentions the customer so they see it is for them.
   */
  async send(threadKey: string, message: OutboundMessage): Promise<string[]> {
    const target = parseThreadKey(threadKey);
    if (!target) throw new PermanentChannelError(`not a Discord conversation key: ${threadKey}`, 'bad_address');
    let channelId: string;
    try {
      channelId = await this.channelOf(target);
    } catch (error) {
      throw toChannelError(error);
    }
    const replyTo = message.replyToExternalId && /^\d+$/.test(message.replyToExternalId) ? message.replyToExternalId : undefined;
    return sendParts(
      planParts(message),
      message,
      async (part, index) => {
        const first = index === 0;
        const body: Record<string, unknown> = {
          // Replies never ping roles or @everyone a customer typed; only the customer, if anyone.
          allowed_mentions: { parse: [], users: target.place === 'channel' ? [target.userId] : [], replied_user: true },
        };
        if (first && replyTo) body.message_reference = { message_id: replyTo, channel_id: channelId, fail_if_not_exists: false };
        if (part.kind === 'text') {
          body.content = first && !replyTo && target.place === 'channel' ? `<@${target.userId}> ${part.text}` : part.text;
          return this.post(channelId, body);
        }
        if (part.attachment.size > UPLOAD_LIMIT) throw new PermanentChannelError(`${part.attachment.name} is over Discord's 10 MB upload limit`, 'too_large');
        const data = await part.attachment.read();
        return this.post(channelId, body, [{ name: part.attachment.name, data, contentType: part.attachment.mimeType }]);
      },
      toChannelError,
    );
  }

  private async channelOf(target: ThreadTarget): Promise<string> {
    if (target.place !== 'dm') return target.channelId;
    const known = this.dmChannels.get(target.userId);
    if (known) return known;
    const channel = (await this.rest.post(Routes.userChannels(), { body: { recipient_id: target.userId } })) as { id: string };
    if (this.dmChannels.size >= 10_000) this.dmChannels.clear();
    this.dmChannels.set(target.userId, channel.id);
    return channel.id;
  }

  private async post(channelId: string, body: Record<string, unknown>, files?: { name: string; data: Buffer; contentType: string }[]): Promise<string> {
    const created = (await this.rest.post(Routes.channelMessages(channelId), { body, ...(files ? { files } : {}) })) as { id: string };
    return created.id;
  }
}

/**
 * What a failed REST call means for the outbound worker (STYLE §8). @discordjs/rest waits out
 * 429s itself (per-route buckets, global limit); it throws `RateLimitError` only for waits we told
 * it to refuse (`rejectOnRateLimit`), `DiscordAPIError` for Discord's JSON errors, `HTTPError` for
 * 5xx, and fetch errors for the network.
 */
export function toChannelError(error: unknown, sentExternalIds: readonly string[] = []): RetryableChannelError | PermanentChannelError {
  if (error instanceof PermanentChannelError) return new PermanentChannelError(error.message, error.code, sentExternalIds);
  if (error instanceof RetryableChannelError) return new RetryableChannelError(error.message, error.code, error.retryAfterMs, sentExternalIds);
  if (error instanceof RateLimitError) {
    return new RetryableChannelError(`Discord rate limit on ${error.route} (${error.scope})`, 'rate_limited', Math.max(error.retryAfter, error.timeToReset), sentExternalIds);
  }
  if (error instanceof DiscordAPIError) {
    const reason = `${error.message} (Discord ${error.code})`;
    if (error.status >= 500) return new RetryableChannelError(reason, 'platform_unavailable', undefined, sentExternalIds);
    if (error.status === 429) return new RetryableChannelError(reason, 'rate_limited', 5_000, sentExternalIds);
    if (error.status === 401) return new PermanentChannelError('Discord refused the bot token (401)', 'unauthorized', sentExternalIds);
    const code = typeof error.code === 'number' ? PERMANENT_CODES[error.code] : undefined;
    return new PermanentChannelError(reason, code ?? 'rejected', sentExternalIds);
  }
  if (error instanceof HTTPError) {
    return new RetryableChannelError(`Discord answered ${error.status} ${error.message}`, 'platform_unavailable', undefined, sentExternalIds);
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new RetryableChannelError(`could not reach Discord: ${reason}`, 'network', undefined, sentExternalIds);
}
