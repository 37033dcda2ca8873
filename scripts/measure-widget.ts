/**
 * Measures the web chat path on this machine: gateway start time, resident memory at idle, and
 * messages per second from widget POST to committed in the database (read from /metrics).
 *
 *   npm run build && npx tsx scripts/measure-widget.ts [messages=5000] [concurrency=50]
 *
 * With DATABASE_URL / REDIS_URL set it measures against those; otherwise the embedded defaults.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const total = Number(process.argv[2] ?? 5000);
const concurrency = Number(process.argv[3] ?? 50);

const port = await new Promise<number>((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const address = server.address();
    server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
  });
});
const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-measure-'));
const base = `http://127.0.0.1:${port}`;
const channelsFile = join(dataDir, 'channels.json');
writeFileSync(channelsFile, JSON.stringify({ channels: [{ id: 'web', kind: 'webchat', limits: { messagesPerMinute: 100_000, sessionsPerTenMinutes: 100_000 } }] }));
const env = { ...process.env, CHANNELS_FILE: channelsFile, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn', ADMIN_PASSWORD: 'measure-password', REDIS_PREFIX: `m${randomBytes(3).toString('hex')}` };
const started = performance.now();
const child = spawn(process.execPath, ['dist/src/main.js'], { env, stdio: ['ignore', 'ignore', 'inherit'] });

const rssMb = (): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const processed = async (): Promise<number> => {
  const text = await (await fetch(`${base}/metrics`)).text();
  return [...text.matchAll(/^switchboard_messages_processed_total\{[^}]*\} (\d+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
};

try {
  for (;;) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  const startMs = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  const idleRss = rssMb();

  const visitors = await Promise.all(
    Array.from({ length: concurrency }, async () => {
      const response = await fetch(`${base}/widget/web/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      return ((await response.json()) as { token: string }).token;
    }),
  );
  let next = 0;
  let acked = 0;
  let peakRss = idleRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb())), 100);
  const t0 = performance.now();
  await Promise.all(
    visitors.map(async (token) => {
      while (next < total) {
        next += 1;
        const clientMessageId = randomBytes(12).toString('base64url');
        // The measurement's channels file raises the widget's per-visitor abuse limits.
        const response = await fetch(`${base}/widget/web/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ clientMessageId, text: `measurement message ${next}` }),
        });
        if (response.status === 202) acked += 1;
        else throw new Error(`unexpected ${response.status}`);
        await response.arrayBuffer();
      }
    }),
  );
  const ackSeconds = (performance.now() - t0) / 1000;
  while ((await processed()) < acked) await new Promise((resolve) => setTimeout(resolve, 50));
  const storeSeconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  console.log(
    JSON.stringify(
      {
        database: process.env.DATABASE_URL ? 'postgres' : 'pglite (embedded)',
        startMs: Math.round(startMs),
        idleRssMb: Math.round(idleRss),
        peakRssMb: Math.round(peakRss),
        acked,
        ackedPerSecond: Math.round(acked / ackSeconds),
        storedPerSecond: Math.round(acked / storeSeconds),
      },
      null,
      2,
    ),
  );
} finally {
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  rmSync(dataDir, { recursive: true, force: true });
}
