import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';
import { Visitor } from '../../support/visitor.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');

describe('who may read and write what', () => {
  let gateway: TestGateway;
  let admin: string;

  beforeAll(async () => {
    // two web chat channels, so a token of one can be tried on the other
    gateway = await startTestGateway({ channels: [{ id: 'web', kind: 'webchat' }, { id: 'web2', kind: 'webchat' }] });
    admin = await loginAdmin(gateway.url);
  });
  afterAll(async () => gateway?.dispose());

  it("visitor A's token cannot read or write visitor B's conversation", async () => {
    const a = await Visitor.create(gateway.url);
    const b = await Visitor.create(gateway.url);
    expect((await b.send('secret of B: my seed is in a safe')).status).toBe(202);
    expect((await a.send('hello from A')).status).toBe(202);
    await eventually(async () => ((await b.history()).body.items.length === 1 ? true : undefined));
    await eventually(async () => ((await a.history()).body.items.length === 1 ? true : undefined));
    expect((await a.history()).body.items.map((m: { text: string }) => m.text)).toEqual(['hello from A']);

    // B uploads a file; A cannot fetch it even knowing its id.
    const upload = await request(gateway.url, 'POST', '/widget/web/attachments', { token: b.token, raw: PNG, headers: { 'content-type': 'image/png', 'x-filename': 'b.png' } });
    expect(upload.status).toBe(201);
    expect((await request(gateway.url, 'GET', `/widget/web/attachments/${upload.body.id}`, { token: a.token })).status).toBe(404);
    expect((await request(gateway.url, 'GET', `/widget/web/attachments/${upload.body.id}`, { token: b.token })).status).toBe(200);
    // …nor attach it to A's own message: the upload is linked only for its uploader.
    const stolen = await a.send('look', undefined, [upload.body.id]);
    expect(stolen.status).toBe(202);
    const aConversation = await eventually(async () => {
      const r = await request(gateway.url, 'GET', '/api/conversations?q=look', { token: admin });
      return r.body.items[0];
    });
    const messages = await request(gateway.url, 'GET', `/api/conversations/${aConversation.id}/messages`, { token: admin });
    expect(messages.body.items.find((m: { text: string }) => m.text === 'look').attachments).toEqual([]);
  });

  it('a forged, tampered or missing visitor token is refused', async () => {
    const a = await Visitor.create(gateway.url);
    const [payload, signature] = a.token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = `${Buffer.from(JSON.stringify({ ...claims, v: 'anon-someone-else' })).toString('base64url')}.${signature}`;
    for (const token of [forged, `${payload}.AAAA`, 'not-a-token']) {
      const r = await request(gateway.url, 'GET', '/widget/web/messages', { token });
      expect(r.status).toBe(401);
    }
    expect((await request(gateway.url, 'POST', '/widget/web/messages', { body: { clientMessageId: 'abcdefgh1', text: 'x' } })).status).toBe(401);
    // A valid token of channel "web" is no key to channel "web2".
    expect((await request(gateway.url, 'GET', '/widget/web2/messages', { token: a.token })).status).toBe(401);
  });

  it('the agent API refuses a missing, wrong, malformed or revoked token', async () => {
    expect((await request(gateway.url, 'GET', '/api/conversations')).status).toBe(401);
    expect((await request(gateway.url, 'GET', '/api/conversations', { token: 'sb_wrong' })).status).toBe(401);
    expect((await request(gateway.url, 'GET', '/api/me', { headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } })).status).toBe(401);
    const visitor = await Visitor.create(gateway.url);
    expect((await request(gateway.url, 'GET', '/api/conversations', { token: visitor.token })).status).toBe(401);
    const session = await loginAdmin(gateway.url);
    expect((await request(gateway.url, 'POST', '/api/auth/logout', { token: session })).status).toBe(204);
    expect((await request(gateway.url, 'GET', '/api/me', { token: session })).status).toBe(401);
  });

  it('an expired session token is refused', async () => {
    const session = await loginAdmin(gateway.url);
    await gateway.deps.db.updateTable('api_tokens').set({ expires_at: new Date(Date.now() - 1000) }).where('kind', '=', 'session').execute();
    const r = await request(gateway.url, 'GET', '/api/me', { token: session });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('unauthorized');
  });

  it('an agent cannot do admin-only things', async () => {
    admin = await loginAdmin(gateway.url);
    const created = await request(gateway.url, 'POST', '/api/agents', { token: admin, body: { email: 'agent@example.com', name: 'Agent Smith', password: 'agent-password-1' } });
    expect(created.status).toBe(201);
    const login = await request(gateway.url, 'POST', '/api/auth/login', { body: { email: 'agent@example.com', password: 'agent-password-1' } });
    const agent = login.body.token as string;
    const attempt = await request(gateway.url, 'POST', '/api/agents', { token: agent, body: { email: 'evil@example.com', name: 'Evil', role: 'admin', password: 'evil-password' } });
    expect(attempt.status).toBe(403);
    expect(attempt.body.error).toEqual({ code: 'forbidden', message: 'only admins may do this' });
    expect((await request(gateway.url, 'PATCH', `/api/agents/${created.body.id}`, { token: agent, body: { active: false } })).status).toBe(403);
  });

  it('a cookie session needs the CSRF token for unsafe requests', async () => {
    const login = await fetch(`${gateway.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@example.com', password: 'correct horse battery' }) });
    const cookies = login.headers.getSetCookie().map((c) => c.split(';')[0]!);
    const cookie = cookies.join('; ');
    const csrf = cookies.find((c) => c.startsWith('sb_csrf='))!.slice('sb_csrf='.length);
    expect((await request(gateway.url, 'GET', '/api/me', { headers: { cookie } })).status).toBe(200);
    const body = { email: 'x@example.com', name: 'X', password: 'x-password-1' };
    expect((await request(gateway.url, 'POST', '/api/agents', { headers: { cookie }, body })).status).toBe(403);
    expect((await request(gateway.url, 'POST', '/api/agents', { headers: { cookie, 'x-csrf-token': 'wrong' }, body })).status).toBe(403);
    expect((await request(gateway.url, 'POST', '/api/agents', { headers: { cookie, 'x-csrf-token': csrf }, body })).status).toBe(201);
  });

  it('wrong passwords are refused and repeated guessing is rate limited', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      statuses.push((await request(gateway.url, 'POST', '/api/auth/login', { body: { email: 'guess@example.com', password: `guess-${i}` } })).status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual([429, 429]);
  });
});
