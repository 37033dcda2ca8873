import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import type { AdapterContext, DurableState } from '../../src/channels/contract.js';
import { redisSharedState } from '../../src/runtime/shared-state.js';
import { TEST_REDIS_URL } from './env.js';

let redis: Redis | undefined;

/**
 * An AdapterContext for driving one adapter directly (no gateway): silent logger, shared state in
 * the real test Redis under a fresh prefix, and a realtime hub that drops visitor pushes.
 */
export function testAdapterContext(publicUrl = 'http://localhost:3000'): AdapterContext {
  redis ??= new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  return {
    logger: pino({ level: 'silent' }),
    publicUrl,
    shared: redisSharedState(redis, `tctx${randomBytes(5).toString('hex')}`),
    durable: memoryDurableState(),
    realtime: { publishToVisitor: async () => undefined },
  };
}

/** Durable channel state kept in memory (the database-backed one is tested with the gateway). */
export function memoryDurableState(): DurableState {
  const values = new Map<string, string>();
  return {
    get: async (key) => (values.has(key) ? JSON.parse(values.get(key)!) : undefined),
    set: async (key, value) => void values.set(key, JSON.stringify(value)),
  };
}
