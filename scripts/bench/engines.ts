/**
 * Ceilings of the engines the gateway is built on, measured in this process before the gateway
 * starts, with the gateway's own code and settings: BullMQ with a worker that does nothing, and the
 * database write the inbound worker does for one message. The gateway cannot go faster than these;
 * the report sets its rates against them.
 */
import { type DeskFilterCost, measureDeskFilters } from './desk.js';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Queue, Worker } from 'bullmq';
import { sql } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import { Telegram } from 'telegraf';
import { parseUpdate } from '../../adapters/telegram/inbound.js';
import { InboundMessage } from '../../src/domain/message.js';
import { INBOUND_QUEUE, type InboundJob, inboundJobId } from '../../src/queue/jobs.js';
import { inboundJobOptions } from '../../src/queue/queues.js';
import { startEmbeddedRedis } from '../../src/runtime/embedded-redis.js';
import { connectRedis } from '../../src/runtime/redis.js';
import { type Db, openDatabase, SCHEMA_CHANGE_LOCK } from '../../src/store/database.js';
import { type IngestContext, ingestInbound } from '../../src/store/ingest.js';
import { ingestBatch } from '../../src/store/ingest-batch.js';
import { FakeBotApi } from '../../test/fakes/telegram/bot-api.js';
import { deleteKeys, type Engines } from './gateway.js';
import { clock, replyText, TelegramTraffic } from './traffic.js';
import { summarize, type Summary } from './report.js';

/**
 * The database writes to measure. First, what the inbound worker does (src/queue/workers.ts,
 * src/inbox/ingest-message.ts): up to 4 transactions in flight, each `ingestBatch` of up to
 * ⌈WORKER_CONCURRENCY / 4⌉ messages (group commit). Second, for reference, one `ingestInbound`
 * per message from 10 concurrent callers (the per-message path edits and events still take).
 * The first is the ceiling the gateway's rates are set against.
 */
function storeWrites(workerConcurrency: number): StoreWrite[] {
  return [
    {
      name: 'ingestBatch',
      callers: 4,
      batchSize: Math.max(1, Math.ceil(workerConcurrency / 4)),
      write: (db, messages, context) => ingestBatch(db, messages.map((message) => ({ message, context }))),
    },
    {
      name: 'ingestInbound',
      callers: 10,
      batchSize: 1,
      write: async (db, messages, context) => {
        for (const message of messages) await ingestInbound(db, message, context);
      },
    },
  ];
}

interface StoreWrite {
  readonly name: string;
  readonly callers: number;
  readonly batchSize: number;
  write(db: Db, messages: InboundMessage[], context: IngestContext): Promise<unknown>;
}

/** What the inbound worker passes for a Telegram channel (src/inbox/ingest-message.ts). */
const TELEGRAM_CONTEXT: IngestContext = { channelKind: 'telegram', replyWindowHours: null };

export interface QueueCeiling {
  /** `add`: one `queue.add` per message from concurrent producers, as the webhook sink does; `addBulk`: chunks of 100. */
  readonly mode: 'add' | 'addBulk';
  readonly jobs: number;
  readonly producers: number;
  readonly workerConcurrency: number;
  /** Jobs added per second (producers alone). */
  readonly addedPerSec: number;
  /** Jobs through the no-op worker per second, from the first add to the last completion. */
  readonly processedPerSec: number;
}

export interface WriteCeiling {
  /** The store function measured. */
  readonly function: string;
  readonly database: 'postgres' | 'pglite';
  readonly messages: number;
  readonly callers: number;
  readonly batchSize: number;
  /** Messages committed per second. */
  readonly perSec: number;
  /** Duration of one write call (one batch), ms. */
  readonly callMs: Summary;
  /** Conversations the messages opened (the rest landed in existing ones). */
  readonly conversationsOpened: number;
}

/** The platform side of a reply: telegraf's `sendMessage` against the fake Bot API, nothing else. */
export interface BotApiCeiling {
  readonly sends: number;
  /** The gateway's outbound concurrency per channel (src/main.ts: min(32, WORKER_CONCURRENCY)). */
  readonly concurrency: number;
  readonly sendsPerSec: number;
  readonly callMs: Summary;
}

export interface EngineResults {
  readonly redis: { readonly kind: 'embedded' | 'external'; readonly version: string; readonly appendonly: string; readonly appendfsync: string };
  readonly database: Record<string, string>;
  readonly queue: QueueCeiling[];
  /** [0] is how the inbound worker writes (the ceiling); the rest are for reference. */
  readonly write: WriteCeiling[];
  readonly botApi: BotApiCeiling;
  /** The desk's inbound filters (wallet safety) on their own: their share of the ingest path. */
  readonly desk: DeskFilterCost;
}

export interface EngineOptions {
  readonly engines: Engines;
  readonly scratchDir: string;
  readonly jobs: number;
  readonly writes: number;
  readonly producers: number;
  readonly workerConcurrency: number;
  readonly customers: number;
  readonly seed: number;
  readonly log: (line: string) => void;
}

/** Realistic messages: Telegram updates as the load sends them, through the adapter's own parser. */
function messages(count: number, options: EngineOptions): InboundMessage[] {
  // Other chat ids than the load's, so the ceiling and the gateway never share a conversation.
  const traffic = new TelegramTraffic({ customers: options.customers, seed: options.seed + 1, firstCustomerId: 6_100_000_000 });
  const now = Date.now();
  return Array.from({ length: count }, (_, seq) => {
    const input = parseUpdate(traffic.update(seq, now), { channelId: 'tg', groups: 'mentions' });
    if (!input) throw new Error('the Telegram parser refused a benchmark update');
    return InboundMessage.parse(input);
  });
}

export async function measureEngines(options: EngineOptions): Promise<EngineResults> {
  const { engines } = options;
  let redisUrl = engines.redisUrl;
  let stopRedis: (() => Promise<void>) | undefined;
  if (!redisUrl) {
    // The same private redis-server (settings and all) the gateway starts for itself.
    const embedded = await startEmbeddedRedis(join(options.scratchDir, 'engines-redis'), pino({ level: 'silent' }));
    redisUrl = embedded.url;
    stopRedis = () => embedded.stop();
  }
  try {
    const redis = await describeRedis(redisUrl, engines.redisUrl ? 'external' : 'embedded');
    const queue: QueueCeiling[] = [];
    const sample = messages(options.jobs, options);
    for (const mode of ['add', 'addBulk'] as const) {
      const prefix = `${engines.redisPrefix}e${queue.length}`;
      try {
        queue.push(await measureQueue(redisUrl, prefix, mode, sample, options));
      } finally {
        await deleteKeys(redisUrl, prefix);
      }
      const last = queue.at(-1)!;
      options.log(`  BullMQ ${mode}: ${Math.round(last.addedPerSec)} added/s, ${Math.round(last.processedPerSec)} through a no-op worker/s`);
    }
    const write: WriteCeiling[] = [];
    for (const mode of storeWrites(options.workerConcurrency)) {
      const result = await measureWrites(options, mode);
      write.push(result);
      options.log(`  ${result.database} ${result.function} (${result.callers} callers × ${result.batchSize} messages): ${Math.round(result.perSec)} messages/s, p99 ${result.callMs.p99.toFixed(1)} ms per call`);
    }
    const botApi = await measureBotApi(Math.max(100, Math.round(options.jobs / 5)), Math.min(32, options.workerConcurrency));
    options.log(`  telegraf sendMessage → fake Bot API (${botApi.concurrency} concurrent): ${Math.round(botApi.sendsPerSec)} sends/s`);
    const desk = measureDeskFilters();
    options.log(`  desk inbound filters (wallet safety): ${desk.ordinaryUsPerMessage.toFixed(1)} µs per ordinary message, ${desk.secretUsPerMessage.toFixed(1)} µs per message with a secret`);
    return { redis, database: await describeDatabase(options), queue, write, botApi, desk };
  } finally {
    await stopRedis?.();
  }
}

async function describeRedis(url: string, kind: 'embedded' | 'external'): Promise<EngineResults['redis']> {
  const redis = connectRedis(url);
  try {
    await redis.ready();
    const info = await redis.command.info('server');
    const version = /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
    // CONFIG may be disabled on managed services; the settings are then unknown, not an error.
    const setting = async (name: string): Promise<string> => {
      try {
        const reply = (await redis.command.config('GET', name)) as string[];
        return reply[1] ?? 'unknown';
      } catch {
        return 'unknown';
      }
    };
    return { kind, version, appendonly: await setting('appendonly'), appendfsync: await setting('appendfsync') };
  } finally {
    await redis.close();
  }
}

async function describeDatabase(options: EngineOptions): Promise<Record<string, string>> {
  const url = options.engines.databaseUrl;
  if (!url) return { kind: 'pglite' };
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result: Record<string, string> = { kind: 'postgres' };
    for (const name of ['server_version', 'synchronous_commit', 'fsync', 'shared_buffers', 'max_connections']) {
      result[name] = String((await client.query(`show ${name}`)).rows[0]?.[name] ?? 'unknown');
    }
    return result;
  } finally {
    await client.end();
  }
}

/** Same queue name, job options, job ids, payloads and worker connection as the gateway; the processor does nothing. */
async function measureQueue(redisUrl: string, prefix: string, mode: 'add' | 'addBulk', sample: InboundMessage[], options: EngineOptions): Promise<QueueCeiling> {
  const redis = connectRedis(redisUrl);
  await redis.ready();
  const queue = new Queue<InboundJob>(INBOUND_QUEUE, { connection: redis.command, prefix, defaultJobOptions: inboundJobOptions });
  queue.on('error', () => undefined);
  let completed = 0;
  let allDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (allDone = resolve));
  const worker = new Worker<InboundJob>(INBOUND_QUEUE, async () => undefined, {
    connection: redis.workerOptions,
    prefix,
    concurrency: options.workerConcurrency,
    lockDuration: 10_000,
    stalledInterval: 5_000,
  });
  worker.on('completed', () => {
    completed += 1;
    if (completed === sample.length) allDone();
  });
  worker.on('error', () => undefined);
  try {
    await worker.waitUntilReady();
    const start = clock();
    if (mode === 'add') {
      let next = 0;
      const producer = async (): Promise<void> => {
        while (next < sample.length) {
          const message = sample[next]!;
          next += 1;
          await queue.add('message', { message, acceptedAt: Date.now() }, { jobId: inboundJobId(message.channelId, message.externalId) });
        }
      };
      await Promise.all(Array.from({ length: options.producers }, producer));
    } else {
      for (let from = 0; from < sample.length; from += 100) {
        const chunk = sample.slice(from, from + 100);
        await queue.addBulk(chunk.map((message) => ({ name: 'message', data: { message, acceptedAt: Date.now() }, opts: { jobId: inboundJobId(message.channelId, message.externalId) } })));
      }
    }
    const added = clock();
    await withTimeout(done, 300_000, `BullMQ ${mode}: ${completed} of ${sample.length} jobs completed`);
    const finished = clock();
    return {
      mode,
      jobs: sample.length,
      producers: mode === 'add' ? options.producers : 1,
      workerConcurrency: options.workerConcurrency,
      addedPerSec: sample.length / ((added - start) / 1000),
      processedPerSec: sample.length / ((finished - start) / 1000),
    };
  } finally {
    await worker.close();
    await queue.close();
    await redis.close();
  }
}

/**
 * One way of writing, from its number of concurrent callers (as the worker's transactions in
 * flight), on a schema (Postgres) or a data directory (PGlite) of its own, after a short warm-up.
 */
async function measureWrites(options: EngineOptions, mode: StoreWrite): Promise<WriteCeiling> {
  const url = options.engines.databaseUrl;
  const schema = 'bench_engines';
  const dataDir = join(options.scratchDir, 'engines-db');
  const handle = await openDatabase({
    url,
    dataDir,
    ...(url ? { schema } : {}),
    // The gateway's pool size (src/main.ts).
    poolSize: Math.max(10, Math.min(50, options.workerConcurrency + 5)),
  });
  try {
    const warmup = Math.min(mode.callers * mode.batchSize * 2, Math.ceil(options.writes / 5));
    const all = messages(warmup + options.writes, { ...options, seed: options.seed + 2 });
    await runWriters(handle.db, all.slice(0, warmup), mode);
    const before = await countConversations(handle.db);
    const start = clock();
    const callMs = await runWriters(handle.db, all.slice(warmup), mode);
    const seconds = (clock() - start) / 1000;
    const opened = (await countConversations(handle.db)) - before;
    return {
      function: mode.name,
      database: handle.kind,
      messages: options.writes,
      callers: mode.callers,
      batchSize: mode.batchSize,
      perSec: options.writes / seconds,
      callMs: summarize(callMs),
      conversationsOpened: opened,
    };
  } finally {
    await handle.close();
    if (url) await dropSchema(url, schema);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function runWriters(db: Db, batch: InboundMessage[], mode: StoreWrite): Promise<number[]> {
  const durations: number[] = [];
  let next = 0;
  const writer = async (): Promise<void> => {
    while (next < batch.length) {
      const chunk = batch.slice(next, next + mode.batchSize);
      next += chunk.length;
      const start = clock();
      await mode.write(db, chunk, TELEGRAM_CONTEXT);
      durations.push(clock() - start);
    }
  };
  await Promise.all(Array.from({ length: mode.callers }, writer));
  return durations;
}

/**
 * What the outbound path could reach if the gateway added nothing: the Telegram client the adapter
 * uses, at the outbound worker's concurrency, against a fake Bot API of its own.
 */
async function measureBotApi(sends: number, concurrency: number): Promise<BotApiCeiling> {
  const fake = await FakeBotApi.start();
  try {
    const api = new Telegram(fake.token, { apiRoot: `${fake.url}/`, webhookReply: false });
    await api.getMe();
    const durations: number[] = [];
    let next = 0;
    const start = clock();
    const sender = async (): Promise<void> => {
      while (next < sends) {
        const index = next;
        next += 1;
        const at = clock();
        await api.sendMessage(String(6_100_000_000 + (index % 1000)), replyText(index));
        durations.push(clock() - at);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, sender));
    return { sends, concurrency, sendsPerSec: sends / ((clock() - start) / 1000), callMs: summarize(durations) };
  } finally {
    await fake.stop();
  }
}

async function countConversations(db: Db): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from conversations`.execute(db);
  return rows[0]?.n ?? 0;
}

/** Under the migrations' advisory lock: a migrator elsewhere may be introspecting every schema. */
async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [SCHEMA_CHANGE_LOCK]);
    await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
