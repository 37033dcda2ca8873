import type { FileReply, RouteMounter, Upload } from '../api/handler.js';
import type { Contract } from '../api/route.js';
import type { Attachment } from '../domain/attachment.js';
import type { Message } from '../domain/message.js';
import type { ChannelAdapter, InboundSink } from './contract.js';

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
    history(channelId: string, threadKey: string, page: { after?: string | undefined; limit: number }): Promise<{ messages: Message[]; status: 'open' | 'pending' | 'snoozed' | 'resolved' } | undefined>;
    attachment(channelId: string, threadKey: string, attachmentId: string): Promise<FileReply | undefined>;
    upload(channelId: string, senderId: string, file: Upload): Promise<Attachment>;
    /**
     * Issue 17: a session whose `userHash` verified — this visitor is the app's user `userId`, so
     * their contact gets that user id (or becomes the contact that has it). The store decides.
     */
    identified(channelId: string, visitorId: string, profile: { userId: string; name?: string | undefined; email?: string | undefined }): Promise<void>;
  };
  onVisitor(channelId: string, visitorId: string, listener: (payload: unknown) => void): () => void;
}

/** A channel kind's routes: their declarations (for the document) and, given the deps, their handlers. */
export interface ChannelApi {
  readonly contract: Contract;
  mount(deps: ChannelRouteDeps, mounter: RouteMounter): void;
}
