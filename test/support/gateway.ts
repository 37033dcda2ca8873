import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import pino from 'pino';
import { loadConfig } from '../../config/index.js';
import type { ChannelAdapter } from '../../src/channels/contract.js';
import { type Gateway, startGateway } from '../../src/main.js';
import { SCHEMA_CHANGE_LOCK } from '../../src/store/database.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from './env.js';

export interface TestGateway extends Gateway {
  readonly url: string;
  readonly schema: string;
  readonly prefix: string;
  readonly dataDir: string;
  /** Stops the gateway and removes its schema, Redis keys and data directory. */
  dispose(): Promise<void>;
}

export const ADMIN = { email: 'admin@example.com', password: 'correct horse battery' };

export interface TestGatewayOptions {
  env?: Record<string, string>;
  extraAdapters?: readonly ChannelAdapter[];
  /** Channel entries written to a channels file for this gateway (default: one web chat "web"). */
  channels?: readonly Record<string, unknown>[];
  /** A role without HTTP (worker, connector): `url` is then ''. */
  httpOptional?: boolean;
  /**
   * The channels file's `desk:` section. Default: wallet safety's anti-impersonation footer off,
   * so channel tests see replies exactly as typed, and the acknowledgement (the response-time
   * promise) only where a channel sets its own `autoReply` text, so other tests see their
   * conversations as they made them, and satisfaction surveys off (a resolved conversation gets
   * no survey message); the desk's own tests pass what they test.
   */
  desk?: Record<string, unknown>;
  /** Where the gateway logs (default: silent, or TEST_LOG_LEVEL to stdout). */
  logger?: pino.Logger;
  /** Reuse a schema/prefix/data dir (to restart "the same" gateway). */
  reuse?: { schema: string; prefix: string; dataDir: string };
}

/** A real gateway on port 0 against the real Postgres (own schema) and Redis (own prefix). */
export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const suffix = randomBytes(5).toString('hex');
  const schema = options.reuse?.schema ?? `t_${suffix}`;
  const prefix = options.reuse?.prefix ?? `t${suffix}`;
  const dataDir = options.reuse?.dataDir ?? mkdtempSync(join(tmpdir(), 'switchboard-test-'));
  const channelsEnv: Record<string, string> = {};
  const channels = options.channels ?? [{ id: 'web', kind: 'webchat' }];
  const acknowledging = channels.some((c) => typeof c.autoReply === 'string');
  writeFileSync(join(dataDir, 'channels.json'), JSON.stringify({ channels, desk: options.desk ?? { safety: { footer: false }, autoAck: acknowledging, csat: { enabled: false } } }));
  channelsEnv.CHANNELS_FILE = 'channels.json';
  const config = loadConfig(
    {
      PORT: '0',
      DATABASE_URL: TEST_DATABASE_URL,
      REDIS_URL: TEST_REDIS_URL,
      DATA_DIR: dataDir,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      REDIS_PREFIX: prefix,
      LOG_LEVEL: 'silent',
      WORKER_CONCURRENCY: '8',
      ...channelsEnv,
      ...options.env,
    },
    { cwd: dataDir },
  );
  let gateway: Gateway;
  try {
    gateway = await startGateway(config, {
      logger: options.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      databaseSchema: schema,
      ...(options.extraAdapters ? { extraAdapters: options.extraAdapters } : {}),
    });
  } catch (error) {
    if (!options.reuse) await dropTestState(schema, prefix).catch(() => undefined);
    throw error;
  }
  if (!gateway.url && !options.httpOptional) throw new Error('test gateway has no HTTP server');
  return {
    ...gateway,
    url: gateway.url ?? '',
    schema,
    prefix,
    dataDir,
    async dispose() {
      await gateway.stop();
      await dropTestState(schema, prefix);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function dropTestState(schema: string, prefix: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  // Under the migrations' lock: another gateway's migrator may be introspecting every schema.
  await client.query('select pg_advisory_lock($1)', [SCHEMA_CHANGE_LOCK]);
  await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
  const redis = new Redis(TEST_REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
  redis.disconnect();
}
