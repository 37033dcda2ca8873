import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../../support/env.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';
import { Visitor } from '../../support/visitor.js';

/** A valid 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const run = promisify(execFile);

interface Customer {
  visitor: Visitor;
  text: string;
  contactId: string;
  conversationId: string;
  attachmentId: string;
  storageKey: string;
}

/**
 * Retention, export and erasure through a real gateway (Postgres, Redis, the records worker):
 * two web chat channels, customers with messages and files on each; what each job removes is
 * checked in the database, on disk and in Redis — for that customer or channel and no other.
 */
describe('customer records: retention, export, erase, and the audit chain around them', () => {
  let gateway: TestGateway;
  let admin: string;
  let db: pg.Client;
  let redis: Redis;
  const customers = {} as Record<'alice' | 'bob' | 'carol', Customer>;

  const job = (id: string) => eventually(async () => {
    const r = await request(gateway.url, 'GET', `/api/jobs/${id}`, { token: admin });
    return r.body.status === 'done' || r.body.status === 'failed' ? r.body : undefined;
  }, 20_000);
  const verify = async () => (await request(gateway.url, 'GET', '/api/audit/verify', { token: admin })).body;
  const count = async (query: string, params: unknown[]) => Number((await db.query(query, params)).rows[0].n);

  beforeAll(async () => {
    gateway = await startTestGateway({
      channels: [
        { id: 'web', kind: 'webchat' },
        { id: 'help', kind: 'webchat' },
      ],
    });
    admin = await loginAdmin(gateway.url);
    db = new pg.Client({ connectionString: TEST_DATABASE_URL, options: `-c search_path=${gateway.schema},public` });
    await db.connect();
    redis = new Redis(TEST_REDIS_URL);
    for (const [key, name, channel] of [
      ['alice', 'Alice Wang', 'web'],
      ['bob', 'Bob Li', 'web'],
      ['carol', 'Carol Zhou', 'help'],
    ] as const) {
      const visitor = await Visitor.create(gateway.url, channel, { name });
      const upload = await request(gateway.url, 'POST', `/widget/${channel}/attachments`, { token: visitor.token, raw: PNG, headers: { 'content-type': 'image/png', 'x-filename': `${key}.png` } });
      expect(upload.status).toBe(201);
      const text = `${key} lost access to wallet ${Math.random().toString(36).slice(2, 8)}`;
      expect((await visitor.send(text, Visitor.newClientId(), [upload.body.id])).status).toBe(202);
      const row = await eventually(async () => (await db.query('select c.id, c.contact_id from conversations c join messages m on m.conversation_id = c.id where m.text = $1', [text])).rows[0]);
      const file = await eventually(async () => (await db.query('select id, storage_key from attachments where id = $1 and message_id is not null', [upload.body.id])).rows[0]);
      customers[key] = { visitor, text, contactId: row.contact_id, conversationId: row.id, attachmentId: file.id, storageKey: file.storage_key };
      expect(existsSync(join(gateway.dataDir, 'attachments', file.storage_key))).toBe(true);
    }
  });
  afterAll(async () => {
    await db?.end();
    redis?.disconnect();
    await gateway?.dispose();
  });

  it('agent and settings changes are audited and the chain verifies', async () => {
    const created = await request(gateway.url, 'POST', '/api/agents', { token: admin, body: { email: 'dee@example.com', name: 'Dee', password: 'dee-password-1' } });
    expect(created.status).toBe(201);
    expect((await request(gateway.url, 'PATCH', `/api/agents/${created.body.id}`, { token: admin, body: { active: false } })).status).toBe(200);
    const page = (await request(gateway.url, 'GET', '/api/audit?limit=10', { token: admin })).body;
    expect(page.items.map((e: any) => [e.action, e.target.id])).toEqual([
      ['agent.deactivate', created.body.id],
      ['agent.create', created.body.id],
    ]);
    expect(page.items[1]).toMatchObject({ actor: { type: 'agent', name: 'Admin' }, details: { role: 'agent' } });
    expect(await verify()).toMatchObject({ ok: true, entries: 2 });
    const agentToken = (await request(gateway.url, 'POST', '/api/auth/login', { body: { email: 'dee@example.com', password: 'dee-password-1' } })).body?.token;
    expect(agentToken).toBeUndefined();
    expect((await request(gateway.url, 'GET', '/api/audit?limit=0', { token: admin })).body.error.message).toMatch(/^limit/);
  });

  it('retention deletes old messages and their files on its channel only, keeps the conversation, and is audited once per run', async () => {
    // Everything 40 days old; retention 30 days on the "help" channel only.
    await db.query(`update messages set created_at = now() - interval '40 days'`);
    const put = await request(gateway.url, 'PUT', '/api/desk/settings/records', { token: admin, body: { retention: { help: '30d' } } });
    expect(put.status).toBe(200);
    expect((await request(gateway.url, 'PUT', '/api/desk/settings/records', { token: admin, body: { retention: { help: '30 days' } } })).body.error.message).toMatch(/retention/);
    // The edit is audited with the keys it changed, not their values; a refused edit is not.
    const edits = (await request(gateway.url, 'GET', '/api/audit?limit=5', { token: admin })).body.items.filter((e: any) => e.action === 'desk.settings');
    expect(edits).toEqual([expect.objectContaining({ target: { type: 'desk-feature', id: 'records' }, details: { keys: ['retention'] } })]);
    await gateway.deps.queues.records.add('retention', { kind: 'retention' });
    const entry = await eventually(async () => (await request(gateway.url, 'GET', '/api/audit?limit=1', { token: admin })).body.items.find((e: any) => e.action === 'retention.run'));
    expect(entry.details).toMatchObject({ policy: { help: '30d' }, channels: { help: { days: 30, messages: expect.any(Number), attachments: 1 } } });
    const carol = customers.carol;
    expect(await count('select count(*) as n from messages where channel_id = $1', ['help'])).toBe(0);
    expect(await count('select count(*) as n from attachments where id = $1', [carol.attachmentId])).toBe(0);
    expect(existsSync(join(gateway.dataDir, 'attachments', carol.storageKey))).toBe(false);
    const kept = (await db.query('select last_message_preview from conversations where id = $1', [carol.conversationId])).rows[0];
    expect(kept).toEqual({ last_message_preview: null });
    // The other channel is untouched.
    for (const key of ['alice', 'bob'] as const) {
      expect(await count('select count(*) as n from messages where text = $1', [customers[key].text])).toBe(1);
      expect(existsSync(join(gateway.dataDir, 'attachments', customers[key].storageKey))).toBe(true);
    }
    // Run again: nothing left to delete, still one entry for the run.
    await gateway.deps.queues.records.add('retention', { kind: 'retention' });
    const second = await eventually(async () => {
      const items = (await request(gateway.url, 'GET', '/api/audit?limit=2', { token: admin })).body.items;
      return items[0].action === 'retention.run' && items[0].seq !== entry.seq ? items[0] : undefined;
    });
    expect(second.details.channels).toEqual({ help: { days: 30, messages: 0, attachments: 0 } });
    expect(await verify()).toMatchObject({ ok: true });
  });

  it("an export's zip holds the customer, their conversation and messages, and the file; it downloads once", async () => {
    const alice = customers.alice;
    const started = await request(gateway.url, 'POST', `/api/contacts/${alice.contactId}/export`, { token: admin });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ kind: 'export', status: 'queued' });
    const done = await job(started.body.id);
    expect(done).toMatchObject({ status: 'done', progress: 100, download: { url: `/api/jobs/${started.body.id}/download` } });
    const response = await fetch(`${gateway.url}${done.download.url}`, { headers: { authorization: `Bearer ${admin}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-export-'));
    try {
      const zip = join(dir, 'export.zip');
      writeFileSync(zip, Buffer.from(await response.arrayBuffer()));
      const names = (await run('unzip', ['-Z1', zip])).stdout.trim().split('\n').sort();
      expect(names).toEqual([`attachments/${alice.attachmentId}/alice.png`, 'conversations.json', 'customer.json']);
      const customer = JSON.parse((await run('unzip', ['-p', zip, 'customer.json'])).stdout);
      expect(customer).toMatchObject({ id: alice.contactId, name: 'Alice Wang', identities: [{ channelId: 'web', externalId: alice.visitor.visitorId }] });
      const conversations = JSON.parse((await run('unzip', ['-p', zip, 'conversations.json'])).stdout);
      expect(conversations).toHaveLength(1);
      expect(conversations[0]).toMatchObject({ id: alice.conversationId, channelId: 'web' });
      expect(conversations[0].messages).toContainEqual(expect.objectContaining({ from: 'customer', text: alice.text, attachments: [expect.objectContaining({ id: alice.attachmentId, file: `attachments/${alice.attachmentId}/alice.png` })] }));
      expect(JSON.stringify(conversations)).not.toContain(customers.bob.text);
      const file = (await run('unzip', ['-p', zip, `attachments/${alice.attachmentId}/alice.png`], { encoding: 'buffer' })).stdout;
      expect(Buffer.compare(file, PNG)).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const again = await request(gateway.url, 'GET', done.download.url, { token: admin });
    expect(again.status).toBe(409);
    expect((await request(gateway.url, 'GET', `/api/jobs/${started.body.id}`, { token: admin })).body).not.toHaveProperty('download');
    const actions = (await request(gateway.url, 'GET', '/api/audit?limit=3', { token: admin })).body.items.map((e: any) => e.action);
    expect(actions.slice(0, 2)).toEqual(['customer.export.download', 'customer.export']);
  });

  it('erase removes every message, file, search entry and Redis key of that customer and nothing of another', async () => {
    const { alice, bob } = customers;
    expect(await verify()).toMatchObject({ ok: true });
    // What Redis holds about each: the widget's rate-limit counters, and a delayed job naming their conversation.
    const keysOf = async (visitorId: string) => (await redis.keys(`${gateway.prefix}:*`)).filter((k) => k.split(':').includes(visitorId));
    expect(await keysOf(alice.visitor.visitorId)).not.toEqual([]);
    expect(await keysOf(bob.visitor.visitorId)).not.toEqual([]);
    for (const c of [alice, bob]) await gateway.deps.queues.deskTimers.add('sla', { feature: 'sla', key: `due.${c.conversationId}`, data: { conversationId: c.conversationId } }, { delay: 3_600_000, jobId: `sla.${c.conversationId}` });
    const search = async (text: string) => (await request(gateway.url, 'GET', `/api/conversations?q=${encodeURIComponent(text)}`, { token: admin })).body.items.length;
    expect(await search(alice.text)).toBe(1);

    const refused = await request(gateway.url, 'POST', `/api/contacts/${alice.contactId}/erase`, { token: admin, body: { confirm: 'Bob Li' } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/^confirm/);
    expect((await request(gateway.url, 'POST', `/api/contacts/${alice.contactId}/erase`, { token: admin, body: {} })).status).toBe(400);
    const started = await request(gateway.url, 'POST', `/api/contacts/${alice.contactId}/erase`, { token: admin, body: { confirm: 'Alice Wang' } });
    expect(started.status).toBe(202);
    expect(await job(started.body.id)).toMatchObject({ status: 'done', progress: 100 });

    expect(await count('select count(*) as n from contacts where id = $1', [alice.contactId])).toBe(0);
    expect(await count('select count(*) as n from contact_identities where contact_id = $1 or external_id = $2', [alice.contactId, alice.visitor.visitorId])).toBe(0);
    expect(await count('select count(*) as n from conversations where contact_id = $1', [alice.contactId])).toBe(0);
    expect(await count('select count(*) as n from messages where conversation_id = $1', [alice.conversationId])).toBe(0);
    expect(await count('select count(*) as n from attachments where id = $1', [alice.attachmentId])).toBe(0);
    expect(await count('select count(*) as n from records_jobs where contact_id = $1', [alice.contactId])).toBe(0);
    expect(existsSync(join(gateway.dataDir, 'attachments', alice.storageKey))).toBe(false);
    expect(await search(alice.text)).toBe(0);
    expect(await keysOf(alice.visitor.visitorId)).toEqual([]);
    expect(await gateway.deps.queues.deskTimers.getJob(`sla.${alice.conversationId}`)).toBeUndefined();

    // Bob, on the same channel, keeps everything.
    expect(await count('select count(*) as n from messages where conversation_id = $1', [bob.conversationId])).toBeGreaterThan(0);
    expect(existsSync(join(gateway.dataDir, 'attachments', bob.storageKey))).toBe(true);
    expect(await search(bob.text)).toBe(1);
    expect(await keysOf(bob.visitor.visitorId)).not.toEqual([]);
    expect(await gateway.deps.queues.deskTimers.getJob(`sla.${bob.conversationId}`)).toBeDefined();

    // The audit entry keeps counts, no personal data.
    const entry = (await request(gateway.url, 'GET', '/api/audit?limit=1', { token: admin })).body.items[0];
    expect(entry).toMatchObject({ action: 'customer.erase', target: { type: 'contact', id: alice.contactId }, details: { conversations: 1, attachments: 1, identities: 1, redisJobs: 1 } });
    expect(entry.details.redisKeys).toBeGreaterThan(0);
    const log = await (await fetch(`${gateway.url}/api/audit/export`, { headers: { authorization: `Bearer ${admin}` } })).text();
    for (const personal of ['Alice Wang', alice.text, alice.visitor.visitorId]) expect(log).not.toContain(personal);
    // Every entry, oldest first, ending with the export's own entry.
    const lines = log.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((e) => e.seq)).toEqual(Array.from({ length: entry.seq + 1 }, (_, i) => i + 1));
    expect(lines.at(-1)).toMatchObject({ action: 'audit.export' });

    // The chain verifies after, and fails once any entry is altered.
    expect(await verify()).toMatchObject({ ok: true, entries: entry.seq + 1 });
    await db.query('alter table audit_log disable trigger audit_log_append_only');
    await db.query(`update audit_log set details = details || '{"conversations": 0}'::jsonb where action = 'customer.erase'`);
    await db.query('alter table audit_log enable trigger audit_log_append_only');
    expect(await verify()).toEqual({ ok: false, entries: entry.seq - 1, brokenAt: entry.seq });
    expect((await request(gateway.url, 'POST', `/api/contacts/${alice.contactId}/erase`, { token: admin, body: { confirm: 'Alice Wang' } })).status).toBe(404);
  });

  it('erasing a customer another contact was merged into erases that one too: the shell kept for an undo still held their name', async () => {
    const visitor = await Visitor.create(gateway.url, 'web', { name: 'Dan Xu' });
    const text = `dan asks about his card ${Math.random().toString(36).slice(2, 8)}`;
    expect((await visitor.send(text)).status).toBe(202);
    const dan = await eventually(async () => (await db.query('select c.contact_id from conversations c join messages m on m.conversation_id = c.id where m.text = $1', [text])).rows[0]?.contact_id as string | undefined);
    const merged = await request(gateway.url, 'POST', `/api/contacts/${customers.carol.contactId}/merge`, { token: admin, body: { otherContactId: dan, reason: 'same person, confirmed by phone' } });
    expect(merged.status, JSON.stringify(merged.body)).toBe(201);
    expect(await count('select count(*) as n from contacts where id = $1 and merged_into = $2', [dan, customers.carol.contactId])).toBe(1);

    const started = await request(gateway.url, 'POST', `/api/contacts/${customers.carol.contactId}/erase`, { token: admin, body: { confirm: 'Carol Zhou' } });
    expect(started.status).toBe(202);
    expect(await job(started.body.id)).toMatchObject({ status: 'done' });
    expect(await count('select count(*) as n from contacts where id = any($1)', [[dan, customers.carol.contactId]])).toBe(0);
    expect(await count(`select count(*) as n from contacts where name in ('Dan Xu', 'Carol Zhou')`, [])).toBe(0);
    expect(await count('select count(*) as n from contact_merges where kept_contact_id = $1 or merged_contact_id = $2', [customers.carol.contactId, dan])).toBe(0);
    expect(await count('select count(*) as n from messages where text = $1', [text])).toBe(0);
    // The previous test altered an entry on purpose: the chain still breaks there, nowhere later.
    expect(await verify()).toMatchObject({ ok: false, brokenAt: expect.any(Number) });
    const entry = (await request(gateway.url, 'GET', '/api/audit?limit=1', { token: admin })).body.items[0];
    expect(entry).toMatchObject({ action: 'customer.erase', target: { id: customers.carol.contactId }, details: { mergedShells: 1 } });
  });
});
