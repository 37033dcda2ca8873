import { z } from 'zod';
import { type InboundAttachment, kindFromMime } from '../../src/domain/attachment.js';
import { choiceToken, parseChoiceToken, type PickedChoice } from '../../src/domain/choice.js';
import type { InboundMessageInput } from '../../src/domain/message.js';

/*
 * The parts of a Discord message object we read, as the gateway (MESSAGE_CREATE / MESSAGE_UPDATE)
 * and REST (`GET /channels/:id/messages`) deliver it (discord-api-docs resources/message.mdx).
 * Unknown fields are ignored; only what we read must fit.
 */

const User = z.object({
  id: z.string(),
  username: z.string(),
  global_name: z.string().nullish(),
  bot: z.boolean().optional(),
  system: z.boolean().optional(),
});

const Attachment = z.object({
  id: z.string(),
  filename: z.string(),
  size: z.number().int().nonnegative(),
  url: z.string(),
  content_type: z.string().optional(),
});

export const DiscordMessage = z.object({
  id: z.string(),
  channel_id: z.string(),
  /** Gateway only, and absent in DMs (gateway-events.mdx "Message Create"). */
  guild_id: z.string().optional(),
  author: User,
  /** Gateway only, in guilds: the author's member object, with the server nickname. */
  member: z.object({ nick: z.string().nullish() }).optional(),
  content: z.string(),
  timestamp: z.string(),
  edited_timestamp: z.string().nullish(),
  /** 0 default, 19 reply; others (joins, pins, boosts, thread starters …) are system messages. */
  type: z.number().int().default(0),
  webhook_id: z.string().optional(),
  mentions: z.array(User.extend({ member: z.object({ nick: z.string().nullish() }).optional() })).default([]),
  mention_roles: z.array(z.string()).default([]),
  attachments: z.array(Attachment).default([]),
  message_reference: z.object({ message_id: z.string().optional(), channel_id: z.string().optional() }).optional(),
});
export type DiscordMessage = z.infer<typeof DiscordMessage>;

/** MESSAGE_DELETE carries only ids (gateway-events.mdx "Message Delete"). */
export const DiscordMessageDelete = z.object({ id: z.string(), channel_id: z.string(), guild_id: z.string().optional() });
export type DiscordMessageDelete = z.infer<typeof DiscordMessageDelete>;

/**
 * Where a message was written, decided by the adapter from the channel (this parser does no I/O):
 * a DM, a thread under a support channel, or a support channel itself.
 */
export type Place = 'dm' | 'thread' | 'channel';

export interface ParseOptions {
  readonly channelId: string;
  readonly place: Place;
  /** Names of channels for `<#id>` mentions, when known. */
  readonly channelName?: (id: string) => string | undefined;
}

/**
 * Conversation keys. A DM conversation is per customer (not per DM channel: the same user always
 * gets the same DM channel, but the user id is what outbound needs to reopen it). A thread is one
 * conversation; a message in a support channel itself opens one for its author in that channel.
 */
export const threadKeys = {
  dm: (userId: string): string => `dm:${userId}`,
  thread: (threadId: string): string => `thread:${threadId}`,
  channel: (channelId: string, userId: string): string => `channel:${channelId}:${userId}`,
};

export type ThreadTarget = { place: 'dm'; userId: string } | { place: 'thread'; channelId: string } | { place: 'channel'; channelId: string; userId: string };

/** The reverse of `threadKeys`, for outbound; undefined for a key this adapter did not make. */
export function parseThreadKey(key: string): ThreadTarget | undefined {
  const [place, a, b] = key.split(':');
  if (place === 'dm' && a && !b) return { place, userId: a };
  if (place === 'thread' && a && !b) return { place, channelId: a };
  if (place === 'channel' && a && b) return { place, channelId: a, userId: b };
  return undefined;
}

/** Message types a person writes: DEFAULT (0) and REPLY (19) (message.mdx "Message Types"). */
const PERSON_TYPES = new Set([0, 19]);

/**
 * A Discord message → an InboundMessage, or null when it is not for agents: bots (ours included),
 * webhooks, system messages, and messages with neither text nor files. The dedup key is the
 * message id — a snowflake, unique across Discord — so the gateway and a REST catch-up agree.
 */
export function toInboundMessage(message: DiscordMessage, options: ParseOptions, raw?: unknown): InboundMessageInput | null {
  if (message.author.bot || message.author.system || message.webhook_id !== undefined) return null;
  if (!PERSON_TYPES.has(message.type)) return null;
  const text = renderContent(message, options.channelName);
  const attachments = attachmentsOf(message);
  if (text.trim() === '' && attachments.length === 0) return null;
  const replyTo = message.message_reference?.message_id;
  return {
    channelId: options.channelId,
    externalId: message.id,
    threadKey: threadKeyOf(message, options.place),
    sender: senderOf(message),
    sentAt: message.timestamp,
    text,
    attachments,
    ...(replyTo && message.type === 19 ? { replyToExternalId: replyTo } : {}),
    raw: raw ?? message,
  };
}

/** MESSAGE_UPDATE → an edit of the stored message (same externalId), dated by `edited_timestamp`. */
export function toEdit(message: DiscordMessage, options: ParseOptions, raw?: unknown): InboundMessageInput | null {
  // Embeds unfurling also arrive as MESSAGE_UPDATE, without edited_timestamp: not an edit.
  if (!message.edited_timestamp) return null;
  const parsed = toInboundMessage(message, options, raw);
  return parsed && { ...parsed, revision: { kind: 'edit', at: message.edited_timestamp } };
}

/**
 * MESSAGE_DELETE → the removal of the stored message. The event has no author, so the adapter
 * supplies the conversation and sender it remembers for that message id.
 */
export function toDeletion(
  deleted: DiscordMessageDelete,
  known: { channelId: string; threadKey: string; sender: InboundMessageInput['sender'] },
  at: Date,
): InboundMessageInput {
  return {
    channelId: known.channelId,
    externalId: deleted.id,
    threadKey: known.threadKey,
    sender: known.sender,
    sentAt: at.toISOString(),
    text: '',
    revision: { kind: 'delete', at: at.toISOString() },
    raw: deleted,
  };
}

export function threadKeyOf(message: Pick<DiscordMessage, 'channel_id' | 'author'>, place: Place): string {
  if (place === 'dm') return threadKeys.dm(message.author.id);
  if (place === 'thread') return threadKeys.thread(message.channel_id);
  return threadKeys.channel(message.channel_id, message.author.id);
}

export function senderOf(message: Pick<DiscordMessage, 'author' | 'member'>): InboundMessageInput['sender'] {
  const name = message.member?.nick || message.author.global_name || message.author.username;
  return { externalId: message.author.id, name: name.slice(0, 200), handle: message.author.username.slice(0, 200) };
}

/**
 * Discord's markup for mentions (`<@id>`, `<@!id>`, `<@&role>`, `<#channel>`) and custom emoji
 * (`<:name:id>`) shown as an agent would read them (message.mdx "Message Formatting").
 */
export function renderContent(message: Pick<DiscordMessage, 'content' | 'mentions'>, channelName?: (id: string) => string | undefined): string {
  const users = new Map(message.mentions.map((u) => [u.id, u.member?.nick || u.global_name || u.username]));
  return message.content
    .replace(/<@!?(\d+)>/g, (whole, id: string) => (users.has(id) ? `@${users.get(id)}` : whole))
    .replace(/<@&(\d+)>/g, '@role')
    .replace(/<#(\d+)>/g, (_whole, id: string) => `#${channelName?.(id) ?? 'channel'}`)
    .replace(/<a?:(\w+):\d+>/g, ':$1:');
}

/**
 * Files stay links to Discord's CDN (`remote`); the media worker downloads them promptly through
 * `fetchAttachment`, because the links are signed and expire (reference.mdx "Signed Attachment CDN URLs").
 */
function attachmentsOf(message: DiscordMessage): InboundAttachment[] {
  return message.attachments.map((a) => ({
    kind: kindFromMime(a.content_type),
    remote: a.url,
    name: a.filename.slice(0, 255),
    size: a.size,
    ...(a.content_type ? { mimeType: a.content_type } : {}),
  }));
}

/** Snowflakes are 64-bit: compare as BigInt, never as numbers or strings of different lengths. */
export const snowflakeAfter = (a: string, b: string): boolean => BigInt(a) > BigInt(b);

/*
 * A click on a button of one of our messages: INTERACTION_CREATE of type 3 MESSAGE_COMPONENT,
 * component_type 2 BUTTON (interactions/receiving-and-responding.mdx "Interaction Object"). In a DM
 * the clicker is `user`; in a guild it is `member.user`. `channel` is a partial channel object with
 * `type` and, for threads, `parent_id`, so where the click happened needs no lookup.
 */

const ComponentRow = z.object({
  components: z.array(z.object({ type: z.number().int(), custom_id: z.string().optional(), label: z.string().optional() })).default([]),
});

export const DiscordInteraction = z.object({
  id: z.string().regex(/^\d+$/),
  application_id: z.string(),
  type: z.number().int(),
  token: z.string().min(1),
  guild_id: z.string().optional(),
  channel_id: z.string().optional(),
  channel: z.object({ id: z.string(), type: z.number().int(), parent_id: z.string().nullish() }).optional(),
  user: User.optional(),
  member: z.object({ nick: z.string().nullish(), user: User }).optional(),
  data: z.object({ custom_id: z.string().optional(), component_type: z.number().int().optional() }).optional(),
  message: z.object({ id: z.string(), components: z.array(ComponentRow).default([]) }).optional(),
});
export type DiscordInteraction = z.infer<typeof DiscordInteraction>;

/** What a button click says, before the adapter decides whether it answers one of our questions. */
export interface ButtonClick {
  readonly id: string;
  readonly token: string;
  readonly applicationId: string;
  /** The `custom_id` parsed as our choice token; undefined for a button that is not ours. */
  readonly choice: PickedChoice | undefined;
  /** The conversation the clicker would be in had they written there; undefined outside DMs and support places. */
  readonly threadKey: string | undefined;
  readonly sender: InboundMessageInput['sender'];
  /** The clicked button's caption, as the message showed it. */
  readonly label: string | undefined;
  readonly messageId: string | undefined;
  /** From the interaction's snowflake: Discord stamps no other time on it. */
  readonly sentAt: string;
}

const THREAD_TYPES = new Set([10, 11, 12]);
const DISCORD_EPOCH_MS = 1_420_070_400_000n;

/** A button click, or undefined for every other interaction (we register no commands). */
export function toButtonClick(interaction: DiscordInteraction, support: ReadonlySet<string>): ButtonClick | undefined {
  if (interaction.type !== 3 || interaction.data?.component_type !== 2 || interaction.data.custom_id === undefined) return undefined;
  const author = interaction.member?.user ?? interaction.user;
  const channelId = interaction.channel?.id ?? interaction.channel_id;
  if (!author || !channelId) return undefined;
  const customId = interaction.data.custom_id;
  const label = interaction.message?.components.flatMap((row) => row.components).find((c) => c.custom_id === customId)?.label;
  return {
    id: interaction.id,
    token: interaction.token,
    applicationId: interaction.application_id,
    choice: parseChoiceToken(customId),
    threadKey: clickThreadKey(interaction, channelId, author.id, support),
    sender: senderOf({ author, ...(interaction.member ? { member: interaction.member } : {}) }),
    label,
    messageId: interaction.message?.id,
    sentAt: new Date(Number((BigInt(interaction.id) >> 22n) + DISCORD_EPOCH_MS)).toISOString(),
  };
}

function clickThreadKey(interaction: DiscordInteraction, channelId: string, userId: string, support: ReadonlySet<string>): string | undefined {
  if (interaction.guild_id === undefined) return threadKeys.dm(userId);
  if (support.has(channelId)) return threadKeys.channel(channelId, userId);
  const parent = interaction.channel?.parent_id;
  if (interaction.channel && THREAD_TYPES.has(interaction.channel.type) && parent && support.has(parent)) return threadKeys.thread(channelId);
  return undefined;
}

/**
 * The customer's pick as a message of their conversation. The dedup key is the interaction id,
 * which a resumed gateway session replays unchanged; the text is what the button read. The kept
 * payload leaves out the interaction token, which answers the interaction for 15 minutes.
 */
export function toPick(click: ButtonClick & { choice: PickedChoice }, options: { channelId: string; threadKey: string; label: string }, raw?: unknown): InboundMessageInput {
  return {
    channelId: options.channelId,
    externalId: `ia:${click.id}`,
    threadKey: options.threadKey,
    sender: click.sender,
    sentAt: click.sentAt,
    text: options.label,
    attachments: [],
    choice: click.choice,
    raw: withoutToken(raw) ?? { id: click.id, custom_id: choiceToken(click.choice), message_id: click.messageId },
  };
}

function withoutToken(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null) return raw;
  const { token: _token, ...rest } = raw as Record<string, unknown>;
  return rest;
}
