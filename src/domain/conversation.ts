import { z } from 'zod';
import { ChannelKind } from './channel.js';
import { Contact } from './contact.js';
import { ConversationCsat } from './csat.js';
import { ConversationSla } from './sla.js';

export const ConversationStatus = z.enum(['open', 'pending', 'snoozed', 'resolved']);
export type ConversationStatus = z.infer<typeof ConversationStatus>;
export const Priority = z.enum(['low', 'normal', 'high', 'urgent']);
export type Priority = z.infer<typeof Priority>;

export const Label = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .regex(/^[^\s,]+$/u, 'no spaces or commas');

export const HandledBy = z.enum(['bot', 'agent']);
export type HandledBy = z.infer<typeof HandledBy>;
/**
 * Why the bot handed a conversation to the team: the customer asked for a person, it had no
 * confident answer, the case is urgent, an agent took over, or its answers did not solve it.
 * Additive (issue 18): an agent bot asked for a person (`bot-requested`), or it was disabled or
 * removed while it held the conversation (`bot-disabled`).
 */
export const HandoffReason = z.enum(['asked', 'no-answer', 'urgent', 'taken-over', 'unsolved', 'bot-requested', 'bot-disabled']);
export type HandoffReason = z.infer<typeof HandoffReason>;

export const Conversation = z.object({
  id: z.string(),
  channelId: z.string(),
  channelKind: ChannelKind,
  status: ConversationStatus,
  priority: Priority,
  assigneeId: z.string().nullable(),
  labels: z.array(z.string()),
  subject: z.string().nullable(),
  contact: Contact,
  createdAt: z.string(),
  lastMessageAt: z.string(),
  firstResponseAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  /** Additive: when a snoozed conversation wakes up. */
  snoozedUntil: z.string().nullable(),
  /** Additive: when the channel's reply window closes (null = no window). */
  replyWindowEndsAt: z.string().nullable(),
  /** Additive: last customer message time, for "waiting since". */
  lastInboundAt: z.string().nullable(),
  /** Additive: text preview of the last message. */
  lastMessagePreview: z.string().nullable(),
  /** Additive: since when the customer has waited for an answer (null = answered). */
  waitingSince: z.string().nullable(),
  /** Additive: the customer cannot be reached on this channel (blocked the bot, unsubscribed). */
  customerUnreachable: z.object({ reason: z.string(), since: z.string() }).nullable(),
  /** Additive (DESIGN §10): an urgent case the desk or an agent escalated (theft reported, a secret exposed). */
  escalation: z
    .object({
      level: z.number().int(),
      reason: z.string(),
      at: z.string(),
      by: z.string(),
      /** Additive (issue 14): the supervisor it went to; null when it changed no one's work (an urgent case). */
      assignedTo: z.string().nullable().optional(),
    })
    .nullable(),
  /** Additive (issue 14): the team it belongs to (its queue, its supervisor); null = none. */
  teamId: z.string().nullable(),
  /** Additive (DESIGN §10): the service-level targets it is held to and their due times; null = none. */
  sla: ConversationSla.nullable(),
  /** Additive (DESIGN §10): the customer's newest satisfaction answer; null = not rated. */
  csat: ConversationCsat.nullable(),
  /** Additive (DESIGN §10, issue 16): who answers it now — the FAQ bot until it hands off, then the team for good. */
  handledBy: HandledBy,
  /** Additive (issue 16): when and why the bot handed it to the team; null = it never did. */
  handoff: z.object({ at: z.string(), reason: HandoffReason }).nullable(),
  /**
   * Additive (issue 18): the agent bot (an agent with role `bot`) it was opened for; with
   * `handledBy: bot` that bot answers it now. Null: the FAQ bot's (while `handledBy` is bot) or the team's.
   */
  botId: z.string().nullable(),
  /** Additive, per requesting agent: a customer message arrived after this agent last read it. */
  unread: z.boolean().optional(),
});
export type Conversation = z.infer<typeof Conversation>;
