import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Which agents are online: those with an inbox open, seen through its live connection
 * (`GET /api/events`). Each connection is a member of one Redis sorted set, scored by when it was
 * last seen and refreshed while it stays open; an API process that dies stops refreshing, so its
 * connections fall out after `STALE_MS` without anyone cleaning up. Any process can ask.
 */
export interface Presence {
  /** An agent's live connection opened; the returned function closes it. */
  connect(agentId: string): () => void;
  /** The agents with a live connection now. */
  online(): Promise<Set<string>>;
  close(): void;
}

const REFRESH_MS = 15_000;
const STALE_MS = 45_000;

export function redisPresence(redis: Redis, prefix: string): Presence {
  const key = `${prefix}:presence`;
  const open = new Map<string, string>(); // member → agent id, this process's connections
  const touch = (members: readonly string[]): void => {
    if (members.length === 0) return;
    const now = Date.now();
    redis.zadd(key, ...members.flatMap((m) => [now, m])).catch(() => undefined);
  };
  const timer = setInterval(() => touch([...open.keys()]), REFRESH_MS);
  timer.unref();
  return {
    connect(agentId) {
      const member = `${agentId}|${randomUUID()}`;
      open.set(member, agentId);
      touch([member]);
      return () => {
        open.delete(member);
        redis.zrem(key, member).catch(() => undefined);
      };
    },
    async online() {
      const since = Date.now() - STALE_MS;
      await redis.zremrangebyscore(key, '-inf', `(${since}`);
      const members = await redis.zrangebyscore(key, since, '+inf');
      return new Set(members.map((m) => m.slice(0, m.lastIndexOf('|'))));
    },
    close() {
      clearInterval(timer);
    },
  };
}

/** For processes and tests without a live inbox: nobody is online. */
export const nobodyOnline: Presence = { connect: () => () => undefined, online: async () => new Set(), close: () => undefined };
