import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { redisSharedState } from '../../../src/runtime/shared-state.js';
import { TEST_REDIS_URL } from '../../support/env.js';

describe('state shared by the processes of one channel (Redis)', () => {
  const a = new Redis(TEST_REDIS_URL);
  const b = new Redis(TEST_REDIS_URL);
  afterAll(() => {
    a.disconnect();
    b.disconnect();
  });
  const prefix = `ss${randomBytes(4).toString('hex')}`;

  it('a value set by one process is read by another and expires', async () => {
    await redisSharedState(a, prefix).set('token', 'abc', 200);
    expect(await redisSharedState(b, prefix).get('token')).toBe('abc');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await redisSharedState(b, prefix).get('token')).toBeNull();
  });

  it('two processes refreshing at once run the refresh one after the other, never together', async () => {
    let inside = 0;
    let overlap = false;
    const order: string[] = [];
    const refresh = (who: string) => async () => {
      inside += 1;
      if (inside > 1) overlap = true;
      order.push(`${who}:start`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      order.push(`${who}:end`);
      inside -= 1;
    };
    await Promise.all([redisSharedState(a, prefix).withLock('refresh', 5_000, refresh('a')), redisSharedState(b, prefix).withLock('refresh', 5_000, refresh('b'))]);
    expect(overlap).toBe(false);
    expect(order).toHaveLength(4);
    expect(order[0]!.split(':')[0]).toBe(order[1]!.split(':')[0]);
  });
});
