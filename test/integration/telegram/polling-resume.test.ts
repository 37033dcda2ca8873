import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeBotApi } from '../../fakes/telegram/bot-api.js';
import { CHANNEL_ID, inboundExternalIds, startTelegramGateway } from '../../fakes/telegram/harness.js';
import { textUpdate } from '../../fakes/telegram/updates.js';
import type { TestGateway } from '../../support/gateway.js';
import { eventually, request } from '../../support/http.js';

describe('Telegram long polling in the connector role', () => {
  let fake: FakeBotApi;
  let gateway: TestGateway | undefined;
  const customer = { id: 4_300_000_003, first_name: 'Olu', username: 'olu_a' };
  const polling = { mode: 'polling', secretToken: undefined, pollTimeoutSeconds: 1 };
  const start = (reuse?: TestGateway) =>
    startTelegramGateway(fake, polling, { env: { ROLE: 'all' }, ...(reuse ? { reuse: { schema: reuse.schema, prefix: reuse.prefix, dataDir: reuse.dataDir } } : {}) });
  const expectStored = (ids: number[]) =>
    eventually(async () => {
      const stored = await inboundExternalIds(gateway!);
      return stored.length >= ids.length ? stored : undefined;
    }, 15_000, `${ids.length} stored messages`);
  const key = (messageId: number): string => `${customer.id}:${messageId}`;

  beforeAll(async () => {
    fake = await FakeBotApi.start();
  });
  afterAll(async () => {
    await gateway?.dispose();
    await fake?.stop();
  });

  it('updates queued at Telegram arrive in order; once stored they are confirmed by the next getUpdates offset', async () => {
    gateway = await start();
    const queued = [1, 2, 3].map((n) => fake.queueUpdate(textUpdate(customer, n, `message ${n} 👋`)));
    expect(await expectStored([1, 2, 3])).toEqual([key(1), key(2), key(3)]);
    await eventually(async () => (fake.confirmedOffset === queued.at(-1)!.update_id + 1 ? true : undefined));
    expect(fake.unconfirmed()).toEqual([]);
    // The bot went through deleteWebhook first (polling and a webhook exclude each other).
    const methods = fake.calls.map((call) => call.method);
    expect(methods.indexOf('deleteWebhook')).toBeLessThan(methods.indexOf('getUpdates'));
  });

  it('a polling channel has no webhook endpoint', async () => {
    expect((await request(gateway!.url, 'POST', `/webhooks/${CHANNEL_ID}`, { body: {} })).status).toBe(404);
  });

  it('after a restart it resumes from the confirmed offset: what arrived while down is stored, nothing twice', async () => {
    await gateway!.stop();
    const whileDown = [4, 5].map((n) => fake.queueUpdate(textUpdate(customer, n, `while down ${n}`)));
    gateway = await start(gateway);
    expect(await expectStored([1, 2, 3, 4, 5])).toEqual([1, 2, 3, 4, 5].map(key));
    await eventually(async () => (fake.confirmedOffset === whileDown.at(-1)!.update_id + 1 ? true : undefined));
  });

  it('a batch delivered again after a crash (stored, but never confirmed) is not stored twice', async () => {
    await gateway!.stop();
    // As after a kill between queueing and the confirming getUpdates: Telegram still holds update 5.
    const fiveId = fake.confirmedOffset - 1;
    fake.queueUpdate({ ...textUpdate(customer, 5, 'while down 5'), update_id: fiveId });
    fake.queueUpdate({ ...textUpdate(customer, 6, 'after the crash'), update_id: fake.confirmedOffset });
    gateway = await start(gateway);
    await eventually(async () => ((await inboundExternalIds(gateway!)).includes(key(6)) ? true : undefined), 15_000);
    await eventually(async () => (fake.unconfirmed().length === 0 ? true : undefined));
    const stored = await inboundExternalIds(gateway!);
    expect(stored).toEqual([1, 2, 3, 4, 5, 6].map(key));
    // Update 5 really was handed out again (not silently skipped by the fake).
    expect(fake.handedOut.filter((id) => id === fiveId)).toHaveLength(2);
  });
});
