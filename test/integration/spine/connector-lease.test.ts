import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { InboundSink } from '../../../src/channels/contract.js';
import { redisChannelStatus } from '../../../src/runtime/channel-status.js';
import { runConnectors } from '../../../src/runtime/connectors.js';
import { Lease } from '../../../src/runtime/lease.js';
import { ConnectorChannel } from '../../fakes/connector-channel.js';
import { TEST_REDIS_URL } from '../../support/env.js';
import { eventually } from '../../support/http.js';
import { testSink } from '../../support/sink.js';

const logger = pino({ level: 'silent' });
const sink: InboundSink = testSink();

describe('one connection per channel across instances (Redis lease)', () => {
  const clients: Redis[] = [];
  const client = (): Redis => {
    const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1, retryStrategy: () => 200 });
    redis.on('error', () => undefined);
    clients.push(redis);
    return redis;
  };
  afterEach(() => {
    for (const c of clients.splice(0)) c.disconnect();
  });

  it('a lease is held by one owner; others cannot renew or release it', async () => {
    const key = `lease-test-${randomBytes(4).toString('hex')}`;
    const a = new Lease(client(), key, 5_000);
    const b = new Lease(client(), key, 5_000);
    expect(await a.acquire()).toBe(true);
    expect(await b.acquire()).toBe(false);
    expect(await b.renew()).toBe(false);
    await b.release();
    expect(await a.holder()).toBe(a.owner);
    await a.release();
    expect(await b.acquire()).toBe(true);
    await b.release();
  });

  it('only one instance connects; when the holder dies the other takes over within the lease time', async () => {
    const prefix = `lease${randomBytes(4).toString('hex')}`;
    const first = new ConnectorChannel();
    const second = new ConnectorChannel();
    const redisA = client();
    const redisB = client();
    const runnerA = runConnectors([first], { redis: redisA, prefix, sink, logger, status: redisChannelStatus(redisA, prefix), ttlMs: 1_500 });
    await eventually(async () => (first.connected ? true : undefined));
    const runnerB = runConnectors([second], { redis: redisB, prefix, sink, logger, status: redisChannelStatus(redisB, prefix), ttlMs: 1_500 });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(second.connected).toBe(false);
    expect(runnerB.held()).toEqual([]);

    // Instance A loses Redis (as a crashed or partitioned process would): it must drop its
    // connection once its lease can no longer be renewed, and B must pick the channel up.
    redisA.disconnect();
    await eventually(async () => (!first.connected ? true : undefined), 5_000, 'A disconnects');
    await eventually(async () => (second.connected ? true : undefined), 5_000, 'B takes over');
    expect(first.connected && second.connected).toBe(false);

    await Promise.all([runnerA.stop(), runnerB.stop()]);
    expect(second.connected).toBe(false);
  });

  it('a graceful stop releases the lease at once', async () => {
    const prefix = `lease${randomBytes(4).toString('hex')}`;
    const channel = new ConnectorChannel();
    const redis = client();
    const runner = runConnectors([channel], { redis, prefix, sink, logger, status: redisChannelStatus(redis, prefix), ttlMs: 30_000 });
    await eventually(async () => (channel.connected ? true : undefined));
    await runner.stop();
    expect(await redis.get(`${prefix}:lease:socket`)).toBeNull();
  });
});
