import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeBotApi } from '../../fakes/telegram/bot-api.js';
import { CHANNEL_ID, conversationOfChat, startTelegramGateway, WEBHOOK_SECRET } from '../../fakes/telegram/harness.js';
import { textUpdate } from '../../fakes/telegram/updates.js';
import type { TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';

/**
 * The desk's survey on Telegram, as a customer meets it: the outbound worker sends it with
 * `sendChoice`, the press comes back by webhook, and the message ends saying the desk's own
 * `answered` text for that score (the adapter renders, the desk words).
 */
describe("the desk's satisfaction survey on Telegram (real gateway, desk, Redis and Postgres)", () => {
  let fake: FakeBotApi;
  let gateway: TestGateway;
  let token: string;
  let conversationId: string;
  const customer = { id: 4_950_000_010, first_name: 'Noor', username: 'noor_h', language_code: 'en' };
  const url = () => `${gateway.url}/webhooks/${CHANNEL_ID}`;

  beforeAll(async () => {
    fake = await FakeBotApi.start();
    gateway = await startTelegramGateway(fake, {}, { desk: { safety: { footer: false }, autoAck: false, csat: { enabled: true, delay: '0s' } } });
    token = await loginAdmin(gateway.url);
    expect(await fake.pushWebhook({ update_id: 1, ...textUpdate(customer, 30, 'I sent USDT to the wrong network') }, { url: url(), secret: WEBHOOK_SECRET })).toEqual([200]);
    conversationId = (await conversationOfChat(gateway, token, customer.id)).id;
    const reply = await request(gateway.url, 'POST', `/api/conversations/${conversationId}/messages`, { token, body: { text: 'Recovered it for you.' } });
    expect(reply.status).toBe(202);
    await eventually(async () => (fake.delivered.some((d) => d.params.text === 'Recovered it for you.') ? true : undefined), 15_000);
  });
  afterAll(async () => {
    await gateway?.dispose();
    await fake?.stop();
  });

  it('resolving sends the survey with buttons; a press rates the conversation and the message then says what the desk wrote for that score', async () => {
    expect((await request(gateway.url, 'PATCH', `/api/conversations/${conversationId}`, { token, body: { status: 'resolved' } })).status).toBe(200);
    const survey = await eventually(async () => fake.delivered.find((d) => d.chatId === String(customer.id) && d.params.reply_markup !== undefined), 20_000, 'the survey');
    const buttons = fake.message(customer.id, survey.messageId)!.reply_markup!.inline_keyboard.flat();
    expect(buttons).toHaveLength(5);
    const four = buttons.find((b) => b.callback_data?.endsWith('|4'))!;
    const update = fake.pressButton(customer, customer.id, survey.messageId, four.callback_data!);
    expect(await fake.pushWebhook(update, { url: url(), secret: WEBHOOK_SECRET })).toEqual([200]);
    const rated = await eventually(async () => {
      const c = (await request(gateway.url, 'GET', `/api/conversations/${conversationId}`, { token })).body;
      return c.csat ? c : undefined;
    }, 20_000, 'the rating');
    expect(rated.csat.rating).toBe(4);
    const question = await gateway.deps.db.selectFrom('messages').select('choice').where('conversation_id', '=', conversationId).where('direction', '=', 'outbound').where('external_id', '=', `${customer.id}:${survey.messageId}`).executeTakeFirstOrThrow();
    const answered = question.choice?.options?.find((o) => o.value === '4')?.answered;
    expect(answered).toBeTruthy();
    const edited = fake.message(customer.id, survey.messageId)!;
    expect(edited.text).toBe(answered);
    expect(edited.reply_markup).toBeUndefined();
    expect(fake.answered((update.callback_query as { id: string }).id)).toBe(true);
  });
});
