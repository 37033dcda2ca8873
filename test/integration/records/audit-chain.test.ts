import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditEntryInput, listAudit, recordAudit, verifyAudit } from '../../../src/store/audit.js';
import { projectRoot } from '../../../src/runtime/paths.js';
import { type DatabaseHandle, openDatabase } from '../../../src/store/database.js';
import { TEST_DATABASE_URL } from '../../support/env.js';
import { dropTestState } from '../../support/gateway.js';

const entry = (n: number, details: Record<string, unknown> = { n }): AuditEntryInput => ({
  actor: { type: 'agent', id: `a${n % 3}`, name: `Agent ${n % 3}` },
  action: n % 2 ? 'agent.role' : 'contact.merge',
  target: { type: n % 2 ? 'agent' : 'contact', id: `t${n}` },
  details,
});

describe('audit log on Postgres: append-only, hash-chained, one chain under concurrency', () => {
  const schema = `t_audit_${randomBytes(4).toString('hex')}`;
  let handle: DatabaseHandle;
  /** A superuser session in the test schema: what tampering with the log would use. */
  let admin: pg.Client;
  beforeAll(async () => {
    handle = await openDatabase({ url: TEST_DATABASE_URL, dataDir: '/nonexistent', schema, poolSize: 4 });
    admin = new pg.Client({ connectionString: TEST_DATABASE_URL, options: `-c search_path=${schema}` });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await handle?.close();
    await dropTestState(schema, `audit${randomBytes(3).toString('hex')}`);
  });

  it('an empty log verifies; appended entries chain and verify, newest listed first', async () => {
    expect(await verifyAudit(handle.db)).toEqual({ ok: true, entries: 0 });
    for (let n = 1; n <= 5; n++) await recordAudit(handle.db, entry(n, { n, nested: { z: 1, a: [1, 'x', null] }, skipped: undefined }), new Date(Date.UTC(2025, 0, n)));
    const result = await verifyAudit(handle.db);
    expect(result).toMatchObject({ ok: true, entries: 5 });
    const page = await listAudit(handle.db, { limit: 2 });
    expect(page.items.map((e) => e.seq)).toEqual([5, 4]);
    expect(page.items[0]?.hash).toBe(result.head);
    expect(page.items[0]?.prevHash).toBe(page.items[1]?.hash);
    expect(page.items[1]?.details).toEqual({ n: 4, nested: { z: 1, a: [1, 'x', null] } });
    const next = await listAudit(handle.db, { limit: 2, before: page.nextCursor ?? 0 });
    expect(next.items.map((e) => e.seq)).toEqual([3, 2]);
    const last = await listAudit(handle.db, { limit: 2, before: next.nextCursor ?? 0 });
    expect(last).toMatchObject({ nextCursor: null });
    expect(last.items.map((e) => e.seq)).toEqual([1]);
  });

  it('UPDATE, DELETE and TRUNCATE are refused, even to the owner', async () => {
    await expect(sql`update audit_log set actor_name = 'someone else' where seq = 2`.execute(handle.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log where seq = 5`.execute(handle.db)).rejects.toThrow(/append-only/);
    await expect(admin.query('truncate audit_log')).rejects.toThrow(/append-only/);
    expect(await verifyAudit(handle.db)).toMatchObject({ ok: true, entries: 5 });
  });

  it('an entry in a rolled-back transaction leaves no trace and no gap', async () => {
    await expect(
      handle.db.transaction().execute(async (trx) => {
        await recordAudit(trx, entry(99));
        throw new Error('the change it records failed');
      }),
    ).rejects.toThrow(/failed/);
    await recordAudit(handle.db, entry(6), new Date(Date.UTC(2025, 0, 6)));
    const page = await listAudit(handle.db, { limit: 1 });
    expect(page.items[0]).toMatchObject({ seq: 6, target: { id: 't6' } });
    expect(await verifyAudit(handle.db)).toMatchObject({ ok: true, entries: 6 });
  });

  const tamper = async (statement: string) => {
    await admin.query('alter table audit_log disable trigger audit_log_append_only');
    try {
      await admin.query(statement);
    } finally {
      await admin.query('alter table audit_log enable trigger audit_log_append_only');
    }
  };

  it('altering any column of any entry is reported at that entry; restoring it verifies again', async () => {
    const columns: Record<string, string> = {
      at: `at = at + interval '1 second'`,
      actor_type: `actor_type = 'system'`,
      actor_id: `actor_id = 'intruder'`,
      actor_name: `actor_name = 'Intruder'`,
      action: `action = 'nothing.happened'`,
      target_type: `target_type = 'team'`,
      target_id: `target_id = 'elsewhere'`,
      details: `details = '{"n": 0}'::jsonb`,
      prev_hash: `prev_hash = repeat('1', 64)`,
      hash: `hash = repeat('2', 64)`,
    };
    for (const [seq, [column, change]] of Object.entries(columns).map((c, i) => [(i % 6) + 1, c] as const)) {
      const { rows } = await admin.query(`select ${column}::text as v from audit_log where seq = $1`, [seq]);
      await tamper(`update audit_log set ${change} where seq = ${seq}`);
      const result = await verifyAudit(handle.db);
      // A changed hash is noticed on its own entry (it no longer hashes to it).
      expect({ column, result }).toEqual({ column, result: { ok: false, entries: seq - 1, brokenAt: seq } });
      await tamper(`update audit_log set ${column} = '${String(rows[0].v)}'::${column === 'at' ? 'timestamptz' : column === 'details' ? 'jsonb' : 'text'} where seq = ${seq}`);
      expect(await verifyAudit(handle.db)).toMatchObject({ ok: true, entries: 6 });
    }
  });

  it('an altered entry re-hashed by the intruder is caught at the next entry; a removed one at its successor', async () => {
    const { rows } = await admin.query<{ seq: string; at: Date; prev_hash: string }>('select seq, at, prev_hash from audit_log where seq = 3');
    const row = rows[0];
    if (!row) throw new Error('entry 3 missing');
    const { entryHash } = await import('../../../src/store/audit.js');
    const forged = entryHash(row.prev_hash, { seq: 3, at: row.at.toISOString(), actor: { type: 'agent', id: 'a0', name: 'Agent 0' }, action: 'agent.role', target: { type: 'agent', id: 't3' }, details: { n: 3, forged: true } });
    await tamper(`update audit_log set details = '{"n": 3, "forged": true}'::jsonb, actor_id = 'a0', actor_name = 'Agent 0', hash = '${forged}' where seq = 3`);
    expect(await verifyAudit(handle.db)).toEqual({ ok: false, entries: 3, brokenAt: 4 });
    await tamper('delete from audit_log where seq = 5');
    expect(await verifyAudit(handle.db)).toMatchObject({ ok: false, brokenAt: 4 });
  });

  it('concurrent appends from several connections and processes keep a single chain', async () => {
    const fresh = `t_audit_c_${randomBytes(4).toString('hex')}`;
    // Opened one after another: creating the schema is not concurrent-safe in Postgres.
    const writers: DatabaseHandle[] = [];
    for (let i = 0; i < 3; i++) writers.push(await openDatabase({ url: TEST_DATABASE_URL, dataDir: '/nonexistent', schema: fresh, poolSize: 5 }));
    try {
      await Promise.all(
        writers.flatMap((w, i) =>
          Array.from({ length: 30 }, (_, k) =>
            k % 3 === 0
              ? w.db.transaction().execute(async (trx) => {
                  await sql`select 1`.execute(trx);
                  await recordAudit(trx, entry(i * 100 + k));
                })
              : recordAudit(w.db, entry(i * 100 + k)),
          ),
        ),
      );
      const result = await verifyAudit(writers[0]!.db);
      expect(result).toMatchObject({ ok: true, entries: 90 });
      const { rows } = await sql<{ n: string }>`select count(distinct prev_hash)::text as n from audit_log`.execute(writers[0]!.db);
      expect(rows[0]?.n).toBe('90');
    } finally {
      await Promise.all(writers.map((w) => w.close()));
      await dropTestState(fresh, `auditc${randomBytes(3).toString('hex')}`);
    }
  });
});

describe('audit log on embedded PGlite', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-audit-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('chains, verifies and refuses UPDATE and DELETE the same way (own process: test/support/audit-embedded-child.ts)', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(projectRoot, 'test/support/audit-embedded-child.ts'), dataDir], { cwd: projectRoot, timeout: 120_000 });
    const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
    expect(result).toEqual({
      before: { ok: true, entries: 3, head: expect.stringMatching(/^[0-9a-f]{64}$/) },
      update: 'refused',
      remove: 'refused',
      after: { ok: false, entries: 1, brokenAt: 2 },
    });
  }, 150_000);
});
