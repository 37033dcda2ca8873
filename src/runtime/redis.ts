import { Redis, type RedisOptions } from 'ioredis';

/**
 * Connections as BullMQ's production guide asks: workers and subscribers block, so they retry
 * forever (`maxRetriesPerRequest: null`); producers fail fast (`enableOfflineQueue: false`) so an
 * unreachable Redis becomes a 503 for the platform instead of a request hanging in memory.
 */
export interface RedisConnections {
  /** For Queue producers, leases, caches: commands fail fast while Redis is down. */
  readonly command: Redis;
  /** Options for BullMQ Workers (each gets its own blocking connection). */
  readonly workerOptions: RedisOptions;
  /** A new connection for pub/sub subscribers. */
  subscriber(): Redis;
  /** Resolves once the command connection is usable (it fails fast, so start-up waits for it). */
  ready(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export function connectRedis(url: string): RedisConnections {
  const base: RedisOptions = {
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    // Reconnect on READONLY (failover to a replica that was promoted).
    reconnectOnError: (error) => error.message.startsWith('READONLY'),
  };
  const workerOptions: RedisOptions = { ...base, maxRetriesPerRequest: null, enableReadyCheck: false };
  // Auto-pipelining sends the commands issued in one tick (hundreds of webhook `add`s and event
  // publishes under load) in one write; without it each was its own syscall.
  const command = new Redis(url, { ...base, enableOfflineQueue: false, maxRetriesPerRequest: 1, enableAutoPipelining: true });
  command.on('error', () => undefined);
  const extra: Redis[] = [];
  return {
    command,
    workerOptions: { ...workerOptions, ...redisOptionsFromUrl(url) },
    subscriber() {
      const client = new Redis(url, { ...base, maxRetriesPerRequest: null });
      client.on('error', () => undefined);
      extra.push(client);
      return client;
    },
    async ready(timeoutMs = 10_000) {
      if (command.status === 'ready') return;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`Redis at ${new URL(url).host} is not reachable`)), timeoutMs);
        command.once('ready', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
    async close() {
      await Promise.all([command, ...extra].map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}

/** BullMQ takes connection options, not URLs. */
function redisOptionsFromUrl(url: string): RedisOptions {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 6379,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.pathname.length > 1 ? { db: Number(parsed.pathname.slice(1)) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}
