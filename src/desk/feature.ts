import type { Logger } from 'pino';
import type { Contract } from '../api/route.js';
import type { DispatchedEvent } from '../domain/events.js';
import type { RouteMounter } from '../api/handler.js';
import type { z } from 'zod';
import type { ChannelCapabilities, ChannelKind } from '../domain/channel.js';
import type { InboundMessage } from '../domain/message.js';
import type { InboxDeps, ReplyDraft } from '../inbox/deps.js';
import type { EventView } from '../inbox/event-view.js';
import type { FilteredFile, InboundFile } from '../queue/sink.js';
import type { Presence } from '../realtime/presence.js';
import type { InitialHandler, InitialSla, NewConversationFacts } from '../store/conversation-touch.js';
import type { OutboxBatch } from '../store/outbox.js';
import type { Library } from './kb/library.js';

/**
 * A desk feature (DESIGN §10): one folder in `src/desk/<name>/` and one line in
 * `src/desk/index.ts`. It owns a slice of the channels file's `desk:` section, and plugs into
 * the core only at these points:
 *
 * - `inbound` / `file`: pure, synchronous filters inside `sink.accept()`, before the message
 *   reaches Redis (a recovery phrase removed here is never stored anywhere);
 * - `guardReply`: before an agent's reply or note is saved (a refusal becomes 422);
 * - `replyFooter`: a line under an agent's reply, added before it is saved;
 * - `onEvents`: reactions to committed domain events, from the outbox dispatcher. A batch can come
 *   again after a crash, so reactions are idempotent (`sendAutomatic` takes a key for that).
 *
 * It never reaches into adapters: a channel only declares what it can present.
 */
export interface DeskFeature<Settings extends z.ZodObject = z.ZodObject> {
  readonly name: string;
  /** Its keys of `desk:`, with their defaults (validated at start; errors name the field). */
  readonly settings: Settings;
  /**
   * `settings()` is what applies now: the channels file's values, or an admin's edit (picked up by
   * every process within seconds), so read it when deciding, not once.
   */
  create(context: FeatureContext, settings: () => z.infer<Settings>): DeskRuntime;
  /**
   * Dotted paths of its settings that are secrets (`llm.apiKey`): the settings API shows them
   * masked, and an edit that sends the mask back keeps them (`src/desk/secrets.ts`).
   */
  readonly secrets?: readonly string[];
  /** Its routes' declarations (`api.ts`), when it has routes; `create` returns their handlers as `api`. */
  readonly contract?: Contract;
}

/** A refusal of a reply guard: shown to the agent, never overridable by them. */
export interface Refusal {
  readonly code: 'unsafe_content';
  readonly message: string;
}

export interface DeskRuntime {
  inbound?(message: InboundMessage): InboundMessage;
  /** The service-level clocks of a conversation created in an ingest (pure, synchronous; one feature gives them). */
  initialSla?(facts: NewConversationFacts): InitialSla | null;
  /**
   * Who answers a conversation created in an ingest (pure, synchronous). Several features may
   * give it (agent bots, the FAQ bot): the first in the list that does not say `agent` decides.
   */
  initialHandler?(facts: NewConversationFacts): InitialHandler;
  file?(file: InboundFile): FilteredFile;
  guardReply?(draft: ReplyDraft): Refusal | undefined | Promise<Refusal | undefined>;
  /**
   * A line to add under an agent's reply (not a note) before it is saved and sent, so the customer
   * and the inbox see the same text; `firstReply` says no agent answered this conversation yet.
   */
  replyFooter?(draft: ReplyDraft, firstReply: boolean): string | undefined;
  onEvents?(batches: readonly OutboxBatch[], view: EventView): Promise<void>;
  /**
   * Events this feature reacts to beyond the desk's own filter (`concernsDesk` in
   * `src/desk/index.ts`): a batch holding one is queued for the desk-events worker, so its
   * `onEvents` sees it. Runs in the dispatch of every ingest and reply: synchronous and cheap
   * (decide from something cached, never the database).
   */
  concerns?(event: DispatchedEvent): boolean;
  /** Loads what `concerns` decides from and keeps it current; awaited before the gateway serves. */
  start?(): Promise<void>;
  stop?(): void;
  /**
   * A timer this feature scheduled (`context.timers`) is due, in a worker. It may run more than
   * once (a worker killed mid-run, a stale timer of an earlier schedule): decide from the stored
   * state, not from having been called.
   */
  onTimer?(key: string, data: Record<string, unknown>): Promise<void>;
  /** An agent opened the inbox's live connection (in the API process that serves it). */
  onAgentOnline?(agentId: string): Promise<void>;
  /** The feature's own routes (`src/desk/<name>/api.ts` declares them). */
  readonly api?: MountableApi;
}

/** Declared routes with their handlers, ready to register (the HTTP layer threads the locals). */
export interface MountableApi {
  readonly contract: Contract;
  mount(mounter: RouteMounter): void;
}

/** What a channel tells the desk about itself (never its secrets). */
export interface DeskChannel {
  readonly id: string;
  readonly kind: ChannelKind;
  /** The channel's own acknowledgement text (`autoReply` in its entry), if set. */
  readonly autoReply?: string | undefined;
  /** What it can present (a survey as buttons, a menu, links, or typed text). */
  readonly capabilities: ChannelCapabilities;
}

export interface DeskContext {
  readonly logger: Logger;
  /** Which agents have the inbox open (routing skips the others). */
  readonly presence: Presence;
  readonly channels: ReadonlyMap<string, DeskChannel>;
  /** The gateway's public address (links the desk sends customers: survey ratings). */
  readonly publicUrl: string;
  /** The server's secret (`SECRET_KEY`): features derive their own signing keys from it. */
  readonly secretKey: string;
  /** The inbox's use cases and their dependencies, available once the gateway is wired. */
  inbox(): InboxDeps;
}

/** A feature's timers: BullMQ delayed jobs on the desk-timers queue, run by the worker role. */
export interface DeskTimers {
  /**
   * Calls the feature's `onTimer(key, data)` at `at` (at once when past). The same key and time
   * is one timer, however often and from however many processes it is scheduled.
   */
  schedule(key: string, at: Date, data: Record<string, unknown>): Promise<void>;
  /** The same for many timers, in one round trip. */
  scheduleAll(timers: readonly { key: string; at: Date; data: Record<string, unknown> }[]): Promise<void>;
}

/** What a feature is built with: the desk's context, its own timers, and other features' settings. */
export interface FeatureContext extends DeskContext {
  readonly timers: DeskTimers;
  /** What another feature's settings are now (auto-ack tells the customer the service level's times). */
  settingsOf<S extends z.ZodObject>(feature: DeskFeature<S>): z.infer<S>;
  /** The knowledge base's search (issue 16), one per desk: the help center, agents and the bot share it. */
  readonly library: Library;
}

/** Ties a feature's factory to its settings schema, so `create` gets them typed. */
export const defineDeskFeature = <Settings extends z.ZodObject>(feature: DeskFeature<Settings>): DeskFeature<Settings> => feature;
