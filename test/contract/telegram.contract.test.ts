import { parseChoiceToken } from '../../src/domain/choice.js';
import { failures, FakeBotApi, type FakeUpdate } from '../fakes/telegram/bot-api.js';
import { CHANNEL_ID, startTelegramGateway, WEBHOOK_SECRET } from '../fakes/telegram/harness.js';
import { textUpdate } from '../fakes/telegram/updates.js';
import type { TestGateway } from '../support/gateway.js';
import { describeChannelContract } from './channel-contract.js';

describeChannelContract('telegram', () => {
  let fake: FakeBotApi;
  let gateway: TestGateway;
  const customer = { id: 5_550_001, first_name: 'Contract', username: 'contract_customer' };
  const webhookUrl = (): string => `${gateway.url}/webhooks/${CHANNEL_ID}`;
  /** Each pick's callback_query update, so the same `n` is Telegram delivering that same press again. */
  const presses = new Map<number, FakeUpdate>();
  const push = async (update: FakeUpdate): Promise<void> => {
    const [status] = await fake.pushWebhook(update, { url: webhookUrl(), secret: WEBHOOK_SECRET });
    if (status !== 200) throw new Error(`webhook answered ${status}`);
  };
  return {
    channelId: CHANNEL_ID,
    async start() {
      fake = await FakeBotApi.start();
      gateway = await startTelegramGateway(fake);
      return gateway;
    },
    async deliver(n, text) {
      await push(fake.queueUpdate(textUpdate(customer, n, text)));
    },
    async forge(n, text) {
      const update = fake.queueUpdate(textUpdate(customer, n, text));
      const [status] = await fake.pushWebhook(update, { url: webhookUrl(), secret: 'not-the-secret', attempts: 1 });
      return status ?? 0;
    },
    async received() {
      return fake.delivered.filter((d) => d.chatId === String(customer.id)).map((d) => String(d.params.text));
    },
    failNextSend(kind) {
      const failure = kind === 'retryable' ? failures.serverError() : failures.blocked();
      fake.failNext(customer.id, failure);
      return failure.description;
    },
    clearFailures() {
      fake.unblock(customer.id);
    },
    /** Messages that came with an inline keyboard; the options are the values its buttons' data carry. */
    async choices() {
      return fake.delivered
        .filter((d) => d.chatId === String(customer.id) && isKeyboard(d.params.reply_markup))
        .map((d) => ({
          ref: String(d.messageId),
          text: String(d.params.text),
          options: (d.params.reply_markup as Keyboard).inline_keyboard.flat().flatMap((button) => {
            const picked = button.callback_data === undefined ? undefined : parseChoiceToken(button.callback_data);
            return picked ? [picked.value] : [];
          }),
          labels: (d.params.reply_markup as Keyboard).inline_keyboard.flat().flatMap((button) => (button.callback_data && parseChoiceToken(button.callback_data) ? [button.text] : [])),
        }));
    },
    /** The customer presses the button with that value under the message `ref` (a callback_query, by webhook). */
    async pick(n, ref, value) {
      let update = presses.get(n);
      if (!update) {
        const keyboard = fake.delivered.find((d) => d.chatId === String(customer.id) && String(d.messageId) === ref)?.params.reply_markup;
        const button = isKeyboard(keyboard) ? keyboard.inline_keyboard.flat().find((b) => b.callback_data !== undefined && parseChoiceToken(b.callback_data)?.value === value) : undefined;
        if (!button?.callback_data) throw new Error(`message ${ref} has no button for ${value}`);
        update = fake.pressButton(customer, customer.id, Number(ref), button.callback_data);
        presses.set(n, update);
      }
      await push(update);
    },
    async stop() {
      await fake?.stop();
    },
  };
});

type Keyboard = { inline_keyboard: { text: string; callback_data?: string }[][] };
const isKeyboard = (value: unknown): value is Keyboard => typeof value === 'object' && value !== null && Array.isArray((value as Keyboard).inline_keyboard);
