import type { Logger } from 'pino';
import type { AgentRole } from '../domain/agent.js';
import type { ChannelAdapter } from '../channels/contract.js';
import type { Queues } from '../queue/queues.js';
import { type InboundFilters, noFilters } from '../queue/sink.js';
import type { Metrics } from '../runtime/metrics.js';
import type { AttachmentStore } from '../store/attachment-store.js';
import type { Db } from '../store/database.js';
import type { InitialHandler, InitialSla, NewConversationFacts } from '../store/conversation-touch.js';
import type { Dispatcher } from './dispatcher.js';

/** A reply or note about to be saved, as the desk's reply guards see it. */
export interface ReplyDraft {
  readonly conversationId: string;
  readonly channelId: string;
  readonly text: string;
  readonly private: boolean;
  readonly agent: { readonly id: string; readonly role: AgentRole };
}

/**
 * What the use cases call out to the desk for (DESIGN §10); `src/desk` implements it, the
 * composition root passes it in, so `inbox` never imports a desk feature.
 */
export interface DeskHooks {
  /** Throws InboxError (422 `unsafe_content`) when the draft must not be saved. */
  guardReply(draft: ReplyDraft): Promise<void>;
  /** The reply's text with the desk's footers; `firstReply` is only asked when a footer depends on it. */
  decorateReply(draft: ReplyDraft, firstReply: () => Promise<boolean>): Promise<string>;
  /** The service-level clocks a new conversation starts with, written in its ingest (pure, synchronous). */
  initialSla?(facts: NewConversationFacts): InitialSla | null;
  /** Who answers a conversation opened in an ingest: an agent bot, the FAQ bot or the team (pure, synchronous). */
  initialHandler?(facts: NewConversationFacts): InitialHandler;
  /** An agent opened the inbox (routing hands them what waits in their teams). Never throws. */
  agentOnline(agentId: string): Promise<void>;
  /** Also applied to platform files downloaded later (a .txt Telegram document) before they are stored. */
  readonly filters: InboundFilters;
}

export const noDeskHooks: DeskHooks = { guardReply: async () => undefined, decorateReply: async (draft) => draft.text, agentOnline: async () => undefined, filters: noFilters };

/** What the use cases in `src/inbox/` work with; built once by the composition root. */
export interface InboxDeps {
  readonly db: Db;
  readonly queues: Queues;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly attachments: AttachmentStore;
  readonly adapters: ReadonlyMap<string, ChannelAdapter>;
  /** Largest attachment kept, from any side (visitor, agent, platform download). */
  readonly attachmentMaxBytes: number;
  /** Hands committed domain events to realtime and the desk (the outbox's one way out). */
  readonly dispatcher: Dispatcher;
  readonly desk: DeskHooks;
}
