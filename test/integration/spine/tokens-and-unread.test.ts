import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';
import { Visitor } from '../../support/visitor.js';

describe('API tokens and per-agent unread state', () => {
  let gateway: TestGateway;
  let admin: string;

  beforeAll(async () => {
    gateway = await startTestGateway();
    admin = await loginAdmin(gateway.url);
  });
  afterAll(async () => gateway?.dispose());

  it('an agent lists its API tokens without their secrets and revokes one, which then stops working', async () => {
    const created = await request(gateway.url, 'POST', '/api/tokens', { token: admin, body: { name: 'CRM sync' } });
    expect(created.status).toBe(201);
    const apiToken = created.body.token as string;
    expect((await request(gateway.url, 'GET', '/api/me', { token: apiToken })).status).toBe(200);
    const list = await request(gateway.url, 'GET', '/api/tokens', { token: admin });
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ name: 'CRM sync' });
    expect(JSON.stringify(list.body)).not.toContain(apiToken);
    expect((await request(gateway.url, 'DELETE', `/api/tokens/${list.body.items[0].id}`, { token: admin })).status).toBe(204);
    expect((await request(gateway.url, 'GET', '/api/me', { token: apiToken })).status).toBe(401);
    expect((await request(gateway.url, 'DELETE', `/api/tokens/${list.body.items[0].id}`, { token: admin })).status).toBe(404);
  });

  it('a new customer message makes a conversation unread and waiting for each agent until that agent reads or answers it', async () => {
    const other = await request(gateway.url, 'POST', '/api/agents', { token: admin, body: { email: 'b@example.com', name: 'B', password: 'b-password-1' } });
    expect(other.status).toBe(201);
    const agentB = (await request(gateway.url, 'POST', '/api/auth/login', { body: { email: 'b@example.com', password: 'b-password-1' } })).body.token as string;
    const visitor = await Visitor.create(gateway.url);
    await visitor.send('anyone there?');
    const conversation = await eventually(async () => (await request(gateway.url, 'GET', '/api/conversations', { token: admin })).body.items[0]);
    expect(conversation.unread).toBe(true);
    expect(conversation.waitingSince).not.toBeNull();

    expect((await request(gateway.url, 'POST', `/api/conversations/${conversation.id}/read`, { token: admin })).status).toBe(204);
    expect((await request(gateway.url, 'GET', `/api/conversations/${conversation.id}`, { token: admin })).body.unread).toBe(false);
    expect((await request(gateway.url, 'GET', `/api/conversations/${conversation.id}`, { token: agentB })).body.unread).toBe(true);

    await request(gateway.url, 'POST', `/api/conversations/${conversation.id}/messages`, { token: admin, body: { text: 'internal', private: true } });
    expect((await request(gateway.url, 'GET', `/api/conversations/${conversation.id}`, { token: admin })).body.waitingSince).not.toBeNull();
    await request(gateway.url, 'POST', `/api/conversations/${conversation.id}/messages`, { token: admin, body: { text: 'Yes, here to help.' } });
    expect((await request(gateway.url, 'GET', `/api/conversations/${conversation.id}`, { token: admin })).body.waitingSince).toBeNull();

    await visitor.send('great, my deposit is missing');
    await eventually(async () => {
      const c = (await request(gateway.url, 'GET', `/api/conversations/${conversation.id}`, { token: admin })).body;
      return c.unread === true && c.waitingSince !== null ? true : undefined;
    });
  });
});
