/**
 * The system under test: the built gateway (`node dist/src/main.js`) as its own process, so its
 * memory and CPU are its own and it shares no event loop with the load. Plus the clean Postgres
 * database and Redis prefix each run gets.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, readFileSync, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { projectRoot } from '../../src/runtime/paths.js';
import { clock } from './traffic.js';

export interface Engines {
  readonly database: 'postgres' | 'pglite';
  /** The fresh database of this run (Postgres), or undefined for the embedded PGlite. */
  readonly databaseUrl: string | undefined;
  /** The Redis given in REDIS_URL, or undefined: the gateway starts its own redis-server. */
  readonly redisUrl: string | undefined;
  /** Unique per run; every Redis key of the run starts with it. */
  readonly redisPrefix: string;
  release(): Promise<void>;
}

/**
 * The gateway takes no schema setting, so a run on a given Postgres gets a database of its own
 * (`bench_<time>_<random>`, dropped afterwards): its row counts are exactly this run's. This needs
 * the CREATEDB privilege on the server of DATABASE_URL.
 */
export async function provisionEngines(env: { databaseUrl: string | undefined; redisUrl: string | undefined }, runId: string): Promise<Engines> {
  const redisPrefix = `bench${runId}`;
  let databaseUrl: string | undefined;
  let dropDatabase: (() => Promise<void>) | undefined;
  if (env.databaseUrl) {
    const name = `bench_${runId}`;
    const admin = new pg.Client({ connectionString: env.databaseUrl });
    await admin.connect();
    try {
      await admin.query(`create database ${name}`);
    } catch (error) {
      throw new Error(`could not create the benchmark database ${name} on DATABASE_URL (needs CREATEDB): ${(error as Error).message}`);
    } finally {
      await admin.end();
    }
    const url = new URL(env.databaseUrl);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDatabase = async () => {
      const client = new pg.Client({ connectionString: env.databaseUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    };
  }
  return {
    database: databaseUrl ? 'postgres' : 'pglite',
    databaseUrl,
    redisUrl: env.redisUrl,
    redisPrefix,
    async release() {
      if (env.redisUrl) await deleteKeys(env.redisUrl, redisPrefix);
      await dropDatabase?.();
    },
  };
}

/** Removes every key under `<prefix>*` (all the run's queues, pub/sub has no keys). */
export async function deleteKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface GatewaySettings {
  readonly dataDir: string;
  readonly channelsFile: string;
  readonly engines: Engines;
  readonly redisPrefix: string;
  readonly role: 'all' | 'api';
  readonly admin: { email: string; password: string };
  /** Passed through from the bench's environment when set (WORKER_CONCURRENCY, LOG_LEVEL). */
  readonly extraEnv: Record<string, string>;
  /** Where the gateway's stdout and stderr go. */
  readonly logFile: string;
  /** Write a V8 CPU profile of the gateway into this directory when it stops (`--profile`). */
  readonly profileDir?: string;
}

/** `node dist/src/main.js` with the bench's environment; nothing else of the caller's env leaks in. */
export class GatewayChild {
  private child: ChildProcess | undefined;
  private log: WriteStream | undefined;
  private exited: Promise<number | null> | undefined;
  private stderrTail = '';
  /** From spawn to the first healthy /healthz answer, ms. */
  startMs = 0;

  private constructor(
    readonly url: string,
    private readonly settings: GatewaySettings,
    private readonly port: number,
  ) {}

  static async start(settings: GatewaySettings): Promise<GatewayChild> {
    const port = await freePort();
    const gateway = new GatewayChild(`http://127.0.0.1:${port}`, settings, port);
    await gateway.launch();
    return gateway;
  }

  get pid(): number {
    return this.child?.pid ?? 0;
  }

  /** The embedded redis-server the gateway started in its DATA_DIR (no REDIS_URL), if any. */
  embeddedRedisPid(): number | undefined {
    const file = join(this.settings.dataDir, 'redis', 'redis.pid');
    if (!existsSync(file)) return undefined;
    const pid = Number(readFileSync(file, 'utf8').trim());
    return pid > 0 ? pid : undefined;
  }

  private async launch(): Promise<void> {
    const { settings } = this;
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: String(this.port),
      HOST: '127.0.0.1',
      DATA_DIR: settings.dataDir,
      CHANNELS_FILE: settings.channelsFile,
      ADMIN_EMAIL: settings.admin.email,
      ADMIN_PASSWORD: settings.admin.password,
      REDIS_PREFIX: settings.redisPrefix,
      ROLE: settings.role,
      LOG_LEVEL: 'warn',
      ...(settings.engines.databaseUrl ? { DATABASE_URL: settings.engines.databaseUrl } : {}),
      ...(settings.engines.redisUrl ? { REDIS_URL: settings.engines.redisUrl } : {}),
      ...settings.extraEnv,
    };
    this.log = createWriteStream(settings.logFile, { flags: 'a' });
    this.log.write(`\n--- ${new Date().toISOString()} ROLE=${settings.role} ---\n`);
    const started = clock();
    const profile = settings.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${settings.profileDir}`] : [];
    const child = spawn(process.execPath, [...profile, join(projectRoot, 'dist', 'src', 'main.js')], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    child.stdout!.pipe(this.log, { end: false });
    child.stderr!.on('data', (chunk: Buffer) => {
      this.log?.write(chunk);
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-4000);
    });
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the gateway exited with ${child.exitCode} while starting: ${this.stderrTail}`);
      try {
        if ((await fetch(`${this.url}/healthz`)).ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`the gateway was not healthy within 120 s: ${this.stderrTail}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    this.startMs = clock() - started;
  }

  /** Throws if the gateway died (a crash under load is the first thing to report). */
  assertRunning(): void {
    if (this.child && this.child.exitCode !== null) throw new Error(`the gateway exited with ${this.child.exitCode}: ${this.stderrTail}`);
  }

  /** SIGTERM: the gateway drains its workers and stops its embedded redis-server itself. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timeout = setTimeout(() => child.kill('SIGKILL'), 40_000);
      await this.exited;
      clearTimeout(timeout);
    }
    await new Promise<void>((resolve) => (this.log ? this.log.end(resolve) : resolve()));
  }
}

export const newRunId = (): string => `${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}_${randomBytes(3).toString('hex')}`;
