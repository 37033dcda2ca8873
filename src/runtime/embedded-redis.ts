import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';

export interface EmbeddedRedis {
  readonly url: string;
  stop(): Promise<void>;
}

export const NO_REDIS_MESSAGE =
  'Switchboard needs Redis for its queues, and none is available: REDIS_URL is not set and no ' +
  '`redis-server` was found on PATH to start one in DATA_DIR. Either install Redis (Debian/Ubuntu: ' +
  '`apt-get install redis-server`; macOS: `brew install redis`) and run `npm start` again — Switchboard ' +
  'then starts and stops its own private redis-server — or point REDIS_URL at an existing Redis 6.2+ ' +
  '(for example `REDIS_URL=redis://127.0.0.1:6379`; managed Redis-compatible services work too).';

/**
 * Starts a private `redis-server` on loopback with an append-only file in `<dataDir>/redis`, so
 * queued work survives restarts. If a previous run was killed and left its server running, that
 * server (same directory, same data) is reused instead of starting a second one on the same files.
 */
export async function startEmbeddedRedis(dataDir: string, logger: Logger): Promise<EmbeddedRedis> {
  const dir = join(dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const portFile = join(dir, 'port');
  if (existsSync(portFile)) {
    const port = Number(readFileSync(portFile, 'utf8').trim());
    if (port > 0 && (await answersPing(port))) {
      logger.info({ port }, 'reusing the embedded redis-server left running by a previous run');
      return { url: `redis://127.0.0.1:${port}`, stop: () => shutdown(port, undefined) };
    }
  }
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).error) throw new Error(NO_REDIS_MESSAGE);
  const port = await freePort();
  const child = spawn(
    'redis-server',
    [
      '--port', String(port),
      '--bind', '127.0.0.1',
      '--protected-mode', 'yes',
      '--dir', dir,
      '--appendonly', 'yes',
      '--appendfsync', 'everysec',
      '--save', '',
      '--pidfile', join(dir, 'redis.pid'),
      '--logfile', join(dir, 'redis.log'),
      // BullMQ needs keys never evicted (BullMQ "Going to production").
      '--maxmemory-policy', 'noeviction',
    ],
    { stdio: 'ignore', detached: false },
  );
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const deadline = Date.now() + 15_000;
  while (!(await answersPing(port))) {
    if (exited || Date.now() > deadline) throw new Error(`the embedded redis-server did not start; see ${join(dir, 'redis.log')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  writeFileSync(portFile, `${port}\n`);
  logger.info({ port, dir }, 'started embedded redis-server');
  return { url: `redis://127.0.0.1:${port}`, stop: () => shutdown(port, child) };
}

async function answersPing(port: number): Promise<boolean> {
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 500 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function shutdown(port: number, child: ChildProcess | undefined): Promise<void> {
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    // SHUTDOWN flushes the append-only file; the connection drops as the server exits.
    await client.call('SHUTDOWN').catch(() => undefined);
  } catch {
    child?.kill('SIGTERM');
  } finally {
    client.disconnect();
  }
  if (child && child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
}

/** A loopback TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
