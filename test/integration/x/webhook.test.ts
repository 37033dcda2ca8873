import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeXApi } from '../../fakes/x/api.js';
import { CHANNEL_ID, conversationOf, inboundExternalIds, startXGateway, webhookUrl } from '../../fakes/x/harness.js';
import type { TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';

describe('X webhook in a real gateway', () => {
  let fake: FakeXApi;
  let gateway: TestGateway;
  let token: string;
  const grace = { id: '4407654321', name: 'Grace Hopper', username: 'grace_h' };
  const settle = () => new Promise((resolve) => setTimeout(resolve, 400));

  beforeAll(async () => {
    fake = await FakeXApi.start();
    gateway = await startXGateway(fake);
    token = await loginAdmin(gateway.url);
  });
  afterAll(async () => {
    await gateway?.dispose();
    await fake?.stop();
  });

  it('answers the CRC GET with the HMAC of the consumer secret, over HTTP', async () => {
    const r = await request(gateway.url, 'GET', `/webhooks/${CHANNEL_ID}?crc_token=abc-123`);
    expect(r.status).toBe(200);
    const { createHmac } = await import('node:crypto');
    expect(r.body).toEqual({ response_token: `sha256=${createHmac('sha256', 'fake-consumer-secret-0123456789').update('abc-123').digest('base64')}` });
  });

  it('an X Activity dm.received becomes a conversation with the sender’s name and handle; the same event id twice is stored once', async () => {
    const dm = fake.receive(grace, 'Is the API down?');
    expect(await fake.push(webhookUrl(gateway), fake.activityBody(dm))).toBe(200);
    expect(await fake.push(webhookUrl(gateway), fake.accountActivityBody(dm))).toBe(200);
    const conversation = await conversationOf(gateway, token, grace.id);
    expect(conversation.contact.name).toBe('Grace Hopper');
    await settle();
    expect(await inboundExternalIds(gateway)).toEqual([dm.id]);
  });

  it('a forged or unsigned delivery is refused (403 / 401) and stores nothing', async () => {
    const dm = fake.receive(grace, 'forged');
    expect(await fake.push(webhookUrl(gateway), fake.accountActivityBody(dm), { secret: 'wrong' })).toBe(403);
    expect(await fake.push(webhookUrl(gateway), fake.accountActivityBody(dm), { secret: null })).toBe(401);
    await settle();
    expect(await inboundExternalIds(gateway)).not.toContain(dm.id);
  });

  it('our reply goes out as a DM to the customer, and its echo (dm.sent / message_create from us) is not stored as a customer message', async () => {
    const conversation = await conversationOf(gateway, token, grace.id);
    const posted = await request(gateway.url, 'POST', `/api/conversations/${conversation.id}/messages`, { token, body: { text: 'Not down; checking your key.' } });
    expect(posted.status).toBe(202);
    const sent = await eventually(async () => fake.sentTo(grace.id)[0], 15_000, 'DM at the fake');
    expect(sent.text).toBe('Not down; checking your key.');
    const stored = await eventually(async () => {
      const items = (await request(gateway.url, 'GET', `/api/conversations/${conversation.id}/messages`, { token })).body.items as { id: string; status: string; externalId: string }[];
      return items.find((m) => m.id === posted.body.id && m.status === 'sent');
    }, 15_000);
    expect(stored.externalId).toBe(sent.id);
    expect(await fake.push(webhookUrl(gateway), fake.activityBody(sent))).toBe(200);
    expect(await fake.push(webhookUrl(gateway), fake.accountActivityBody(sent))).toBe(200);
    await settle();
    const items = (await request(gateway.url, 'GET', `/api/conversations/${conversation.id}/messages`, { token })).body.items as { direction: string; text: string }[];
    expect(items.filter((m) => m.direction === 'inbound').map((m) => m.text)).toEqual(['Is the API down?']);
    expect(items.filter((m) => m.text === 'Not down; checking your key.')).toHaveLength(1);
  });
});
