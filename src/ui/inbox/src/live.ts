import type { InboxEventType } from '../../../domain/events.js';
import type { Conversation, Message } from './types';

export type LiveEvent =
  | { type: 'conversation.created' | 'conversation.updated'; data: Conversation }
  | { type: 'message.created' | 'message.updated'; data: Message }
  /** Wallet safety made it an urgent case (a theft report, an exposed secret); `conversation.updated` comes too. */
  | { type: 'conversation.escalated'; data: Conversation }
  /** A service-level target ran out, or 90 % of one is used; `conversation.updated` comes too. */
  | { type: 'conversation.sla_breached' | 'conversation.sla_warning'; data: Conversation }
  /** The customer rated the conversation or added a comment to their rating; `conversation.updated` comes too. */
  | { type: 'csat.received'; data: Conversation }
  /** A secret was removed from a stored message (a file downloaded later); `message.updated` comes too. */
  | { type: 'message.redacted'; data: Message }
  /** The stream came back after a gap: refetch whatever is on screen. */
  | { type: 'resync' };

type Listener = (event: LiveEvent) => void;
type StatusListener = (connected: boolean) => void;

/** Every event the server streams (src/domain/events.ts): the compiler rejects a list that misses a newer one. */
const eventTypes = Object.keys({
  'conversation.created': true,
  'conversation.updated': true,
  'message.created': true,
  'message.updated': true,
  'conversation.escalated': true,
  'message.redacted': true,
  'conversation.sla_breached': true,
  'conversation.sla_warning': true,
  'csat.received': true,
} satisfies Record<InboxEventType, true>) as InboxEventType[];

/**
 * One `EventSource('/api/events')` for the whole app. EventSource reconnects by itself after a
 * network error; when the server refuses the stream (e.g. a 401) it gives up, so we reopen it with
 * backoff and let `onGaveUp` check the session. Every reconnect after a gap emits `resync`.
 */
export class LiveConnection {
  private source: EventSource | null = null;
  private readonly listeners = new Set<Listener>();
  private readonly statusListeners = new Set<StatusListener>();
  private connected = true;
  private hadGap = false;
  private failures = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;

  constructor(private readonly onGaveUp: () => void) {}

  start(): void {
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.source?.close();
    this.source = null;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onStatus(listener: StatusListener): () => void {
    this.statusListeners.add(listener);
    listener(this.connected);
    return () => this.statusListeners.delete(listener);
  }

  isConnected(): boolean {
    return this.connected;
  }

  private emit(event: LiveEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        console.error('live event listener failed', error);
      }
    }
  }

  private setConnected(connected: boolean): void {
    if (this.connected === connected) return;
    this.connected = connected;
    for (const listener of [...this.statusListeners]) listener(connected);
  }

  private open(): void {
    if (this.stopped) return;
    const source = new EventSource('/api/events', { withCredentials: true });
    this.source = source;
    for (const type of eventTypes) {
      source.addEventListener(type, (event) => {
        try {
          const data = JSON.parse((event as MessageEvent<string>).data) as unknown;
          this.emit({ type, data } as LiveEvent);
        } catch {
          // A malformed event is skipped; the next resync repairs the view.
        }
      });
    }
    source.addEventListener('ready', () => {
      this.failures = 0;
      this.setConnected(true);
      if (this.hadGap) {
        this.hadGap = false;
        this.emit({ type: 'resync' });
      }
    });
    source.onerror = () => {
      if (this.source !== source) return;
      this.hadGap = true;
      this.setConnected(false);
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        this.failures += 1;
        const delay = Math.min(30_000, 1000 * 2 ** Math.min(this.failures, 5));
        this.timer = setTimeout(() => this.open(), delay);
        this.onGaveUp();
      }
    };
  }
}
