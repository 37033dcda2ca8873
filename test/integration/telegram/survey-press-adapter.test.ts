import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { telegramConfig } from '../../../adapters/telegram/config.js';
import { createTelegramAdapter } from '../../../adapters/telegram/index.js';
import type { AdapterContext, ChannelAdapter, InboundSink, WebhookRequest } from '../../../src/channels/contract.js';
import type { InboundMessageInput } from '../../../src/domain/message.js';
import { failures, FakeBotApi, type FakeUpdate } from '../../fakes/telegram/bot-api.js';
import { chatAddress, surveyMessage } from '../../fakes/telegram/harness.js';
import { testAdapterContext } from '../../support/adapter-context.js';
import { testSink } from '../../support/sink.js';

const SECRET = 'press-secret_7';
const customer = { id: 4_700_000_007, first_name: 'Lin', last_name: 'Wu', username: 'lin_wu', language_code: 'zh-hans' };
const CHOICE = '01jcsat0press00000000000cd';

/**
 * The press of a survey button through the adapter's webhook, with two adapters sharing one
 * channel state (two gateway processes): what is taken, what is answered, how the message ends.
 */
describe('a press on a survey button (adapter alone)', () => {
  let fake: FakeBotApi;
  let context: AdapterContext;
  let sender: ChannelAdapter;
  let receiver: ChannelAdapter;
  let accepted: InboundMessageInput[];
  let sink: InboundSink;
  let surveyId: number;

  const adapter = () => createTelegramAdapter(telegramConfig.parse({ id: 'tg', kind: 'telegram', token: fake.token, secretToken: SECRET, apiRoot: fake.url, rateLimits: false }), context);
  const post = (update: FakeUpdate): WebhookRequest => ({ method: 'POST', query: {}, headers: { 'x-telegram-bot-api-secret-token': SECRET }, rawBody: Buffer.from(JSON.stringify(update)) });
  const press = (value: string, options: { inaccessible?: boolean } = {}) => fake.pressButton(customer, customer.id, surveyId, `c|${CHOICE}|${value}`, options);
  const queryId = (update: FakeUpdate): string => (update.callback_query as { id: string }).id;

  beforeEach(async () => {
    fake = await FakeBotApi.start();
    context = testAdapterContext();
    sender = adapter();
    receiver = adapter();
    accepted = [];
    sink = testSink(async (message) => void accepted.push(message));
    const [sent] = (await sender.sendChoice!(chatAddress(customer.id), surveyMessage(CHOICE))).externalIds;
    surveyId = Number(sent!.split(':')[1]);
  });
  afterEach(async () => fake.stop());

  it("is taken as the customer's pick in their chat, captioned as the button, then answered, and the message says the answered text with the buttons gone — on another process than the one that sent it", async () => {
    const update = press('4');
    expect(await receiver.webhook!(post(update), sink)).toEqual({ status: 200 });
    expect(accepted).toHaveLength(1);
    expect(accepted[0]).toMatchObject({
      channelId: 'tg',
      externalId: `cb:${queryId(update)}`,
      threadKey: String(customer.id),
      sender: { externalId: String(customer.id), name: 'Lin Wu', handle: 'lin_wu' },
      text: '4 ★★★★',
      choice: { id: CHOICE, value: '4' },
      raw: { languageCode: 'zh-hans' },
    });
    expect(Date.parse(accepted[0]!.sentAt)).not.toBeNaN();
    expect(fake.answered(queryId(update))).toBe(true);
    const survey = fake.message(customer.id, surveyId)!;
    expect(survey.text).toBe('Thanks — you rated 4/5');
    expect(survey.reply_markup).toBeUndefined();
    // Answered first (the spinner), then edited.
    const order = fake.calls.map((c) => c.method).filter((m) => m === 'answerCallbackQuery' || m === 'editMessageText');
    expect(order).toEqual(['answerCallbackQuery', 'editMessageText']);
  });

  it('a redelivered press is taken again with the same external id (the store dedups), and answering and editing again are harmless', async () => {
    const update = press('5');
    await receiver.webhook!(post(update), sink);
    expect(await receiver.webhook!(post(update), sink)).toEqual({ status: 200 });
    expect(accepted.map((m) => m.externalId)).toEqual([`cb:${queryId(update)}`, `cb:${queryId(update)}`]);
    // The second answer and edit were refused by Telegram (answered once; not modified): logged, nothing thrown.
    expect(fake.callsOf('answerCallbackQuery')).toHaveLength(2);
    expect(fake.callsOf('editMessageText')).toHaveLength(2);
    expect(fake.message(customer.id, surveyId)!.text).toBe('Thanks — you rated 5/5');
  });

  it('a second press from a client that had not seen the edit yet is passed on, but the message keeps saying the first answer', async () => {
    const first = press('4');
    await receiver.webhook!(post(first), sink);
    // Pressed before the edit reached the phone: Telegram sends the message as it is now, without keyboard.
    const second = press('1');
    await receiver.webhook!(post(second), sink);
    expect(accepted.map((m) => m.choice?.value)).toEqual(['4', '1']);
    expect(fake.answered(queryId(second))).toBe(true);
    expect(fake.callsOf('editMessageText')).toHaveLength(1);
    expect(fake.message(customer.id, surveyId)!.text).toBe('Thanks — you rated 4/5');
  });

  it('when the kept options have expired, the pick is still taken and only the buttons are removed (editMessageReplyMarkup with an empty keyboard)', async () => {
    await context.shared.delete(`choice:${CHOICE}`);
    await receiver.webhook!(post(press('3')), sink);
    expect(accepted.map((m) => m.text)).toEqual(['3 ★★★']);
    expect(fake.callsOf('editMessageText')).toHaveLength(0);
    expect(fake.callsOf('editMessageReplyMarkup').map((c) => c.params.reply_markup)).toEqual([{ inline_keyboard: [] }]);
    const survey = fake.message(customer.id, surveyId)!;
    expect(survey.text).toBe('How would you rate our help? Tap a score.');
    expect(survey.reply_markup).toBeUndefined();
  });

  it('a message too old to come with its content (InaccessibleMessage) is captioned from the kept options and still edited', async () => {
    await receiver.webhook!(post(press('2', { inaccessible: true })), sink);
    expect(accepted.map((m) => m.text)).toEqual(['2 ★★']);
    expect(fake.message(customer.id, surveyId)!.text).toBe('Thanks — you rated 2/5');
    // Without options and content, the value is all there is to read.
    await context.shared.delete(`choice:${CHOICE}`);
    await receiver.webhook!(post(press('2', { inaccessible: true })), sink);
    expect(accepted.map((m) => m.text)).toEqual(['2 ★★', '2']);
  });

  it('a failing answer and a failing edit are logged, never lose the pick', async () => {
    fake.failNextCall('answerCallbackQuery', failures.serverError());
    fake.failNextCall('editMessageText', failures.serverError());
    expect(await receiver.webhook!(post(press('5')), sink)).toEqual({ status: 200 });
    expect(accepted.map((m) => m.choice)).toEqual([{ id: CHOICE, value: '5' }]);
  });

  it('when the queue cannot take the pick, the webhook fails (Telegram redelivers) and the press is neither answered nor the message edited', async () => {
    const update = press('4');
    const down = testSink(async () => {
      throw new Error('inbound queue unavailable');
    });
    await expect(receiver.webhook!(post(update), down)).rejects.toThrow('inbound queue unavailable');
    expect(fake.answered(queryId(update))).toBe(false);
    expect(fake.message(customer.id, surveyId)!.reply_markup).toBeDefined();
  });

  it('a press that does not match the question we sent — a value it did not offer, or from another chat — is answered and not taken', async () => {
    const offValue = press('9');
    await receiver.webhook!(post(offValue), sink);
    // Another customer's client sending the survey's data from its own chat (Telegram does not check data).
    const intruder = { id: 4_700_000_099, first_name: 'Mallory' };
    const [own] = (await sender.send(chatAddress(intruder.id), { ...surveyMessage('other'), text: 'hello' })).externalIds;
    const crossChat = fake.pressButton(intruder, intruder.id, Number(own!.split(':')[1]), `c|${CHOICE}|5`);
    await receiver.webhook!(post(crossChat), sink);
    expect(accepted).toEqual([]);
    expect(fake.answered(queryId(offValue))).toBe(true);
    expect(fake.answered(queryId(crossChat))).toBe(true);
    expect(fake.message(customer.id, surveyId)!.reply_markup).toBeDefined();
  });
});
