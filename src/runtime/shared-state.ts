import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { SharedState } from '../channels/contract.js';

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * Redis-backed state shared by every process of one channel (e.g. WeChat's access token, which is
 * invalidated by each refresh, so exactly one process may refresh it — the "中控服务器" pattern).
 */
export function redisSharedState(redis: Redis, prefix: string): SharedState {
  const key = (name: string): string => `${prefix}:${name}`;
  return {
    async get(name) {
      return redis.get(key(name));
    },
    async set(name, value, ttlMs) {
      await redis.set(key(name), value, 'PX', Math.max(1, Math.round(ttlMs)));
    },
    async delete(name) {
      await redis.del(key(name));
    },
    async withLock(name, ttlMs, work) {
      const lockKey = key(`lock:${name}`);
      const owner = randomUUID();
      const deadline = Date.now() + ttlMs;
      while ((await redis.set(lockKey, owner, 'PX', ttlMs, 'NX')) !== 'OK') {
        if (Date.now() > deadline) throw new Error(`timed out waiting for the shared lock ${name}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      try {
        return await work();
      } finally {
        await redis.eval(RELEASE, 1, lockKey, owner).catch(() => undefined);
      }
    },
  };
}
