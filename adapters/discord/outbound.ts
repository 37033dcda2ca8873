import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  ButtonStyle,
  ComponentType,
  DiscordAPIError,
  HTTPError,
  InteractionResponseType,
  RateLimitError,
  type REST,
  Routes,
} from 'discord.js';
import type { OutboundAttachment, OutboundChoice, OutboundMessage } from '../../src/channels/contract.js';
import { choiceToken } from '../../src/domain/choice.js';
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
  async send(threadKey: string, message: OutboundMessage, components?: readonly ButtonRow[]): Promise<string[]> {
    const target = parseThreadKey(threadKey);
    if (!target) throw new PermanentChannelError(`not a Discord conversation key: ${threadKey}`, 'bad_address');
    let channelId: string;
    try {
      channelId = await this.channelOf(target);
    } catch (error) {
      throw toChannelError(error);
    }
    const replyTo = message.replyToExternalId && /^\d+$/.test(message.replyToExternalId) ? message.replyToExternalId : undefined;
    const parts = planParts(message);
    // Buttons need a message to sit under, even when the question has no text.
    if (components && parts.length === 0) parts.push({ kind: 'text', text: '' });
    return sendParts(
      parts,
      message,
      async (part, index) => {
        const first = index === 0;
        const body: Record<string, unknown> = {
          // Replies never ping roles or @everyone a customer typed; only the customer, if anyone.
          allowed_mentions: { parse: [], users: target.place === 'channel' ? [target.userId] : [], replied_user: true },
        };
        if (first && replyTo) body.message_reference = { message_id: replyTo, channel_id: channelId, fail_if_not_exists: false };
        // Under the last part, so they come after everything they are about.
        if (components && index === parts.length - 1) body.components = components;
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

export type ButtonRow = APIActionRowComponent<APIButtonComponentWithCustomId>;

/** Buttons per action row and rows per message; caption length (components/reference.mdx "Button", "Action Row"). */
const ROW_BUTTONS = 5;
const MAX_ROWS = 5;
const LABEL_LIMIT = 80;

/**
 * A question's options as message components: rows of up to five buttons, each sending back
 * `custom_id` = our choice token (≤ 100 characters) when clicked. All the same style: which
 * answer to emphasise is not the channel's to say.
 */
export function choiceComponents(choice: OutboundChoice): ButtonRow[] {
  if (choice.options.length === 0 || choice.options.length > ROW_BUTTONS * MAX_ROWS) {
    throw new PermanentChannelError(`a Discord message shows 1 to ${ROW_BUTTONS * MAX_ROWS} buttons, not ${choice.options.length}`, 'unsupported');
  }
  const buttons = choice.options.map((option): APIButtonComponentWithCustomId => {
    const customId = choiceToken({ id: choice.id, value: option.value });
    if (customId.length > 100) throw new PermanentChannelError('a choice id and value longer than a Discord custom_id (100 characters)', 'unsupported');
    return { type: ComponentType.Button, style: ButtonStyle.Secondary, label: [...option.label].slice(0, LABEL_LIMIT).join('') || option.value, custom_id: customId };
  });
  const rows: ButtonRow[] = [];
  for (let i = 0; i < buttons.length; i += ROW_BUTTONS) rows.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + ROW_BUTTONS) });
  return rows;
}

/** What the clicked message turns into: the answered text without buttons, or only the buttons gone. */
export type MessageUpdate = { content?: string; components: [] };

/**
 * Answers to a button click (interactions/receiving-and-responding.mdx "Interaction Callback",
 * "Edit Original Interaction Response"). They authenticate with the interaction's token, not the
 * bot's (`auth: false`, as discord.js sends them); Discord wants the first within 3 s of the
 * event, and takes only one per interaction.
 */
export class InteractionResponder {
  constructor(private readonly rest: REST) {}

  /** UPDATE_MESSAGE (7): acknowledges and edits the clicked message in one call. */
  async update(click: { id: string; token: string }, update: MessageUpdate): Promise<void> {
    await this.rest.post(Routes.interactionCallback(click.id, click.token), {
      body: { type: InteractionResponseType.UpdateMessage, data: { ...update, allowed_mentions: { parse: [] } } },
      auth: false,
    });
  }

  /** DEFERRED_UPDATE_MESSAGE (6): acknowledges, leaving the message as it is (for now). */
  async defer(click: { id: string; token: string }): Promise<void> {
    await this.rest.post(Routes.interactionCallback(click.id, click.token), { body: { type: InteractionResponseType.DeferredMessageUpdate }, auth: false });
  }

  /** After a deferral: edits the clicked message through the interaction's webhook (token valid 15 minutes). */
  async editOriginal(click: { applicationId: string; token: string }, update: MessageUpdate): Promise<void> {
    await this.rest.patch(Routes.webhookMessage(click.applicationId, click.token, '@original'), { body: { ...update, allowed_mentions: { parse: [] } }, auth: false });
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
