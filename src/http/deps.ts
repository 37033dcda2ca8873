import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { InboundSink } from '../channels/contract.js';
import type { ChannelStatus } from '../domain/channel.js';
import type { InboxDeps } from '../inbox/deps.js';
import type { EventBus } from '../realtime/bus.js';

export interface Readiness {
  ready: boolean;
  checks: Record<string, { ok: boolean; detail?: string }>;
}

/** What the express app needs; `createApp` never listens itself (STYLE §3). */
export interface HttpDeps extends InboxDeps {
  readonly sink: InboundSink;
  /** Realtime events for the SSE streams of agents and visitors. */
  readonly bus: EventBus;
  readonly redis: Redis;
  readonly rateLimitPrefix: string;
  readonly secretKey: string;
  readonly publicUrl: string;
  readonly trustProxy: number;
  readonly metricsRegistry: Registry;
  channelStatus(channelId: string): Promise<ChannelStatus>;
  readiness(): Promise<Readiness>;
}
