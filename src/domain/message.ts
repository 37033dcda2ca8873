import { z } from 'zod';
import { Attachment, InboundAttachment } from './attachment.js';
import { MessageChoice, PickedChoice } from './choice.js';
import { SystemNote } from './system-note.js';

export const MessageDirection = z.enum(['inbound', 'outbound']);
export const AuthorType = z.enum(['contact', 'agent', 'bot', 'system']);
export const MessageStatus = z.enum(['received', 'queued', 'sending', 'sent', 'failed']);
export type MessageStatus = z.infer<typeof MessageStatus>;

export const MessageError = z.object({
  code: z.string(),
  message: z.string(),
  retryable: z.boolean(),
});
export type MessageError = z.infer<typeof MessageError>;

/** A secret removed from a message before it was stored (DESIGN §10): what kind, never the secret. */
export const SecretKind = z.enum(['recovery-phrase', 'private-key', 'extended-key', 'wif', 'keystore', 'solana-key']);
export type SecretKind = z.infer<typeof SecretKind>;
export const Redaction = z.object({
  kind: SecretKind,
  /** For a recovery phrase: how many of its words were seen. */
  words: z.number().int().positive().optional(),
});
export type Redaction = z.infer<typeof Redaction>;

export const Message = z.object({
  id: z.string(),
  conversationId: z.string(),
  direction: MessageDirection,
  author: z.object({ type: AuthorType, id: z.string(), name: z.string() }),
  text: z.string(),
  html: z.string().optional(),
  attachments: z.array(Attachment),
  private: z.boolean(),
  status: MessageStatus,
  error: MessageError.optional(),
  externalId: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  /** Additive: the platform message this one answers, when known. */
  replyToExternalId: z.string().nullable(),
  /** Additive: the widget's client id, so a visitor's optimistic bubble can be matched. */
  clientMessageId: z.string().nullable(),
  /** Additive: when the customer last edited it on the platform. */
  editedAt: z.string().nullable(),
  /** Additive: when the customer deleted it on the platform (the text is kept for the record). */
  deletedAt: z.string().nullable(),
  /** Additive: for system lines (`author.type: system`), what happened as data; `text` is its English wording. */
  system: SystemNote.nullable().optional(),
  /** Additive (DESIGN §10): secrets removed from the text or its files before anything stored them. */
  redactions: z.array(Redaction),
  /** Additive (issue 15): the options a desk question offered, or on the customer's answer the one picked. */
  choice: MessageChoice.nullable().optional(),
});
export type Message = z.infer<typeof Message>;

/** Longest text we accept from any channel; platforms cap far lower. */
export const MAX_TEXT = 100_000;

/**
 * What an adapter hands to the sink (DESIGN §5). Pure data: it goes through Redis as job data.
 * `externalId` is the dedup key; `threadKey` picks the conversation within the channel.
 */
export const InboundMessage = z.object({
  channelId: z.string(),
  externalId: z.string().min(1).max(512),
  threadKey: z.string().min(1).max(512),
  sender: z.object({
    externalId: z.string().min(1).max(512),
    name: z.string().max(200).optional(),
    handle: z.string().max(200).optional(),
    email: z.string().max(320).optional(),
  }),
  sentAt: z.iso.datetime({ offset: true }),
  text: z.string().max(MAX_TEXT),
  html: z.string().max(MAX_TEXT * 5).optional(),
  subject: z.string().max(998).optional(),
  attachments: z.array(InboundAttachment).max(50).default([]),
  replyToExternalId: z.string().max(512).optional(),
  /** Widget client id (or similar), kept for the sender's own reconciliation. */
  clientMessageId: z.string().max(128).optional(),
  /**
   * A later version (edit) or the removal (delete) of the message with this `externalId`,
   * applied only when newer than what is stored; the message keeps its place in the order.
   */
  revision: z.object({ kind: z.enum(['edit', 'delete']), at: z.iso.datetime({ offset: true }) }).optional(),
  /**
   * Something that happened on the channel rather than a text the customer wrote (blocked the
   * bot, unsubscribed, clicked a menu). Stored as a system line visible to agents only; it never
   * reopens a conversation. `blocked`/`unsubscribed` mark the customer unreachable on this channel
   * until `unblocked`/`subscribed`.
   */
  event: z.object({ type: z.enum(['blocked', 'unblocked', 'subscribed', 'unsubscribed', 'menu', 'other']), detail: z.string().max(500).optional() }).optional(),
  /**
   * External ids of earlier messages on this channel (ours or the customer's) that this one
   * continues, newest first — email's In-Reply-To/References and reply token. The conversation of
   * the most recently stored of them wins over `threadKey`, so a reply lands where its thread is.
   */
  threadRefs: z.array(z.string().min(1).max(998)).max(100).optional(),
  /**
   * Sent by a machine (auto-reply, mailing list, notification): stored, but it never reopens a
   * conversation, never makes the customer "waiting" and never gets an automatic answer (no loops).
   */
  automated: z.boolean().optional(),
  /**
   * The platform reports that one of our messages was not delivered (an email bounce). The
   * outbound message with `originalExternalId` on this channel becomes `failed` with the reason;
   * when no such message exists, this is stored as an ordinary automated message.
   */
  deliveryFailure: z
    .object({ originalExternalId: z.string().min(1).max(998), status: z.string().max(32).optional(), diagnostic: z.string().max(2000) })
    .optional(),
  /**
   * The customer tapped an option of one of our questions (a survey's inline button, a WeChat
   * menu item, the widget's stars): its choice id and value. `text` is what the tap reads as.
   */
  choice: PickedChoice.optional(),
  /** Platform payload kept for audit; never rendered unescaped. */
  raw: z.unknown().optional(),
  /**
   * Set by the desk's inbound filters (never by adapters), before the message is queued: the
   * secrets removed from it, and an escalation (an urgent case: theft reported, a secret exposed)
   * that the conversation takes on in the same transaction as the message.
   */
  redactions: z.array(Redaction).max(100).optional(),
  escalation: z.object({ reason: z.string().max(200), labels: z.array(z.string().max(50)).max(10), by: z.string().max(100) }).optional(),
});
export type InboundMessage = z.infer<typeof InboundMessage>;
export type InboundMessageInput = z.input<typeof InboundMessage>;
