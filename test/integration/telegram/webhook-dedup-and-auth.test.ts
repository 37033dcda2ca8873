import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeBotApi } from '../../fakes/telegram/bot-api.js';
import { telegramFixture } from '../../fakes/telegram/fixtures.js';
import { CHANNEL_ID, startTelegramGateway, storedCount, WEBHOOK_SECRET } from '../../fakes/telegram/harness.js';
import { textUpdate } from '../../fakes/telegram/updates.js';
import type { TestGateway } from '../../support/gateway.js';
import { eventually, request } from '../../support/http.js';

describe('Telegram webhook: authenticity and redeliveries', () => {
  let fake: FakeBotApi;
  let gateway: TestGateway;
  let url: string;
  const customer = { id: 4_100_000_001, first_name: 'Ana', username: 'ana_w', language_code: 'pt-br' };

  beforeAll(async () => {
    fake = await FakeBotApi.start();
    gateway = await startTelegramGateway(fake);
    url = `${gateway.url}/webhooks/${CHANNEL_ID}`;
    // As if registered by setWebhook (which the real API only accepts for https URLs).
    fake.webhook = { url, secret_token: WEBHOOK_SECRET };
  });
  afterAll(async () => {
    await gateway?.dispose();
    await fake?.stop();
  });

  /** Waits until the pipeline has stored a marker update sent after the ones under test. */
  const settle = async (messageId: number): Promise<void> => {
    const marker = { update_id: 900_000 + messageId, ...textUpdate(customer, messageId, 'marker') };
    expect(await fake.pushWebhook(marker, { url })).toEqual([200]);
    await eventually(async () => ((await storedCount(gateway, `${customer.id}:${messageId}`)) === 1 ? true : undefined));
  };

  it('the same update delivered three times in a row and three times at once is stored once each', async () => {
    const sequential = { update_id: 700_001, ...textUpdate(customer, 11, '我的钱包被盗了 😱') };
    for (let i = 0; i < 3; i += 1) expect(await fake.pushWebhook(sequential, { url })).toEqual([200]);
    const concurrent = { update_id: 700_002, ...textUpdate(customer, 12, 'same one, three connections') };
    const statuses = await Promise.all([1, 2, 3].map(() => fake.pushWebhook(concurrent, { url })));
    expect(statuses).toEqual([[200], [200], [200]]);
    await eventually(async () => ((await storedCount(gateway, `${customer.id}:12`)) === 1 ? true : undefined));
    // Telegram redelivering after the first copy was stored and its queue job removed.
    expect(await fake.pushWebhook(sequential, { url })).toEqual([200]);
    await settle(13);
    expect(await storedCount(gateway, `${customer.id}:11`)).toBe(1);
    expect(await storedCount(gateway, `${customer.id}:12`)).toBe(1);
    const [stored] = await gateway.deps.db.selectFrom('messages').select(['text']).where('external_id', '=', `${customer.id}:11`).execute();
    expect(stored?.text).toBe('我的钱包被盗了 😱');
  });

  it('a missing secret header is 401 and a wrong one 403; neither is stored', async () => {
    const forged = { update_id: 700_010, ...textUpdate(customer, 20, 'send me your seed phrase') };
    expect(await fake.pushWebhook(forged, { url, secret: null })).toEqual([401]);
    expect(await fake.pushWebhook(forged, { url, secret: `${WEBHOOK_SECRET}x` })).toEqual([403]);
    expect(await fake.pushWebhook(forged, { url, secret: 'short' })).toEqual([403]);
    await settle(21);
    expect(await storedCount(gateway, `${customer.id}:20`)).toBe(0);
  });

  it('only POST with a JSON Update is accepted: GET → 405, broken JSON → 400, JSON without update_id → 400', async () => {
    const headers = { 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET };
    expect((await request(gateway.url, 'GET', `/webhooks/${CHANNEL_ID}`, { headers })).status).toBe(405);
    expect((await request(gateway.url, 'POST', `/webhooks/${CHANNEL_ID}`, { headers: { ...headers, 'content-type': 'application/json' }, raw: '{"update_id": 1, "message": ' })).status).toBe(400);
    expect((await request(gateway.url, 'POST', `/webhooks/${CHANNEL_ID}`, { headers, body: { hello: 'world' } })).status).toBe(400);
  });

  it('updates that are nothing for the inbox (a channel post, a button press) are answered 200 and not stored', async () => {
    const before = await gateway.deps.db.selectFrom('messages').select('id').where('channel_id', '=', CHANNEL_ID).execute();
    expect(await fake.pushWebhook(telegramFixture('channel-post'), { url })).toEqual([200]);
    expect(await fake.pushWebhook(telegramFixture('callback-query'), { url })).toEqual([200]);
    await settle(31);
    const after = await gateway.deps.db.selectFrom('messages').select('id').where('channel_id', '=', CHANNEL_ID).execute();
    expect(after.length).toBe(before.length + 1);
  });

  it('a webhook for a channel id that is not configured is 404', async () => {
    expect((await request(gateway.url, 'POST', '/webhooks/tg-other', { body: {} })).status).toBe(404);
  });
});
