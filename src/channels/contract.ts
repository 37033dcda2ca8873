import type { Logger } from 'pino';
import type { ChannelCapabilities, ChannelKind, ChannelStatus } from '../domain/channel.js';
import type { InboundMessageInput } from '../domain/message.js';

/**
 * Where adapters put what they receive. `accept` resolves once the message is durably queued
 * (in Redis); only then may the adapter acknowledge the platform. It rejects when the queue is
 * unreachable, which webhooks turn into a 503 so the platform retries.
 */
export interface InboundSink {
  accept(message: InboundMessageInput): Promise<void>;
  /**
   * Stores a file that arrived inside the platform payload itself (an email attachment) before
   * the message is queued; put the id in `attachments[].storedId`. Only that sender's message can
   * claim it. Throws AttachmentTooLarge over the configured limit.
   */
  saveAttachment(file: { channelId: string; senderExternalId: string; name: string; mimeType: string; bytes: Buffer }): Promise<{ storedId: string }>;
}

/** A webhook request reduced to what verification and parsing need (framework-neutral). */
export interface WebhookRequest {
  readonly method: string;
  readonly query: Readonly<Record<string, string | undefined>>;
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The exact bytes received: signatures are computed over these, never over re-serialised JSON. */
  readonly rawBody: Buffer;
}

export interface WebhookReply {
  readonly status: number;
  readonly body?: string | Buffer;
  readonly contentType?: string;
}

/** Everything a conversation needs to be answered on its channel. */
export interface ConversationAddress {
  readonly conversationId: string;
  /** Telegram chat id, Discord channel id, X participant, WeChat OpenID, email thread, widget visitor. */
  readonly threadKey: string;
  readonly contactExternalId: string;
  readonly contactEmail?: string;
  readonly subject?: string;
  /**
   * External ids of the conversation's messages, oldest first: the first one and the newest 30,
   * both directions, no internal notes (email builds References from them).
   */
  readonly threadExternalIds?: readonly string[];
  /** The newest customer message's external id (what a reply answers by default). */
  readonly lastInboundExternalId?: string;
}

export interface OutboundAttachment {
  readonly id: string;
  readonly name: string;
  readonly mimeType: string;
  readonly size: number;
  read(): Promise<Buffer>;
}

export interface OutboundMessage {
  readonly messageId: string;
  readonly text: string;
  readonly authorName: string;
  readonly attachments: readonly OutboundAttachment[];
  /** The customer's platform message this reply answers, when the agent picked one. */
  readonly replyToExternalId?: string;
  /**
   * Platform ids of parts an earlier attempt already delivered (a split reply that failed
   * midway): the adapter sends only the parts after them, so nothing reaches the customer twice.
   */
  readonly alreadySent: readonly string[];
  /** Sent by the gateway itself (an auto-acknowledgement), not typed by an agent. */
  readonly automatic?: boolean;
  /** A question with options; delivered with `sendChoice` when the adapter has it. */
  readonly choice?: OutboundChoice;
}

/** One answer of a question the desk asks (a survey's score): the adapter renders, never decides. */
export interface ChoiceOption {
  /** What comes back when the customer picks it (`InboundMessage.choice.value`). */
  readonly value: string;
  /** Its caption, in the customer's language ("5 ★★★★★"). */
  readonly label: string;
  /** For `links` channels: the signed address that records this answer. */
  readonly url?: string;
  /** What the question's message may say once this was picked ("Thanks — you rated 4/5"), where the platform lets us edit it. */
  readonly answered: string;
}

export interface OutboundChoice {
  /** Goes back with the pick (`choiceToken` for platforms that echo a string). */
  readonly id: string;
  readonly options: readonly ChoiceOption[];
}

export interface FetchedFile {
  readonly bytes: Buffer;
  readonly mimeType?: string;
  readonly name?: string;
}

export interface SendResult {
  /** Platform id(s) of what was sent; the first is stored as the message's externalId. */
  readonly externalIds: readonly string[];
}

/**
 * One configured channel (a bot, a mailbox, an Official Account, a widget). It translates between
 * the platform and our model and holds no business rules (DESIGN §3).
 */
export interface ChannelAdapter {
  readonly id: string;
  readonly kind: ChannelKind;
  readonly name: string;
  readonly capabilities: ChannelCapabilities;
  /** Push channels: verify, parse, `sink.accept`, answer within the platform's deadline. */
  webhook?(request: WebhookRequest, sink: InboundSink): Promise<WebhookReply>;
  /** Pull/socket channels: run until `signal` aborts. Called only while this process holds the lease. */
  start?(sink: InboundSink, signal: AbortSignal): Promise<void>;
  send(address: ConversationAddress, message: OutboundMessage): Promise<SendResult>;
  /**
   * Sends `text` with the question's options in the platform's native form (capabilities say
   * which): inline buttons, a menu, links. The customer's pick comes back through the sink as a
   * message with `choice` (its `externalId` a stable id of the tap, so a redelivery is one). Without
   * it, the worker sends the text alone — which then spells the options out.
   */
  sendChoice?(address: ConversationAddress, message: OutboundMessage & { readonly choice: OutboundChoice }): Promise<SendResult>;
  /**
   * Downloads an attachment the parser left as a platform reference (`remote`), in a worker —
   * never during the webhook. Throws PermanentChannelError when it can never succeed (too large,
   * expired), RetryableChannelError otherwise.
   */
  fetchAttachment?(remote: string, maxBytes: number): Promise<FetchedFile>;
  /** Checks credentials / connection; feeds `/readyz` and `/api/channels`. */
  verify(): Promise<ChannelStatus>;
}

/**
 * Small key-value state shared by all processes running a channel (tokens, cursors that are not
 * worth a database row), with a lock so only one process refreshes a shared credential at a time.
 * Keys are scoped to the channel.
 */
export interface SharedState {
  get(name: string): Promise<string | null>;
  set(name: string, value: string, ttlMs: number): Promise<void>;
  delete(name: string): Promise<void>;
  /** Runs `work` while holding the lock `name` (waits up to `ttlMs` for it; the lock expires after `ttlMs`). */
  withLock<T>(name: string, ttlMs: number, work: () => Promise<T>): Promise<T>;
}

/**
 * Durable per-channel state in the database (a mailbox's fetch checkpoint): survives Redis loss
 * and restarts. Values are JSON; `undefined` when never set.
 */
export interface DurableState {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
}

/** What a factory gets to build an adapter; only what translation needs. */
export interface AdapterContext {
  readonly logger: Logger;
  readonly publicUrl: string;
  readonly shared: SharedState;
  readonly durable: DurableState;
  /** Delivers a message to a live customer connection (used by the web chat channel). */
  readonly realtime: { publishToVisitor(channelId: string, visitorId: string, payload: unknown): Promise<void> };
}
