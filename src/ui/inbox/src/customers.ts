import type { Translate } from './i18n.js';
import type { Channel, ChannelKind, CustomerRecord, Message, TimelineMessage } from './types.js';
import { channelKinds } from './types.js';

/**
 * The customer pages' rules as pure functions (src/desk/customers/api.ts is the contract): how a
 * channel reads when it is no longer configured, and how the timeline grows from pages and from
 * live messages without repeating one or leaving its order.
 */

export const MAX_NOTE = 5000;

const isKind = (value: string): value is ChannelKind => (channelKinds as readonly string[]).includes(value);

/** A channel's name, or "Channel <id>" once it left the channels file. */
export function channelName(channelId: string, channels: readonly Channel[], t: Translate): string {
  return channels.find((c) => c.id === channelId)?.name ?? t('customer.unknownChannel', { id: channelId });
}

/**
 * The kind of a channel the customer has an identity on: the configured channel's, else that of
 * one of their conversations there (a channel removed since), else web chat's icon.
 */
export function kindOfChannel(channelId: string, channels: readonly Channel[], record?: Pick<CustomerRecord, 'conversations'>): ChannelKind {
  const configured = channels.find((c) => c.id === channelId)?.kind;
  if (configured) return configured;
  const fromConversation = record?.conversations.find((c) => c.channelId === channelId)?.channelKind;
  return fromConversation && isKind(fromConversation) ? fromConversation : 'webchat';
}

/** The channels a customer has identities on, once each, in their order. */
export function identityChannels(identities: readonly { channelId: string }[]): string[] {
  return [...new Set(identities.map((i) => i.channelId))];
}

const compare = (a: TimelineMessage, b: TimelineMessage): number => Date.parse(a.createdAt) - Date.parse(b.createdAt);

/**
 * The timeline after adding messages (an older page, a live one, an update of one shown): each
 * once, the newest version of it, in time order. The server orders equal times by arrival; a
 * stable sort keeps that order for the messages it sent.
 */
export function mergeTimeline(current: readonly TimelineMessage[], added: readonly TimelineMessage[]): TimelineMessage[] {
  const byId = new Map(current.map((m) => [m.id, m]));
  for (const message of added) byId.set(message.id, message);
  return [...byId.values()].sort(compare);
}

/** A live message of one of the customer's conversations, as a timeline entry; undefined for another customer's. */
export function timelineEntryOf(message: Message, record: Pick<CustomerRecord, 'conversations'>): TimelineMessage | undefined {
  const conversation = record.conversations.find((c) => c.id === message.conversationId);
  if (!conversation || message.pending) return undefined;
  const { pending: _pending, ...rest } = message;
  void _pending;
  return { ...rest, channelId: conversation.channelId, channelKind: conversation.channelKind };
}
