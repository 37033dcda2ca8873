import type { FileReply, RouteMounter, Upload } from '../api/handler.js';
import type { Contract } from '../api/route.js';
import type { Attachment } from '../domain/attachment.js';
import type { Message } from '../domain/message.js';
import type { ChannelAdapter, InboundSink } from './contract.js';

/**
 * What a customer may read: `thread` their own conversation on the channel; `identity` every
 * conversation of the contact their identity belongs to on it (an identified app user).
 */
export type CustomerScope = 'thread' | 'identity';

/** One of a customer's conversations, as they may see it in a list. */
export interface CustomerConversationSummary {
  readonly id: string;
  readonly status: 'open' | 'pending' | 'snoozed' | 'resolved';
  readonly subject: string | null;
  readonly createdAt: string;
  readonly lastMessageAt: string;
  readonly resolvedAt: string | null;
  readonly preview: string;
  /** The thread the customer writes in now; the others are read-only records. */
  readonly own: boolean;
}

/**
 * What a channel kind's own HTTP routes may use (the web chat widget's customer side): the sink,
 * the customer's view of their conversation, abuse limits and realtime — never the database or
 * another use case directly. `src/http` provides it.
 */
export interface ChannelRouteDeps {
  /** Every configured channel; a kind's routes answer only for its own. */
  readonly adapters: ReadonlyMap<string, ChannelAdapter>;
  readonly sink: InboundSink;
  readonly secretKey: string;
  readonly publicUrl: string;
  readonly attachmentMaxBytes: number;
  /** Seconds to wait when over `max` per `windowSeconds` (a Redis counter shared by all API processes), else null. */
  limit(key: string, max: number, windowSeconds: number): Promise<number | null>;
  readonly customers: {
    /**
     * The customer's conversation (`threadKey`), or with `conversation` another one their `scope`
     * covers (`identity`: every conversation of their contact on the channel); `own` says it is the
     * one they write in.
     */
    history(
      channelId: string,
      threadKey: string,
      page: { after?: string | undefined; limit: number; conversation?: string | undefined; scope?: CustomerScope | undefined },
    ): Promise<{ messages: Message[]; status: 'open' | 'pending' | 'snoozed' | 'resolved'; id: string; own: boolean } | undefined>;
    attachment(channelId: string, threadKey: string, attachmentId: string, scope?: CustomerScope): Promise<FileReply | undefined>;
    /** Every conversation of the identity's contact on this channel (identified customers, issue 17). */
    conversations(channelId: string, threadKey: string): Promise<readonly CustomerConversationSummary[]>;
    upload(channelId: string, senderId: string, file: Upload): Promise<Attachment>;
  };
  onVisitor(channelId: string, visitorId: string, listener: (payload: unknown) => void): () => void;
}

/** A channel kind's routes: their declarations (for the document) and, given the deps, their handlers. */
export interface ChannelApi {
  readonly contract: Contract;
  mount(deps: ChannelRouteDeps, mounter: RouteMounter): void;
}
