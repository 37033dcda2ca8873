import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { telegramConfig } from '../../../adapters/telegram/config.js';
import { createTelegramAdapter } from '../../../adapters/telegram/index.js';
import type { ChannelAdapter } from '../../../src/channels/contract.js';
import { PermanentChannelError, RetryableChannelError } from '../../../src/channels/errors.js';
import { failures, FakeBotApi } from '../../fakes/telegram/bot-api.js';
import { chatAddress, surveyMessage } from '../../fakes/telegram/harness.js';
import { testAdapterContext } from '../../support/adapter-context.js';

describe('a survey goes out as a Telegram message with an inline keyboard (adapter alone)', () => {
  let fake: FakeBotApi;
  let adapter: ChannelAdapter;
  const chat = 4_600_000_006;

  beforeEach(async () => {
    fake = await FakeBotApi.start();
    adapter = createTelegramAdapter(telegramConfig.parse({ id: 'tg', kind: 'telegram', token: fake.token, secretToken: 'send-secret', apiRoot: fake.url, rateLimits: false }), testAdapterContext());
  });
  afterEach(async () => fake.stop());

  it('declares buttons, and sends the question once with one callback button per option, in one row, each carrying c|<id>|<value>', async () => {
    expect(adapter.capabilities.buttons).toBe(true);
    const result = await adapter.sendChoice!(chatAddress(chat), surveyMessage('01jcsat0survey0000000000ab', { replyToExternalId: `${chat}:77` }));
    const calls = fake.callsOf('sendMessage');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.params).toMatchObject({ chat_id: String(chat), text: 'How would you rate our help? Tap a score.', reply_parameters: { message_id: 77, allow_sending_without_reply: true } });
    expect(calls[0]!.params.reply_markup).toEqual({
      inline_keyboard: [[1, 2, 3, 4, 5].map((n) => ({ text: `${n} ${'★'.repeat(n)}`, callback_data: `c|01jcsat0survey0000000000ab|${n}` }))],
    });
    const [delivered] = fake.delivered;
    expect(result.externalIds).toEqual([`${chat}:${delivered!.messageId}`]);
    expect(fake.message(chat, delivered!.messageId)?.reply_markup?.inline_keyboard.flat()).toHaveLength(5);
  });

  it('captions too long for one row take two, in their order', async () => {
    const labels = ['Very unhappy', 'Unhappy', 'It was okay', 'Happy', 'Very happy'];
    const message = surveyMessage('twor0ws');
    const long = { ...message, choice: { ...message.choice, options: message.choice.options.map((o, i) => ({ ...o, label: labels[i]! })) } };
    await adapter.sendChoice!(chatAddress(chat), long);
    const keyboard = fake.callsOf('sendMessage')[0]!.params.reply_markup as { inline_keyboard: { text: string }[][] };
    expect(keyboard.inline_keyboard.map((row) => row.map((b) => b.text))).toEqual([labels.slice(0, 3), labels.slice(3)]);
  });

  it('an option that could not come back from a button (a value or id our token cannot carry) is refused before anything is sent', async () => {
    const message = surveyMessage('valid0id');
    const badValue = { ...message, choice: { ...message.choice, options: [{ value: 'Five|5', label: '5', answered: 'x' }] } };
    const badId = { ...message, choice: { ...message.choice, id: 'NOT-OURS' } };
    const noCaption = { ...message, choice: { ...message.choice, options: [{ value: '5', label: '  ', answered: 'x' }] } };
    for (const refused of [badValue, badId, noCaption]) {
      await expect(adapter.sendChoice!(chatAddress(chat), refused)).rejects.toBeInstanceOf(PermanentChannelError);
    }
    expect(fake.callsOf('sendMessage')).toHaveLength(0);
  });

  it("Telegram's 429 is retryable after its retry_after, and a blocked bot is a permanent `blocked`, as for any reply", async () => {
    fake.failNext(chat, failures.tooManyRequests(7));
    const limited = await adapter.sendChoice!(chatAddress(chat), surveyMessage('ratelimited')).catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(RetryableChannelError);
    expect((limited as RetryableChannelError).retryAfterMs).toBe(7_000);
    fake.block(chat);
    await expect(adapter.sendChoice!(chatAddress(chat), surveyMessage('blocked'))).rejects.toMatchObject({ code: 'blocked' });
    expect(fake.delivered).toHaveLength(0);
  });
});
