import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { InboxEvent, InboxEventType } from '../domain/events.js';

export interface VisitorPayload {
  readonly channelId: string;
  readonly visitorId: string;
  readonly payload: unknown;
}

type Listener<T> = (value: T) => void;

export interface SerializedEvent {
  readonly type: InboxEventType;
  /** `JSON.stringify(event.data)`. */
  readonly json: string;
}

/** Every event type, checked by the compiler against InboxEvent: a new type cannot be dropped here. */
const eventTypes: ReadonlySet<string> = new Set(
  Object.keys({ 'conversation.created': true, 'conversation.updated': true, 'message.created': true, 'message.updated': true } satisfies Record<InboxEventType, true>),
);

/**
 * Wire format of the events channel: one line per event, `<type>\t<JSON data>`. JSON text never
 * holds a raw newline, so lines split safely and a batch of events is one PUBLISH.
 */
const frame = (event: InboxEvent): string => `${event.type}\t${JSON.stringify(event.data)}`;

/**
 * Realtime fan-out through Redis pub/sub (DESIGN §8): any process publishes, every API process
 * receives and hands events to its own SSE clients. One subscriber connection per process.
 */
export interface EventBus {
  publish(event: InboxEvent): Promise<void>;
  publishToVisitor(channelId: string, visitorId: string, payload: unknown): Promise<void>;
  /** Several events in one Redis message, delivered in this order (a batch of inbound messages). */
  publishAll(events: readonly InboxEvent[]): Promise<void>;
  /**
   * Inbox events as they travel: the type and the data already serialised, so an SSE stream
   * writes them as they are — no parse and re-serialise per event and per connected agent.
   */
  onEvent(listener: Listener<SerializedEvent>): () => void;
  onVisitor(channelId: string, visitorId: string, listener: Listener<unknown>): () => void;
  /** Starts receiving (API role only). */
  start(): Promise<void>;
  close(): Promise<void>;
}

export function createEventBus(publisher: Redis, subscriber: Redis, prefix: string, logger: Logger): EventBus {
  const eventsChannel = `${prefix}:events`;
  const visitorChannel = `${prefix}:visitor`;
  const listeners = new Set<Listener<SerializedEvent>>();
  const visitors = new Map<string, Set<Listener<unknown>>>();
  const visitorKey = (channelId: string, visitorId: string): string => `${channelId}\u0000${visitorId}`;
  let started = false;

  subscriber.on('message', (channel: string, text: string) => {
    if (channel === eventsChannel) {
      if (listeners.size === 0) return;
      for (const line of text.split('\n')) {
        const tab = line.indexOf('\t');
        const type = line.slice(0, tab);
        if (tab < 0 || !eventTypes.has(type)) {
          logger.warn({ channel }, 'dropping a malformed realtime event');
          continue;
        }
        const event: SerializedEvent = { type: type as InboxEventType, json: line.slice(tab + 1) };
        for (const listener of listeners) listener(event);
      }
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      logger.warn({ channel }, 'dropping a malformed realtime event');
      return;
    }
    if (channel === visitorChannel) {
      const { channelId, visitorId, payload } = parsed as VisitorPayload;
      for (const listener of visitors.get(visitorKey(channelId, visitorId)) ?? []) listener(payload);
    }
  });

  return {
    async publish(event) {
      await publisher.publish(eventsChannel, frame(event));
    },
    async publishAll(events) {
      if (events.length > 0) await publisher.publish(eventsChannel, events.map(frame).join('\n'));
    },
    async publishToVisitor(channelId, visitorId, payload) {
      await publisher.publish(visitorChannel, JSON.stringify({ channelId, visitorId, payload } satisfies VisitorPayload));
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onVisitor(channelId, visitorId, listener) {
      const key = visitorKey(channelId, visitorId);
      const set = visitors.get(key) ?? new Set();
      set.add(listener);
      visitors.set(key, set);
      return () => {
        set.delete(listener);
        if (set.size === 0) visitors.delete(key);
      };
    },
    async start() {
      if (started) return;
      started = true;
      await subscriber.subscribe(eventsChannel, visitorChannel);
    },
    async close() {
      listeners.clear();
      visitors.clear();
      if (started) await subscriber.unsubscribe().catch(() => undefined);
    },
  };
}
