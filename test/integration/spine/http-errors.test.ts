import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptedChannel } from '../../fakes/scripted-channel.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';
import { PrivateRedis } from '../../support/redis-server.js';
import { Visitor } from '../../support/visitor.js';

describe('bad input gets a clear error, and an unreachable Redis a 503', () => {
  let gateway: TestGateway;
  let redis: PrivateRedis;
  let redisDir: string;
  let token: string;

  beforeAll(async () => {
    redisDir = mkdtempSync(join(tmpdir(), 'switchboard-redis-'));
    redis = await PrivateRedis.start(redisDir);
    gateway = await startTestGateway({ env: { REDIS_URL: redis.url }, extraAdapters: [new ScriptedChannel()] });
    token = await loginAdmin(gateway.url);
  });
  afterAll(async () => {
    await gateway?.dispose();
    await redis?.kill();
    rmSync(redisDir, { recursive: true, force: true });
  });

  it('malformed JSON is a 400 that says so', async () => {
    const visitor = await Visitor.create(gateway.url);
    for (const [path, auth] of [
      ['/widget/web/messages', visitor.token],
      ['/api/auth/login', undefined],
      ['/api/conversations/x/messages', token],
    ] as const) {
      const r = await request(gateway.url, 'POST', path, { ...(auth ? { token: auth } : {}), raw: '{"text": "unterminated', headers: { 'content-type': 'application/json' } });
      expect(r.status, path).toBe(400);
      expect(r.body.error.code).toBe('malformed_json');
      expect(r.body.error.message).toMatch(/^malformed JSON/);
    }
  });

  it('a well-formed body with a wrong field is a 400 naming the field', async () => {
    const visitor = await Visitor.create(gateway.url);
    const r = await request(gateway.url, 'POST', '/widget/web/messages', { token: visitor.token, body: { clientMessageId: 'has:colon', text: 'x' } });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/^clientMessageId: /);
    const login = await request(gateway.url, 'POST', '/api/auth/login', { body: { email: 'a@b.c' } });
    expect(login.status).toBe(400);
    expect(login.body.error.message).toMatch(/^password: /);
  });

  it('bodies over the limit are refused with 413', async () => {
    const visitor = await Visitor.create(gateway.url);
    const big = { clientMessageId: 'abcdefgh12', text: 'x'.repeat(100 * 1024) };
    expect((await request(gateway.url, 'POST', '/widget/web/messages', { token: visitor.token, body: big })).status).toBe(413);
    const webhook = await request(gateway.url, 'POST', '/webhooks/scripted', { headers: { 'x-secret': 'scripted-secret', 'content-type': 'application/json' }, raw: Buffer.alloc(2 * 1024 * 1024, 32) });
    expect(webhook.status).toBe(413);
    const upload = await request(gateway.url, 'POST', '/widget/web/attachments', { token: visitor.token, headers: { 'content-type': 'image/png' }, raw: Buffer.alloc(11 * 1024 * 1024) });
    expect(upload.status).toBe(413);
  });

  it('unknown channels are 404 on webhooks and widget routes; unknown API routes too', async () => {
    expect((await request(gateway.url, 'POST', '/webhooks/nope', { body: {} })).status).toBe(404);
    expect((await request(gateway.url, 'POST', '/widget/nope/session', { body: {} })).status).toBe(404);
    // A channel that exists but takes no webhooks is no webhook target either.
    expect((await request(gateway.url, 'POST', '/webhooks/web', { body: {} })).status).toBe(404);
    const r = await request(gateway.url, 'GET', '/api/nothing-here', { token });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('not_found');
  });

  it('a forged webhook is refused and stores nothing', async () => {
    const r = await request(gateway.url, 'POST', '/webhooks/scripted', { headers: { 'x-secret': 'guess' }, body: { id: 'forged-1', from: 'f', text: 'forged' } });
    expect(r.status).toBe(401);
    const rows = await gateway.deps.db.selectFrom('messages').select('id').where('external_id', '=', 'forged-1').execute();
    expect(rows).toHaveLength(0);
  });

  it('with Redis down the widget and webhooks answer 503 (not 2xx), and the server serves again once it is back', async () => {
    const visitor = await Visitor.create(gateway.url);
    await redis.kill();
    const down = await visitor.send('sent while redis is down');
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('5');
    const hook = await request(gateway.url, 'POST', '/webhooks/scripted', { headers: { 'x-secret': 'scripted-secret' }, body: { id: 'during-outage', from: 'c9', text: 'x' } });
    expect(hook.status).toBe(503);
    expect((await request(gateway.url, 'GET', '/healthz')).status).toBe(200);
    const ready = await request(gateway.url, 'GET', '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.checks.redis.ok).toBe(false);
    expect((await request(gateway.url, 'GET', '/api/me', { token })).status).toBe(200);

    await redis.start();
    const clientMessageId = Visitor.newClientId();
    const accepted = await eventually(async () => {
      const r = await visitor.send('sent after redis is back', clientMessageId);
      return r.status === 202 ? r : undefined;
    }, 15_000, 'widget accepting again');
    expect(accepted.status).toBe(202);
    const items = await eventually(async () => {
      const h = await visitor.history();
      return h.body.items.length > 0 ? h.body.items : undefined;
    }, 15_000, 'message stored after the outage');
    expect(items.map((m: { text: string }) => m.text)).toEqual(['sent after redis is back']);
  });
});
