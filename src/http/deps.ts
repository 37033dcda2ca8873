import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { Readiness } from '../api/schemas.js';
import type { InboundSink } from '../channels/contract.js';
import type { ChannelApi } from '../channels/routes.js';
import type { MountableApi } from '../desk/feature.js';
import type { ChannelStatus } from '../domain/channel.js';
import type { InboxDeps } from '../inbox/deps.js';
import type { EventBus } from '../realtime/bus.js';
import type { Presence } from '../realtime/presence.js';

export type { Readiness } from '../api/schemas.js';

/** What the express app needs; `createApp` never listens itself (STYLE §3). */
export interface HttpDeps extends InboxDeps {
  readonly sink: InboundSink;
  /** Realtime events for the SSE streams of agents and visitors. */
  readonly bus: EventBus;
  /** Agents with the inbox open (their live connection). */
  readonly presence: Presence;
  readonly redis: Redis;
  readonly rateLimitPrefix: string;
  readonly secretKey: string;
  readonly publicUrl: string;
  readonly trustProxy: number;
  readonly metricsRegistry: Registry;
  /** Routes of channel kinds (the widget's), from `adapters/index.ts`. */
  readonly channelApis: readonly ChannelApi[];
  /** The desk's routes (its settings, each feature's own). */
  readonly deskApis: readonly MountableApi[];
  channelStatus(channelId: string): Promise<ChannelStatus>;
  readiness(): Promise<Readiness>;
}
