import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';
import { Visitor } from '../../support/visitor.js';

interface Received {
  id: string;
  type: string;
  headers: Record<string, string>;
  body: string;
}

/** A receiver that records every request and answers `status()` (a user's server, at the network boundary). */
function receiver() {
  const received: Received[] = [];
  let status = 204;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ id: String(req.headers['webhook-id']), type: (JSON.parse(body) as { type: string }).type, headers: req.headers as Record<string, string>, body });
      res.writeHead(status).end(status >= 300 ? 'nope' : '');
    });
  });
  return { server, received, answer: (s: number) => (status = s), url: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook` };
}

describe('webhooks API: endpoints, secrets, filters, replay', () => {
  let gateway: TestGateway;
  let admin: string;
  let agent: string;
  const hook = receiver();

  beforeAll(async () => {
    hook.server.listen(0, '127.0.0.1');
    await once(hook.server, 'listening');
    gateway = await startTestGateway({ desk: { safety: { footer: false }, autoAck: false, csat: { enabled: false }, webhooks: { retrySchedule: ['1s'] } } });
    admin = await loginAdmin(gateway.url);
    const created = await request(gateway.url, 'POST', '/api/agents', { token: admin, body: { email: 'ann@example.com', name: 'Ann', role: 'agent', password: 'correct horse battery' } });
    expect(created.status).toBe(201);
    agent = (await request(gateway.url, 'POST', '/api/auth/login', { body: { email: 'ann@example.com', password: 'correct horse battery' } })).body.token;
  });
  afterAll(async () => {
    await gateway?.dispose();
    hook.server.close();
  });

  const create = (body: unknown, token = admin) => request(gateway.url, 'POST', '/api/webhooks', { token, body });

  it('refuses agents, bad addresses and unknown event types with a clear error; never shows a secret again', async () => {
    expect((await create({ url: hook.url(), events: ['*'] }, agent)).status).toBe(403);
    expect((await request(gateway.url, 'GET', '/api/webhooks', { token: agent })).status).toBe(403);
    const metadata = await create({ url: 'http://169.254.169.254/latest/meta-data', events: ['*'] });
    expect(metadata.status).toBe(400);
    expect(metadata.body.error.message).toMatch(/^url: /);
    expect((await create({ url: 'http://user:pw@127.0.0.1/hook', events: ['*'] })).status).toBe(400);
    expect((await create({ url: 'ftp://127.0.0.1/hook', events: ['*'] })).status).toBe(400);
    const unknownEvent = await create({ url: hook.url(), events: ['message.deleted'] });
    expect(unknownEvent.status).toBe(400);
    expect(unknownEvent.body.error.message).toContain('events');
    expect((await create({ url: hook.url(), events: [] })).status).toBe(400);

    const made = await create({ url: hook.url(), events: ['message.created'], description: 'CRM' });
    expect(made.status).toBe(201);
    expect(made.body.secret).toMatch(/^whsec_/);
    const listed = await request(gateway.url, 'GET', '/api/webhooks', { token: admin });
    expect(JSON.stringify(listed.body)).not.toContain(made.body.secret.slice(6));
    expect(JSON.stringify((await request(gateway.url, 'GET', `/api/webhooks/${made.body.endpoint.id}`, { token: admin })).body)).not.toContain(made.body.secret.slice(6));
    const audit = await gateway.deps.db.selectFrom('audit_log').select(['action', 'details']).where('action', 'like', 'webhook.%').execute();
    expect(audit.map((a) => a.action)).toContain('webhook.create');
    expect(JSON.stringify(audit)).not.toContain(made.body.secret.slice(6));
    await request(gateway.url, 'DELETE', `/api/webhooks/${made.body.endpoint.id}`, { token: admin });
  });

  it('an endpoint subscribed to message.created gets those, signed, and no conversation events; replay resends with the same webhook-id', async () => {
    const made = await create({ url: hook.url(), events: ['message.created'] });
    const { endpoint, secret } = made.body;
    const visitor = await Visitor.create(gateway.url, 'web');
    expect((await visitor.send('where is my deposit')).status).toBe(202);
    const first = await eventually(async () => hook.received.find((r) => r.type === 'message.created' && JSON.parse(r.body).data.text === 'where is my deposit'), 15_000);
    const verified = new Webhook(secret).verify(first.body, first.headers) as { data: { text: string; direction: string } };
    expect(verified.data.direction).toBe('inbound');
    // A conversation was opened and updated meanwhile: none of that went to this endpoint.
    const conversationId = JSON.parse(first.body).data.conversationId as string;
    await request(gateway.url, 'PATCH', `/api/conversations/${conversationId}`, { token: admin, body: { priority: 'high' } });
    const deliveries = await eventually(async () => {
      const r = await request(gateway.url, 'GET', `/api/webhooks/${endpoint.id}/deliveries`, { token: admin });
      return r.body.items.length > 0 && r.body.items.every((d: { status: string }) => d.status === 'succeeded') ? r.body.items : undefined;
    });
    // The priority change adds a system line (a message too); the conversation's own events are not sent.
    expect(new Set(deliveries.map((d: { eventType: string }) => d.eventType))).toEqual(new Set(['message.created']));
    expect(hook.received.filter((r) => r.headers['webhook-id'] === first.id).length).toBe(1);

    const replay = await request(gateway.url, 'POST', `/api/webhook-deliveries/${first.id}/replay`, { token: admin });
    expect(replay.status).toBe(202);
    await eventually(async () => (hook.received.filter((r) => r.id === first.id).length === 2 ? true : undefined));
    const again = hook.received.filter((r) => r.id === first.id)[1]!;
    expect(JSON.parse(again.body)).toEqual(JSON.parse(first.body));
    expect(new Webhook(secret).verify(again.body, again.headers)).toBeTruthy();
    const detail = await eventually(async () => {
      const r = await request(gateway.url, 'GET', `/api/webhook-deliveries/${first.id}`, { token: admin });
      return r.body.status === 'succeeded' && r.body.log.length === 2 ? r.body : undefined;
    });
    expect(detail.log.map((a: { status: number }) => a.status)).toEqual([204, 204]);
    await request(gateway.url, 'DELETE', `/api/webhooks/${endpoint.id}`, { token: admin });
  });

  it('rotation: during the overlap every request carries both signatures, and either secret verifies it', async () => {
    const made = await create({ url: hook.url(), events: ['*'] });
    const old = made.body.secret as string;
    const rotated = await request(gateway.url, 'POST', `/api/webhooks/${made.body.endpoint.id}/rotate-secret`, { token: admin });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(old);
    expect(Date.parse(rotated.body.endpoint.previousSecretExpiresAt) - Date.now()).toBeGreaterThan(23 * 3_600_000);
    const test = await request(gateway.url, 'POST', `/api/webhooks/${made.body.endpoint.id}/test`, { token: admin });
    expect(test.status).toBe(202);
    const got = await eventually(async () => hook.received.find((r) => r.id === test.body.id));
    expect(got.type).toBe('webhook.test');
    expect(got.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(new Webhook(old).verify(got.body, got.headers)).toBeTruthy();
    expect(new Webhook(rotated.body.secret).verify(got.body, got.headers)).toBeTruthy();
    await request(gateway.url, 'DELETE', `/api/webhooks/${made.body.endpoint.id}`, { token: admin });
  });

  it('a receiver that keeps failing: disabled with the reason in the API, replay refused until enabled, then delivered', async () => {
    const made = await create({ url: hook.url(), events: ['message.created'] });
    const id = made.body.endpoint.id as string;
    hook.answer(503);
    try {
      const test = await request(gateway.url, 'POST', `/api/webhooks/${id}/test`, { token: admin });
      const shown = await eventually(async () => {
        const r = await request(gateway.url, 'GET', `/api/webhooks/${id}`, { token: admin });
        return r.body.enabled ? undefined : r.body;
      }, 20_000);
      expect(shown.disabledReason).toMatch(/every attempt of delivery msg_\S+ failed .*HTTP 503/);
      expect((await request(gateway.url, 'POST', `/api/webhook-deliveries/${test.body.id}/replay`, { token: admin })).body.error.code).toBe('endpoint_disabled');
      expect((await request(gateway.url, 'POST', `/api/webhooks/${id}/test`, { token: admin })).status).toBe(409);
      hook.answer(204);
      const enabled = await request(gateway.url, 'POST', `/api/webhooks/${id}/enable`, { token: admin });
      expect(enabled.body).toMatchObject({ enabled: true, disabledReason: null });
      expect((await request(gateway.url, 'POST', `/api/webhook-deliveries/${test.body.id}/replay`, { token: admin })).status).toBe(202);
      await eventually(async () => ((await request(gateway.url, 'GET', `/api/webhook-deliveries/${test.body.id}`, { token: admin })).body.status === 'succeeded' ? true : undefined), 15_000);
      const actions = (await gateway.deps.db.selectFrom('audit_log').select('action').where('target_id', '=', id).execute()).map((a) => a.action);
      expect(actions).toEqual(expect.arrayContaining(['webhook.create', 'webhook.enable', 'webhook.replay']));
    } finally {
      hook.answer(204);
    }
  });
});
