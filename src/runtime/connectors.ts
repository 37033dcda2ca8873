import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ChannelAdapter, InboundSink } from '../channels/contract.js';
import type { ChannelStatusStore } from './channel-status.js';
import { Lease } from './lease.js';
import { backoffMs, sleep } from '../channels/kit/index.js';

export interface ConnectorRunner {
  /** Channels whose connection this process holds right now. */
  held(): string[];
  stop(): Promise<void>;
}

/**
 * Runs the long-lived connection of every pull/socket channel (DESIGN §8), each only while this
 * process holds that channel's lease. Losing the lease aborts the connection at once; a crashed
 * connection is restarted with backoff; another instance takes over when this one dies.
 */
export function runConnectors(
  adapters: readonly ChannelAdapter[],
  deps: { redis: Redis; prefix: string; sink: InboundSink; logger: Logger; status: ChannelStatusStore; ttlMs?: number },
): ConnectorRunner {
  const stopping = new AbortController();
  const held = new Set<string>();
  const loops = adapters
    .filter((adapter) => adapter.start)
    .map(async (adapter) => {
      const log = deps.logger.child({ channel: adapter.id, kind: adapter.kind });
      const lease = new Lease(deps.redis, `${deps.prefix}:lease:${adapter.id}`, deps.ttlMs);
      let failures = 0;
      while (!stopping.signal.aborted) {
        if (!(await lease.acquire().catch(() => false))) {
          await sleep(lease.ttlMs / 3, stopping.signal);
          continue;
        }
        held.add(adapter.id);
        log.info('holding the connector lease; connecting');
        const connection = new AbortController();
        const onStop = (): void => connection.abort();
        stopping.signal.addEventListener('abort', onStop, { once: true });
        // Renewal failures (Redis unreachable) count as a lost lease once the TTL has passed:
        // by then another instance may hold it, and two live connections would double messages.
        let renewedAt = Date.now();
        const renewer = setInterval(() => {
          lease.renew().then(
            (ok) => {
              if (ok) renewedAt = Date.now();
              else {
                log.warn('connector lease lost; disconnecting');
                connection.abort();
              }
            },
            () => {
              if (Date.now() - renewedAt >= lease.ttlMs && !connection.signal.aborted) {
                log.warn('cannot renew the connector lease; disconnecting');
                connection.abort();
              }
            },
          );
        }, lease.ttlMs / 3);
        const startedAt = Date.now();
        try {
          await adapter.start!(deps.sink, connection.signal);
          failures = 0;
        } catch (error) {
          // A connection that ran for minutes before failing is a new outage, not the next
          // failure of a crash loop: it starts the backoff again from one second.
          failures = Date.now() - startedAt > 5 * 60_000 ? 1 : failures + 1;
          log.error({ err: error }, 'connector crashed');
          await deps.status.set(adapter.id, { status: 'error', error: (error as Error).message, checkedAt: new Date().toISOString() }).catch(() => undefined);
        } finally {
          clearInterval(renewer);
          stopping.signal.removeEventListener('abort', onStop);
          held.delete(adapter.id);
          await lease.release().catch(() => undefined);
        }
        if (failures > 0) await sleep(backoffMs(failures + 1), stopping.signal);
      }
    });
  return {
    held: () => [...held],
    async stop() {
      stopping.abort();
      await Promise.all(loops);
    },
  };
}
