import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeBotApi, type FakeUpdate } from '../../fakes/telegram/bot-api.js';
import { telegramFixture } from '../../fakes/telegram/fixtures.js';
import { CHANNEL_ID, chatAddress, conversationOfChat, startTelegramGateway, storedCount, surveyMessage, WEBHOOK_SECRET } from '../../fakes/telegram/harness.js';
import { textUpdate } from '../../fakes/telegram/updates.js';
import type { TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin } from '../../support/http.js';

const CHOICE = '01jcsat0webhook000000000ef';

describe('Telegram survey presses through the webhook (real gateway, Redis and Postgres)', () => {
  let fake: FakeBotApi;
  let gateway: TestGateway;
  let url: string;
  let conversationId: string;
  let surveyId: number;
  const customer = { id: 4_800_000_008, first_name: 'Aiko', username: 'aiko_t' };

  const queryId = (update: FakeUpdate): string => (update.callback_query as { id: string }).id;
  const press = (value: string, data = `c|${CHOICE}|${value}`) => fake.pressButton(customer, customer.id, surveyId, data);
  const rows = (externalId: string) =>
    gateway.deps.db.selectFrom('messages').select(['text', 'conversation_id', 'direction', 'choice']).where('channel_id', '=', CHANNEL_ID).where('external_id', '=', externalId).execute();
  const inboundCount = async (): Promise<number> =>
    (await gateway.deps.db.selectFrom('messages').select('id').where('channel_id', '=', CHANNEL_ID).where('direction', '=', 'inbound').execute()).length;
  /** Waits until a marker message sent after the updates under test is stored (the pipeline has caught up). */
  const settle = async (messageId: number): Promise<void> => {
    expect(await fake.pushWebhook({ update_id: 910_000 + messageId, ...textUpdate(customer, messageId, 'marker') }, { url })).toEqual([200]);
    await eventually(async () => ((await storedCount(gateway, `${customer.id}:${messageId}`)) === 1 ? true : undefined), 15_000);
  };

  beforeAll(async () => {
    fake = await FakeBotApi.start();
    gateway = await startTelegramGateway(fake);
    url = `${gateway.url}/webhooks/${CHANNEL_ID}`;
    fake.webhook = { url, secret_token: WEBHOOK_SECRET, allowed_updates: ['message', 'edited_message', 'my_chat_member', 'callback_query'] };
    const token = await loginAdmin(gateway.url);
    expect(await fake.pushWebhook({ update_id: 1, ...textUpdate(customer, 10, 'My deposit arrived, thanks') }, { url })).toEqual([200]);
    conversationId = (await conversationOfChat(gateway, token, customer.id)).id;
    // What the outbound worker calls for a survey, on the gateway's own adapter.
    const adapter = gateway.deps.adapters.get(CHANNEL_ID)!;
    const [sent] = (await adapter.sendChoice!(chatAddress(customer.id, conversationId), surveyMessage(CHOICE))).externalIds;
    surveyId = Number(sent!.split(':')[1]);
  });
  afterAll(async () => {
    await gateway?.dispose();
    await fake?.stop();
  });

  it('the keyboard arrives under the question: five buttons, each carrying its choice token', () => {
    const keyboard = fake.message(customer.id, surveyId)!.reply_markup!.inline_keyboard;
    expect(keyboard.flat().map((b) => [b.text, b.callback_data])).toEqual([1, 2, 3, 4, 5].map((n) => [`${n} ${'★'.repeat(n)}`, `c|${CHOICE}|${n}`]));
  });

  it("a press is stored once in the customer's conversation, though Telegram delivers it again, at once and after it was stored; the message then says the answered text", async () => {
    const update = press('4');
    expect(await fake.pushWebhook(update, { url })).toEqual([200]);
    expect(await Promise.all([1, 2].map(() => fake.pushWebhook(update, { url })))).toEqual([[200], [200]]);
    await eventually(async () => ((await storedCount(gateway, `cb:${queryId(update)}`)) === 1 ? true : undefined), 15_000);
    expect(await fake.pushWebhook(update, { url })).toEqual([200]);
    await settle(11);
    const stored = await rows(`cb:${queryId(update)}`);
    expect(stored).toEqual([{ text: '4 ★★★★', conversation_id: conversationId, direction: 'inbound', choice: { id: CHOICE, picked: '4' } }]);
    expect(fake.answered(queryId(update))).toBe(true);
    const survey = fake.message(customer.id, surveyId)!;
    expect(survey.text).toBe('Thanks — you rated 4/5');
    expect(survey.reply_markup).toBeUndefined();
  });

  it('a button press that is not ours (foreign or malformed callback_data) is answered and stores nothing', async () => {
    const before = await inboundCount();
    const foreign = telegramFixture('callback-query');
    const malformed = [press('4', 'c|01JCSAT|4'), press('4', `c|${CHOICE}|`), press('4', `c|${CHOICE}|4|extra`), press('4', 'x'.repeat(64))];
    expect(await fake.pushWebhook(foreign, { url })).toEqual([200]);
    for (const update of malformed) expect(await fake.pushWebhook(update, { url })).toEqual([200]);
    await settle(12);
    expect(await inboundCount()).toBe(before + 1);
    for (const update of malformed) expect(fake.answered(queryId(update))).toBe(true);
  });

  it('a press with a forged or missing webhook secret is refused (403/401): not stored, not answered', async () => {
    const forged = press('1');
    expect(await fake.pushWebhook(forged, { url, secret: 'not-the-secret' })).toEqual([403]);
    expect(await fake.pushWebhook(forged, { url, secret: null })).toEqual([401]);
    await settle(13);
    expect(await storedCount(gateway, `cb:${queryId(forged)}`)).toBe(0);
    expect(fake.answered(queryId(forged))).toBe(false);
  });
});
