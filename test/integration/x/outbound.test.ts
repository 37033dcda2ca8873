import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeXApi, xFailures } from '../../fakes/x/api.js';
import { CHANNEL_ID, conversationOf, startXGateway, webhookUrl } from '../../fakes/x/harness.js';
import type { TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';

describe('X replies', () => {
  let fake: FakeXApi;
  let gateway: TestGateway;
  let token: string;
  let conversationId: string;
  const ada = { id: '3001234567', name: 'Ada Lovelace', username: 'ada_l' };
  type Stored = { id: string; status: string; externalId: string | null; error?: { code: string; message: string } };
  const reply = async (body: { text: string; attachments?: string[] }): Promise<string> => {
    const r = await request(gateway.url, 'POST', `/api/conversations/${conversationId}/messages`, { token, body });
    expect(r.status).toBe(202);
    return r.body.id as string;
  };
  const settled = (id: string, status: 'sent' | 'failed', timeoutMs = 15_000) =>
    eventually(async () => {
      const items = (await request(gateway.url, 'GET', `/api/conversations/${conversationId}/messages?limit=200`, { token })).body.items as Stored[];
      return items.find((m) => m.id === id && m.status === status);
    }, timeoutMs, `reply ${id} ${status}`);

  beforeAll(async () => {
    fake = await FakeXApi.start();
    gateway = await startXGateway(fake);
    token = await loginAdmin(gateway.url);
    expect(await fake.push(webhookUrl(gateway), fake.accountActivityBody(fake.receive(ada, 'Hello?')))).toBe(200);
    conversationId = (await conversationOf(gateway, token, ada.id)).id;
  });
  afterAll(async () => {
    await gateway?.dispose();
    await fake?.stop();
  });

  it('a reply reaches X as a DM to the participant, OAuth 1.0a signed, and stores the dm_event_id', async () => {
    const id = await reply({ text: 'Hi Ada 👋 checking now.' });
    const sent = await settled(id, 'sent');
    const dm = fake.sentTo(ada.id).at(-1)!;
    expect(dm.text).toBe('Hi Ada 👋 checking now.');
    expect(sent.externalId).toBe(dm.id);
    const call = fake.requestsTo('POST', `/2/dm_conversations/with/${ada.id}/messages`).at(-1)!;
    expect(call.authorization).toMatch(/^OAuth .*oauth_signature_method="HMAC-SHA1"/);
  });

  it('an image is uploaded as dm_image (multipart, chunked) and sent as the DM’s one attachment', async () => {
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from('tiny png body')]);
    const upload = await request(gateway.url, 'POST', '/api/attachments', { token, raw: png, headers: { 'content-type': 'image/png', 'x-filename': 'steps.png' } });
    expect(upload.status).toBe(201);
    const id = await reply({ text: 'Steps:', attachments: [upload.body.id as string] });
    await settled(id, 'sent');
    const [text, image] = fake.sentTo(ada.id).slice(-2);
    expect(text?.text).toBe('Steps:');
    expect(image?.media_id).toBeDefined();
    expect(fake.uploaded(image!.media_id!)).toEqual({ category: 'dm_image', type: 'image/png', bytes: png });
    expect(fake.requestsTo('POST', '/1.1/media/upload.json').filter((r) => r.body.command === 'APPEND')[0]?.files).toEqual(['media']);
  });

  it('a 429 is waited out until x-rate-limit-reset, then the reply is sent once', async () => {
    fake.failNext(ada.id, xFailures.tooManyRequests(2));
    const started = Date.now();
    const id = await reply({ text: 'after the rate limit' });
    await settled(id, 'sent', 20_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(fake.sentTo(ada.id).filter((dm) => dm.text === 'after the rate limit')).toHaveLength(1);
    expect(fake.requestsTo('POST', `/2/dm_conversations/with/${ada.id}/messages`).filter((r) => r.body.text === 'after the rate limit')).toHaveLength(2);
  });

  it('a tier 403 fails the reply with X’s reason, and verify() then reports the channel paused with it; a later success resumes it', async () => {
    const adapter = gateway.deps.adapters.get(CHANNEL_ID)!;
    expect((await adapter.verify()).status).toBe('ok');
    fake.failNext(ada.id, xFailures.tier());
    const id = await reply({ text: 'refused by tier' });
    const failed = await settled(id, 'failed');
    expect(failed.error?.message).toContain('You currently have access to a subset of X API V2 endpoints');
    const status = await adapter.verify();
    expect(status.status).toBe('paused');
    expect(status.error).toContain('You currently have access to a subset of X API V2 endpoints');
    expect((await request(gateway.url, 'POST', `/api/messages/${id}/retry`, { token })).status).toBe(202);
    await settled(id, 'sent');
    expect((await adapter.verify()).status).toBe('ok');
  });

  it('revoked credentials (401 on users/me) make verify() report paused', async () => {
    fake.accountFailure = xFailures.unauthorized();
    const status = await gateway.deps.adapters.get(CHANNEL_ID)!.verify();
    fake.accountFailure = undefined;
    expect(status).toMatchObject({ status: 'paused' });
    expect(status.error).toContain('401');
  });
});
