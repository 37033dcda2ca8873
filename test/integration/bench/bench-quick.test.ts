import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchReport } from '../../../scripts/bench/report.js';
import { projectRoot } from '../../../src/runtime/paths.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../../support/env.js';

/**
 * `npm run bench -- --quick` against the test Postgres and Redis (the gateway it measures is the
 * built `dist/`, which `npm test` builds first). Timings are not asserted — only that the harness
 * measured every phase and found nothing lost or doubled, and cleaned up after itself.
 */
describe('npm run bench --quick', () => {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('sends every phase through a real gateway and reports nothing lost, nothing duplicated', { timeout: 240_000 }, async () => {
    const out = join(dir, 'quick.json');
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'scripts', 'bench', 'index.ts'), '--quick', '--out', out], {
        cwd: projectRoot,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_URL: TEST_DATABASE_URL, REDIS_URL: TEST_REDIS_URL },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.on('exit', (exitCode) => resolve({ code: exitCode, output: text }));
    });
    expect(code, output.slice(-3000)).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8')) as BenchReport;
    expect(readFileSync(out.replace(/\.json$/, '.md'), 'utf8')).toContain('Nothing lost, nothing duplicated');
    expect(report.ok).toBe(true);
    expect(report.problems).toEqual([]);
    expect(report.database).toBe('postgres');

    expect(report.engines?.queue.map((q) => q.mode)).toEqual(['add', 'addBulk']);
    expect(report.engines?.write.map((w) => w.function)).toEqual(['ingestBatch', 'ingestInbound']);
    // Runs against Postgres and an external Redis, so the ack-only ceiling is measured.
    expect(report.ackOnly).not.toBeNull();
    expect(report.ackOnly!.acked).toBe(2_000);

    expect(report.phases.map((p) => p.name)).toEqual(['sustained 200/s', 'sustained 400/s', 'burst']);
    for (const phase of report.phases) {
      expect(phase.requests, phase.name).toBeGreaterThan(0);
      // Every update was acknowledged, announced once on the agent stream and stored once.
      expect(phase.acked, phase.name).toBe(phase.requests);
      expect(phase.e2eMs?.count, phase.name).toBe(phase.uniqueUpdates);
      expect(phase.lost, phase.name).toEqual({ count: 0, notStored: 0, storedButNotAnnounced: 0 });
      expect(phase.duplicated, phase.name).toEqual({ announcedTwice: 0, extraRows: 0 });
    }
    const burst = report.phases.find((p) => p.kind === 'burst')!;
    expect(burst.uniqueUpdates).toBe(2_000);
    expect(burst.duplicateDeliveries).toBe(100);

    const replies = report.outbound!;
    expect(replies.accepted).toBe(200);
    expect(replies.deliveredOnce).toBe(200);
    expect(replies.notDelivered + replies.deliveredMoreThanOnce + replies.failedEvents).toBe(0);
    expect(replies.databaseStatus).toEqual({ sent: 200 });

    // The run's database and Redis keys are gone.
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    const databases = await admin.query('select datname from pg_database where datname = $1', [`bench_${report.runId}`]);
    await admin.end();
    expect(databases.rowCount).toBe(0);
    const redis = new Redis(TEST_REDIS_URL);
    const left: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `bench${report.runId}*`, 'COUNT', 1000);
      cursor = next;
      left.push(...keys);
    } while (cursor !== '0');
    redis.disconnect();
    expect(left).toEqual([]);
  });
});
