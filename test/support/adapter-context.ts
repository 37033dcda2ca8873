import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import type { AdapterContext } from '../../src/channels/contract.js';
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
    realtime: { publishToVisitor: async () => undefined },
  };
}
