import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { InboxEvent } from '../domain/events.js';

export interface VisitorPayload {
  readonly channelId: string;
  readonly visitorId: string;
  readonly payload: unknown;
}

type Listener<T> = (value: T) => void;

/**
 * Realtime fan-out through Redis pub/sub (DESIGN §8): any process publishes, every API process
 * receives and hands events to its own SSE clients. One subscriber connection per process.
 */
export interface EventBus {
  publish(event: InboxEvent): Promise<void>;
  publishToVisitor(channelId: string, visitorId: string, payload: unknown): Promise<void>;
  onEvent(listener: Listener<InboxEvent>): () => void;
  onVisitor(channelId: string, visitorId: string, listener: Listener<unknown>): () => void;
  /** Starts receiving (API role only). */
  start(): Promise<void>;
  close(): Promise<void>;
}

export function createEventBus(publisher: Redis, subscriber: Redis, prefix: string, logger: Logger): EventBus {
  const eventsChannel = `${prefix}:events`;
  const visitorChannel = `${prefix}:visitor`;
  const listeners = new Set<Listener<InboxEvent>>();
  const visitors = new Map<string, Set<Listener<unknown>>>();
  const visitorKey = (channelId: string, visitorId: string): string => `${channelId}\u0000${visitorId}`;
  let started = false;

  subscriber.on('message', (channel: string, text: string) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      logger.warn({ channel }, 'dropping a malformed realtime event');
      return;
    }
    if (channel === eventsChannel) {
      for (const listener of listeners) listener(parsed as InboxEvent);
    } else if (channel === visitorChannel) {
      const { channelId, visitorId, payload } = parsed as VisitorPayload;
      for (const listener of visitors.get(visitorKey(channelId, visitorId)) ?? []) listener(payload);
    }
  });

  return {
    async publish(event) {
      await publisher.publish(eventsChannel, JSON.stringify(event));
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
