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
  Object.keys({
    'conversation.created': true,
    'conversation.updated': true,
    'conversation.escalated': true,
    'message.created': true,
    'message.updated': true,
    'message.redacted': true,
    'conversation.sla_breached': true,
    'conversation.sla_warning': true,
    'csat.received': true,
  } satisfies Record<InboxEventType, true>),
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
  /**
   * Publishes the inbox events of outbox batches, each batch at most once: a Redis key per batch
   * id (kept `DONE_TTL_SECONDS`) is set in the same script that publishes, so a batch handed out
   * again — its writer died after publishing, before forgetting the outbox row — is not shown
   * twice. All batches of one call travel as one Redis message, in order.
   */
  publishOnce(batches: readonly { id: string; events: readonly InboxEvent[] }[]): Promise<void>;
  publishToVisitor(channelId: string, visitorId: string, payload: unknown): Promise<void>;
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

/** Longer than any outbox sweep can take to hand a batch out again (it waits seconds, not minutes). */
export const DONE_TTL_SECONDS = 600;

/** KEYS: one done-key per batch; ARGV: ttl, channel, then one frame block per key. */
const PUBLISH_ONCE = `
local out = {}
for i, key in ipairs(KEYS) do
  if redis.call('SET', key, '1', 'NX', 'EX', ARGV[1]) and ARGV[i + 2] ~= '' then
    out[#out + 1] = ARGV[i + 2]
  end
end
if #out > 0 then redis.call('PUBLISH', ARGV[2], table.concat(out, '\\n')) end
return #out`;

type PublishOnceRedis = Redis & { switchboardPublishOnce(numberOfKeys: number, ...args: string[]): Promise<number> };

export function createEventBus(publisher: Redis, subscriber: Redis, prefix: string, logger: Logger): EventBus {
  const eventsChannel = `${prefix}:events`;
  if (!('switchboardPublishOnce' in publisher)) publisher.defineCommand('switchboardPublishOnce', { lua: PUBLISH_ONCE });
  const scripted = publisher as PublishOnceRedis;
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
    async publishOnce(batches) {
      if (batches.length === 0) return;
      await scripted.switchboardPublishOnce(
        batches.length,
        ...batches.map((b) => `${prefix}:outbox-done:${b.id}`),
        String(DONE_TTL_SECONDS),
        eventsChannel,
        ...batches.map((b) => b.events.map(frame).join('\n')),
      );
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
