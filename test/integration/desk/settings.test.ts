import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';
import { Visitor } from '../../support/visitor.js';

/** Admins edit the desk's settings in the inbox; the channels file's `desk:` values are the defaults. */
describe('desk settings', () => {
  let gateway: TestGateway;
  let admin: string;
  let agent: string;

  beforeAll(async () => {
    gateway = await startTestGateway({ channels: [{ id: 'web', kind: 'webchat', autoReply: 'We got your message.' }] });
    admin = await loginAdmin(gateway.url);
    await request(gateway.url, 'POST', '/api/agents', { token: admin, body: { email: 'li@example.com', name: 'Li', password: 'li-password-1' } });
    agent = (await request(gateway.url, 'POST', '/api/auth/login', { body: { email: 'li@example.com', password: 'li-password-1' } })).body.token;
  });
  afterAll(async () => gateway?.dispose());

  const acknowledgements = async (visitor: Visitor): Promise<number> => (await visitor.history()).body.items.filter((m: any) => m.author.type === 'bot').length;

  it("lists every feature with the file's values, not marked edited", async () => {
    const r = await request(gateway.url, 'GET', '/api/desk/settings', { token: agent });
    expect(r.status).toBe(200);
    expect(r.body.items).toContainEqual({ feature: 'auto-ack', settings: { autoAck: true }, edited: null });
  });

  it('only admins change them, and a wrong value is a 400 naming the field', async () => {
    expect((await request(gateway.url, 'PUT', '/api/desk/settings/auto-ack', { token: agent, body: { autoAck: false } })).status).toBe(403);
    const wrong = await request(gateway.url, 'PUT', '/api/desk/settings/auto-ack', { token: admin, body: { autoAck: 'sometimes' } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toMatch(/^autoAck: /);
    expect((await request(gateway.url, 'PUT', '/api/desk/settings/nothing', { token: admin, body: {} })).status).toBe(404);
  });

  it("an admin's change applies at once: with autoAck off a new conversation gets no acknowledgement", async () => {
    const changed = await request(gateway.url, 'PUT', '/api/desk/settings/auto-ack', { token: admin, body: { autoAck: false } });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ feature: 'auto-ack', settings: { autoAck: false }, edited: { by: 'Admin' } });
    const visitor = await Visitor.create(gateway.url);
    await visitor.send('hello?');
    await eventually(async () => ((await visitor.history()).body.items.length === 1 ? true : undefined));
    // Long enough for an acknowledgement to have been dispatched, had one been due.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await acknowledgements(visitor)).toBe(0);
  });

  it("reset returns to the file's values, and acknowledgements come back", async () => {
    const reset = await request(gateway.url, 'DELETE', '/api/desk/settings/auto-ack', { token: admin });
    expect(reset.body).toEqual({ feature: 'auto-ack', settings: { autoAck: true }, edited: null });
    const visitor = await Visitor.create(gateway.url);
    await visitor.send('anyone?');
    await eventually(async () => ((await acknowledgements(visitor)) === 1 ? true : undefined));
  });

  it('an edit survives a restart (it lives in Postgres, not in the process)', async () => {
    await request(gateway.url, 'PUT', '/api/desk/settings/auto-ack', { token: admin, body: { autoAck: false } });
    await gateway.stop();
    const again = await startTestGateway({ reuse: { schema: gateway.schema, prefix: gateway.prefix, dataDir: gateway.dataDir }, channels: [{ id: 'web', kind: 'webchat', autoReply: 'We got your message.' }] });
    gateway = again;
    const token = await loginAdmin(again.url);
    const r = await request(again.url, 'GET', '/api/desk/settings', { token });
    expect(r.body.items.find((i: any) => i.feature === 'auto-ack').settings).toEqual({ autoAck: false });
  });
});
