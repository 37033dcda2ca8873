import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptedChannel } from '../../fakes/scripted-channel.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';
import { Visitor } from '../../support/visitor.js';

describe('duplicated deliveries are stored once', () => {
  let gateway: TestGateway;
  let token: string;
  const channel = new ScriptedChannel();

  beforeAll(async () => {
    gateway = await startTestGateway({ extraAdapters: [channel] });
    token = await loginAdmin(gateway.url);
  });
  afterAll(async () => gateway?.dispose());

  const inboundCount = async (externalId: string): Promise<number> => {
    const rows = await gateway.deps.db.selectFrom('messages').select('id').where('external_id', '=', externalId).execute();
    return rows.length;
  };

  it('the same widget client message id sent 5 times at once is stored once and accepted every time', async () => {
    const visitor = await Visitor.create(gateway.url);
    const clientMessageId = Visitor.newClientId();
    const responses = await Promise.all(Array.from({ length: 5 }, () => visitor.send('资金被盗，请帮忙', clientMessageId)));
    expect(responses.map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);
    await eventually(async () => ((await visitor.history()).body.items.length === 1 ? true : undefined));
    // Resent after it was stored (the queue job is gone by now; only Postgres remembers).
    expect((await visitor.send('资金被盗，请帮忙', clientMessageId)).status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await inboundCount(`${visitor.visitorId}-${clientMessageId}`)).toBe(1);
    expect((await visitor.history()).body.items).toHaveLength(1);
  });

  it('a platform redelivering one message while the first copy is still queued, and after it was stored, stores it once', async () => {
    const deliver = () => request(gateway.url, 'POST', '/webhooks/scripted', { headers: { 'x-secret': 'scripted-secret' }, body: { id: 'update-777', from: 'c77', text: 'once only' } });
    const burst = await Promise.all(Array.from({ length: 3 }, deliver));
    expect(burst.map((r) => r.status)).toEqual([200, 200, 200]);
    await eventually(async () => ((await inboundCount('update-777')) === 1 ? true : undefined));
    expect((await deliver()).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await inboundCount('update-777')).toBe(1);
    const list = await request(gateway.url, 'GET', '/api/conversations?channel=scripted', { token });
    expect(list.body.items).toHaveLength(1);
  });

  it('concurrent first messages from one new customer create one contact and one conversation', async () => {
    const send = (i: number) => request(gateway.url, 'POST', '/webhooks/scripted', { headers: { 'x-secret': 'scripted-secret' }, body: { id: `race-${i}`, from: 'racer', text: `message ${i}` } });
    await Promise.all(Array.from({ length: 10 }, (_, i) => send(i)));
    await eventually(async () => {
      const rows = await gateway.deps.db.selectFrom('messages').select('id').where('external_id', 'like', 'race-%').execute();
      return rows.length === 10 ? true : undefined;
    });
    const identities = await gateway.deps.db.selectFrom('contact_identities').select('contact_id').where('external_id', '=', 'racer').execute();
    expect(identities).toHaveLength(1);
    const conversations = await gateway.deps.db.selectFrom('conversations').select('id').where('thread_key', '=', 'racer').execute();
    expect(conversations).toHaveLength(1);
    const orphans = await gateway.deps.db
      .selectFrom('contacts')
      .select('id')
      .where('name', '=', 'Customer racer')
      .execute();
    expect(orphans).toHaveLength(1);
  });
});
