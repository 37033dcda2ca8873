import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeBotApi, type FakeUpdate } from '../../fakes/telegram/bot-api.js';
import { CHANNEL_ID, chatAddress, inboundExternalIds, startTelegramGateway, storedCount, surveyMessage } from '../../fakes/telegram/harness.js';
import { textUpdate } from '../../fakes/telegram/updates.js';
import type { TestGateway } from '../../support/gateway.js';
import { eventually } from '../../support/http.js';

const CHOICE = '01jcsat0polling000000000gh';

describe('Telegram survey presses through long polling (real gateway, Redis and Postgres)', () => {
  let fake: FakeBotApi;
  let gateway: TestGateway;
  let surveyId: number;
  const customer = { id: 4_900_000_009, first_name: 'Tomás', username: 'tomas_r' };
  const polling = { mode: 'polling', secretToken: undefined, pollTimeoutSeconds: 1 };
  const start = (reuse?: TestGateway) =>
    startTelegramGateway(fake, polling, { env: { ROLE: 'all' }, ...(reuse ? { reuse: { schema: reuse.schema, prefix: reuse.prefix, dataDir: reuse.dataDir } } : {}) });
  const queryId = (update: FakeUpdate): string => (update.callback_query as { id: string }).id;
  const stored = (key: string) => eventually(async () => ((await storedCount(gateway, key)) === 1 ? true : undefined), 15_000, `${key} stored`);

  beforeAll(async () => {
    fake = await FakeBotApi.start();
    gateway = await start();
    fake.queueUpdate(textUpdate(customer, 20, 'Withdrawal done, all good'));
    await stored(`${customer.id}:20`);
    const [sent] = (await gateway.deps.adapters.get(CHANNEL_ID)!.sendChoice!(chatAddress(customer.id), surveyMessage(CHOICE))).externalIds;
    surveyId = Number(sent!.split(':')[1]);
  });
  afterAll(async () => {
    await gateway?.dispose();
    await fake?.stop();
  });

  it('getUpdates asks for callback_query updates, and a polled press is stored, answered and its message edited', async () => {
    expect(fake.callsOf('getUpdates').at(-1)?.params.allowed_updates).toContain('callback_query');
    const update = fake.queueUpdate(fake.pressButton(customer, customer.id, surveyId, `c|${CHOICE}|5`));
    await stored(`cb:${queryId(update)}`);
    await eventually(async () => (fake.message(customer.id, surveyId)?.text === 'Thanks — you rated 5/5' ? true : undefined), 15_000, 'survey edited');
    expect(fake.answered(queryId(update))).toBe(true);
    expect(fake.message(customer.id, surveyId)?.reply_markup).toBeUndefined();
    await eventually(async () => (fake.confirmedOffset === update.update_id + 1 ? true : undefined));
  });

  it('the same press handed out again after a restart (stored, never confirmed) is stored once', async () => {
    const update = fake.queueUpdate(fake.pressButton(customer, customer.id, surveyId, `c|${CHOICE}|5`));
    await stored(`cb:${queryId(update)}`);
    await gateway.stop();
    // As after a kill between queueing and the confirming getUpdates: Telegram still holds it.
    fake.queueUpdate(update);
    fake.queueUpdate(textUpdate(customer, 21, 'after the restart'));
    gateway = await start(gateway);
    await stored(`${customer.id}:21`);
    expect(fake.handedOut.filter((id) => id === update.update_id)).toHaveLength(2);
    expect(await storedCount(gateway, `cb:${queryId(update)}`)).toBe(1);
  });

  it('a polled press that is not ours is answered and stores nothing', async () => {
    const foreign = fake.queueUpdate(fake.pressButton(customer, customer.id, surveyId, 'helpful:yes'));
    fake.queueUpdate(textUpdate(customer, 22, 'marker'));
    await stored(`${customer.id}:22`);
    expect(fake.answered(queryId(foreign))).toBe(true);
    expect((await inboundExternalIds(gateway)).filter((id) => id.startsWith('cb:'))).toHaveLength(2);
  });
});
