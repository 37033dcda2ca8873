import type { Redis } from 'ioredis';

/**
 * Fixed-window counter in Redis, shared by all API processes. Returns the seconds to wait when
 * over the limit. If Redis cannot answer, the request is allowed (availability over strictness).
 */
export async function overLimit(redis: Redis, key: string, limit: number, windowSeconds: number): Promise<number | null> {
  try {
    const results = await redis.multi().incr(key).expire(key, windowSeconds, 'NX').ttl(key).exec();
    const count = Number(results?.[0]?.[1] ?? 0);
    const ttl = Number(results?.[2]?.[1] ?? windowSeconds);
    return count > limit ? Math.max(1, ttl) : null;
  } catch {
    return null;
  }
}

/** Counts only failures (sign-in guesses): `blocked` checks, `fail` records one. */
export function failureLimiter(redis: Redis, limit: number, windowSeconds: number) {
  return {
    async blocked(key: string): Promise<number | null> {
      try {
        const [count, ttl] = await Promise.all([redis.get(key), redis.ttl(key)]);
        return Number(count ?? 0) >= limit ? Math.max(1, ttl) : null;
      } catch {
        return null;
      }
    },
    async fail(key: string): Promise<void> {
      await redis.multi().incr(key).expire(key, windowSeconds, 'NX').exec().catch(() => undefined);
    },
  };
}
