import { z } from 'zod';
import type { InboundAttachment } from '../../src/domain/attachment.js';
import { kindFromMime } from '../../src/domain/attachment.js';
import type { InboundMessageInput } from '../../src/domain/message.js';

/*
 * DM events in the two shapes X delivers them, as documented; unknown fields are ignored and
 * kept in `raw`. Conversation choice, for webhook and polling alike: threadKey = the customer's
 * user id. Account Activity events carry no dm_conversation_id, and a reply goes out with
 * `POST /2/dm_conversations/with/:participant_id/messages`, which needs exactly that id.
 */

const Media = z.object({
  id_str: z.string().optional(),
  media_url_https: z.string().optional(),
  type: z.string().optional(),
});

/** Account Activity / X Activity `message_create` event ("Account Activity data objects"). */
const LegacyDmEvent = z.object({
  type: z.literal('message_create'),
  id: z.string().min(1),
  created_timestamp: z.string().regex(/^\d+$/),
  message_create: z.object({
    target: z.object({ recipient_id: z.string() }),
    sender_id: z.string().min(1),
    message_data: z.object({
      text: z.string().default(''),
      attachment: z.object({ type: z.string(), media: Media }).optional(),
    }),
  }),
});
type LegacyDmEvent = z.infer<typeof LegacyDmEvent>;

const LegacyUser = z.object({ id: z.string().optional(), name: z.string().optional(), screen_name: z.string().optional(), username: z.string().optional() });
type LegacyUser = z.infer<typeof LegacyUser>;

const LegacyBatch = z.object({
  for_user_id: z.string().optional(),
  direct_message_events: z.array(z.unknown()),
  users: z.record(z.string(), LegacyUser).optional(),
});

/** X Activity API envelope: `{data:{event_type, filter:{user_id}, payload:{direct_message_events, users}}}` (event-payloads.mdx). */
const ActivityEnvelope = z.object({
  data: z.object({
    event_type: z.string(),
    event_uuid: z.string().optional(),
    filter: z.object({ user_id: z.string() }).partial().optional(),
    payload: LegacyBatch.omit({ for_user_id: true }),
  }),
});

export interface ParseOptions {
  readonly channelId: string;
  /** The support account: events it sent (our own replies echoed back) are not customer messages. */
  readonly userId: string;
}

/** What a webhook body held: the messages for the inbox and how many events were dropped (echoes, other accounts, other types). */
export interface WebhookBatch {
  readonly messages: InboundMessageInput[];
  readonly ignored: number;
  /** The body is JSON but neither envelope (a keep-alive, another event family: favorites, follows, …). */
  readonly unrecognised: boolean;
}

/** Pure: a webhook body (already JSON-parsed) → the customer DMs it carries, in delivery order. */
export function parseWebhookBody(body: unknown, options: ParseOptions): WebhookBatch {
  const activity = ActivityEnvelope.safeParse(body);
  if (activity.success) {
    const { data } = activity.data;
    const forUser = data.filter?.user_id;
    // dm.sent / dm.read / typing: nothing for the inbox; another subscribed user: not this channel.
    if (data.event_type !== 'dm.received' || (forUser !== undefined && forUser !== options.userId)) {
      return { messages: [], ignored: data.payload.direct_message_events.length, unrecognised: false };
    }
    return fromLegacyEvents(data.payload.direct_message_events, data.payload.users ?? {}, options);
  }
  const legacy = LegacyBatch.safeParse(body);
  if (legacy.success) {
    if (legacy.data.for_user_id !== undefined && legacy.data.for_user_id !== options.userId) {
      return { messages: [], ignored: legacy.data.direct_message_events.length, unrecognised: false };
    }
    return fromLegacyEvents(legacy.data.direct_message_events, legacy.data.users ?? {}, options);
  }
  return { messages: [], ignored: 0, unrecognised: true };
}

function fromLegacyEvents(events: readonly unknown[], users: Record<string, LegacyUser>, options: ParseOptions): WebhookBatch {
  const messages: InboundMessageInput[] = [];
  let ignored = 0;
  for (const raw of events) {
    const parsed = LegacyDmEvent.safeParse(raw);
    const message = parsed.success ? fromLegacyEvent(parsed.data, raw, users, options) : null;
    if (message) messages.push(message);
    else ignored += 1;
  }
  return { messages, ignored, unrecognised: false };
}

function fromLegacyEvent(event: LegacyDmEvent, raw: unknown, users: Record<string, LegacyUser>, options: ParseOptions): InboundMessageInput | null {
  const senderId = event.message_create.sender_id;
  if (senderId === options.userId) return null;
  const media = event.message_create.message_data.attachment?.media;
  const attachments: InboundAttachment[] = media?.media_url_https ? [mediaAttachment(media.type, media.media_url_https)] : [];
  // X appends the media's t.co link to the text; it means nothing once the file is attached.
  let text = event.message_create.message_data.text;
  if (attachments.length > 0) text = text.replace(/\s*https:\/\/t\.co\/\w+$/, '');
  if (text === '' && attachments.length === 0) return null;
  const user = users[senderId];
  return {
    channelId: options.channelId,
    externalId: event.id,
    threadKey: senderId,
    sender: senderOf(senderId, user?.name, user?.screen_name ?? user?.username),
    sentAt: new Date(Number(event.created_timestamp)).toISOString(),
    text,
    attachments,
    raw,
  };
}

/** One event of `GET /2/dm_events` (fields id,text,sender_id,dm_conversation_id,created_at,attachments,participant_ids). */
export const DmEventV2 = z.object({
  id: z.string().regex(/^\d+$/),
  event_type: z.string().optional(),
  text: z.string().optional(),
  sender_id: z.string().optional(),
  dm_conversation_id: z.string().optional(),
  created_at: z.string().optional(),
  attachments: z.object({ media_keys: z.array(z.string()).optional() }).optional(),
  participant_ids: z.array(z.string()).optional(),
});
export type DmEventV2 = z.infer<typeof DmEventV2>;

export const DmIncludesV2 = z.object({
  users: z.array(z.object({ id: z.string(), name: z.string().optional(), username: z.string().optional() })).optional(),
  media: z.array(z.object({ media_key: z.string(), type: z.string().optional(), url: z.string().optional() })).optional(),
});
export type DmIncludesV2 = z.infer<typeof DmIncludesV2>;

/** Pure: one polled v2 DM event → a customer message, or null (our own, not a MessageCreate, empty). */
export function fromDmEventV2(event: DmEventV2, includes: DmIncludesV2, options: ParseOptions): InboundMessageInput | null {
  if ((event.event_type !== undefined && event.event_type !== 'MessageCreate') || !event.sender_id) return null;
  if (event.sender_id === options.userId) return null;
  const attachments: InboundAttachment[] = [];
  for (const key of event.attachments?.media_keys ?? []) {
    const media = includes.media?.find((m) => m.media_key === key);
    if (media?.url) attachments.push(mediaAttachment(media.type, media.url));
  }
  let text = event.text ?? '';
  if (attachments.length > 0) text = text.replace(/\s*https:\/\/t\.co\/\w+$/, '');
  if (text === '' && attachments.length === 0) return null;
  const user = includes.users?.find((u) => u.id === event.sender_id);
  const sentAt = event.created_at && !Number.isNaN(Date.parse(event.created_at)) ? new Date(event.created_at).toISOString() : snowflakeTime(event.id);
  return {
    channelId: options.channelId,
    externalId: event.id,
    threadKey: event.sender_id,
    sender: senderOf(event.sender_id, user?.name, user?.username),
    sentAt,
    text,
    attachments,
    raw: event,
  };
}

function senderOf(id: string, name: string | undefined, handle: string | undefined): InboundMessageInput['sender'] {
  return { externalId: id, ...(name ? { name: name.slice(0, 200) } : {}), ...(handle ? { handle: handle.slice(0, 200) } : {}) };
}

function mediaAttachment(type: string | undefined, url: string): InboundAttachment {
  const mime = type === 'photo' ? 'image/jpeg' : type === 'video' || type === 'animated_gif' ? 'video/mp4' : undefined;
  return { kind: mime ? kindFromMime(mime) : 'file', ...(mime ? { mimeType: mime } : {}), remote: url };
}

/** X ids are snowflakes: the top bits are milliseconds since 2010-11-04 (Twitter IDs doc). */
export function snowflakeTime(id: string): string {
  return new Date(Number((BigInt(id) >> 22n) + 1288834974657n)).toISOString();
}

/** Orders snowflake ids numerically (they outgrow Number and differ in length). */
export function compareIds(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
