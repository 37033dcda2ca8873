/**
 * Run as its own process by test/integration/desk/sla-timers-fault.test.ts: a worker on the
 * desk-timers queue, speaking BullMQ's protocol with the gateway's lock settings, that takes the
 * first timer due and holds it — the lock renewed, the work never done — until it is killed with
 * SIGKILL. What a worker process that dies mid-job leaves behind: an active job with a lock.
 *
 * argv: <redis prefix>
 */
import { Worker } from 'bullmq';
import { DESK_TIMER_QUEUE } from '../../src/queue/jobs.js';
import { connectRedis } from '../../src/runtime/redis.js';
import { TEST_REDIS_URL } from './env.js';

const [prefix] = process.argv.slice(2);
const redis = connectRedis(TEST_REDIS_URL);
await redis.ready();
const worker = new Worker(
  DESK_TIMER_QUEUE,
  async (job) => {
    process.stdout.write(`holding ${job.id}\n`);
    await new Promise(() => undefined);
  },
  { connection: redis.workerOptions, prefix: prefix!, concurrency: 1, lockDuration: 10_000, stalledInterval: 5_000 },
);
await worker.waitUntilReady();
process.stdout.write('ready\n');
