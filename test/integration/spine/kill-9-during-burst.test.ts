import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../../support/env.js';
import { dropTestState } from '../../support/gateway.js';
import { eventually } from '../../support/http.js';
import { GatewayProcess } from '../../support/process.js';
import { freePort } from '../../support/redis-server.js';
import { Visitor } from '../../support/visitor.js';

describe('kill -9 of the gateway while it ingests an acknowledged burst', () => {
  const database = `sb_kill_${randomBytes(4).toString('hex')}`;
  const prefix = `k${randomBytes(4).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-kill-'));
  let gateway: GatewayProcess;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`create database ${database}`);
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `/${database}`;
    gateway = new GatewayProcess({
      PORT: String(await freePort()),
      DATABASE_URL: url.toString(),
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      DATA_DIR: dataDir,
      ADMIN_PASSWORD: 'kill-test-password',
      LOG_LEVEL: 'warn',
      WORKER_CONCURRENCY: '4',
    });
    await gateway.start();
  });

  afterAll(async () => {
    await gateway?.kill();
    await dropTestState('public_unused', prefix).catch(() => undefined);
    await admin.query(`drop database if exists ${database} with (force)`).catch(() => undefined);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('every message acknowledged before the kill is stored exactly once after a restart', async () => {
    const visitors = await Promise.all(Array.from({ length: 10 }, () => Visitor.create(gateway.url)));
    const acked = new Map<string, string>();
    let killed = false;
    let sent = 0;
    const sender = async (visitor: Visitor): Promise<void> => {
      for (let i = 0; i < 100; i++) {
        const clientMessageId = Visitor.newClientId();
        sent += 1;
        try {
          const response = await visitor.send(`burst message ${i} from ${visitor.visitorId}`, clientMessageId);
          if (response.status === 202) acked.set(`${visitor.visitorId}-${clientMessageId}`, visitor.visitorId);
        } catch {
          return; // connection refused: the gateway is dead; nothing was acknowledged
        }
        if (sent === 300 && !killed) {
          killed = true;
          await gateway.kill();
        }
      }
    };
    await Promise.all(visitors.map(sender));
    expect(killed).toBe(true);
    expect(acked.size).toBeGreaterThanOrEqual(250);

    const db = new pg.Client({ connectionString: gateway.env.DATABASE_URL });
    await db.connect();
    const before = await db.query<{ n: number }>("select count(*)::int as n from messages where direction = 'inbound'");
    // The kill left acknowledged work in Redis only: the restart has something to recover.
    expect(before.rows[0]!.n).toBeLessThan(acked.size);
    await gateway.start();
    try {
      const stored = await eventually(
        async () => {
          const { rows } = await db.query<{ external_id: string }>("select external_id from messages where direction = 'inbound'");
          const ids = new Set(rows.map((r) => r.external_id));
          return [...acked.keys()].every((id) => ids.has(id)) ? rows : undefined;
        },
        60_000,
        'all acknowledged messages stored',
      );
      const counts = new Map<string, number>();
      for (const row of stored) counts.set(row.external_id, (counts.get(row.external_id) ?? 0) + 1);
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
      // One conversation per visitor, however the burst was interrupted.
      const { rows: conversations } = await db.query<{ thread_key: string }>('select thread_key from conversations');
      const threads = conversations.map((c) => c.thread_key).sort();
      expect(threads).toEqual([...new Set(acked.values())].sort());
    } finally {
      await db.end();
    }
  }, 180_000);
});
