import { z } from 'zod';
import type { Conversation } from './conversation.js';
import { AuthorType, type Message, MessageDirection } from './message.js';
import { SlaMetric } from './sla.js';

/** Realtime events of DESIGN §7, fanned out through Redis pub/sub. */
export type InboxEvent =
  | { type: 'conversation.created'; data: Conversation }
  | { type: 'conversation.updated'; data: Conversation }
  | { type: 'message.created'; data: Message }
  | { type: 'message.updated'; data: Message }
  | { type: 'conversation.escalated'; data: Conversation }
  | { type: 'message.redacted'; data: Message }
  | { type: 'conversation.sla_breached'; data: Conversation }
  | { type: 'conversation.sla_warning'; data: Conversation }
  | { type: 'csat.received'; data: Conversation };

export type InboxEventType = InboxEvent['type'];

/**
 * What happened, as the use case that made it happen records it: written to the outbox in the
 * same transaction as the change, then handed by the dispatcher to realtime, the desk features
 * and (later) outbound webhooks. Events name what changed and the facts consumers decide on;
 * consumers read the current objects when they need more.
 */
/**
 * Additive (issue 18): the automation rules whose actions produced this event, oldest first. A
 * rule never runs on an event that names it, so a rule's own change cannot trigger it again.
 */
const chain = z.array(z.string().max(64)).max(20).optional();

export const DomainEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('conversation.created'), chain, conversationId: z.string() }),
  z.object({
    type: z.literal('conversation.updated'),
    chain,
    conversationId: z.string(),
    /** The change touched only its service-level clocks (nothing another desk feature decides on). */
    only: z.literal('sla').optional(),
  }),
  z.object({
    type: z.literal('message.created'),
    chain,
    conversationId: z.string(),
    messageId: z.string(),
    direction: MessageDirection,
    author: AuthorType,
    /** The message opened this conversation (the first one of a new thread). */
    opened: z.boolean().optional(),
    /** Sent by a machine (auto-reply, list mail): never answered automatically. */
    automated: z.boolean().optional(),
  }),
  z.object({ type: z.literal('message.updated'), chain, conversationId: z.string(), messageId: z.string() }),
  /** It became an urgent case (DESIGN §10 `conversation.escalated`). */
  z.object({ type: z.literal('conversation.escalated'), chain, conversationId: z.string(), reason: z.string() }),
  /** A secret was removed from a message after it was stored (a file downloaded later). */
  z.object({ type: z.literal('message.redacted'), chain, conversationId: z.string(), messageId: z.string() }),
  /** A service-level target ran out (DESIGN §10 `conversation.sla_breached`): once per target and wait. */
  z.object({ type: z.literal('conversation.sla_breached'), chain, conversationId: z.string(), metric: SlaMetric, at: z.string() }),
  /** Additive: 90 % of a target is used ("due in 10 %"), once per target and wait. */
  z.object({ type: z.literal('conversation.sla_warning'), chain, conversationId: z.string(), metric: SlaMetric, dueAt: z.string() }),
  /** The customer rated the conversation, or added the comment to their rating (DESIGN §10 `csat.received`). */
  z.object({ type: z.literal('csat.received'), chain, conversationId: z.string(), rating: z.number().int(), comment: z.boolean().optional() }),
]);
export type DomainEvent = z.infer<typeof DomainEvent>;
export type DomainEventType = DomainEvent['type'];

/** A domain event as the dispatcher hands it out: `id` is stable across redeliveries (`<outbox row>.<index>`). */
export type DispatchedEvent = DomainEvent & { readonly id: string };
