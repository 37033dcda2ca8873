import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeBotApi, failures } from '../../fakes/telegram/bot-api.js';
import { CHANNEL_ID, conversationOfChat, startTelegramGateway, WEBHOOK_SECRET } from '../../fakes/telegram/harness.js';
import { textUpdate } from '../../fakes/telegram/updates.js';
import type { TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';

describe('Telegram send failures: waited out, retried, or shown to the agent', () => {
  let fake: FakeBotApi;
  let gateway: TestGateway;
  let token: string;
  let conversationId: string;
  const customer = { id: 4_600_000_006, first_name: 'Tomás' };
  const chat = String(customer.id);

  const reply = async (text: string): Promise<string> => {
    const response = await request(gateway.url, 'POST', `/api/conversations/${conversationId}/messages`, { token, body: { text } });
    expect(response.status).toBe(202);
    return response.body.id as string;
  };
  const messageIn = (id: string, status: string) =>
    eventually(async () => {
      const items = (await request(gateway.url, 'GET', `/api/conversations/${conversationId}/messages?limit=200`, { token })).body.items;
      return items.find((m: { id: string; status: string }) => m.id === id && m.status === status) as { error?: unknown; externalId: string } | undefined;
    }, 20_000, `reply ${id} ${status}`);
  const sendsOf = (text: string) => fake.callsOf('sendMessage').filter((call) => call.params.text === text);

  beforeAll(async () => {
    fake = await FakeBotApi.start();
    gateway = await startTelegramGateway(fake);
    token = await loginAdmin(gateway.url);
    await fake.pushWebhook({ update_id: 1, ...textUpdate(customer, 5, 'Hola, my card was charged twice') }, { url: `${gateway.url}/webhooks/${CHANNEL_ID}`, secret: WEBHOOK_SECRET });
    conversationId = (await conversationOfChat(gateway, token, customer.id)).id;
  });
  afterAll(async () => {
    await gateway?.dispose();
    await fake?.stop();
  });

  it('a 429 with retry_after 1 is waited out, then the reply is delivered once', async () => {
    fake.failNext(chat, failures.tooManyRequests(1));
    const text = 'We have refunded the duplicate charge.';
    const id = await reply(text);
    await messageIn(id, 'sent');
    const attempts = sendsOf(text);
    expect(attempts).toHaveLength(2);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('"bot was blocked by the user" fails at once with that reason; after the user unblocks, retry delivers it', async () => {
    fake.block(chat);
    const text = 'Are you still there?';
    const id = await reply(text);
    const failed = await messageIn(id, 'failed');
    expect(failed.error).toEqual({ code: 'blocked', message: 'Forbidden: bot was blocked by the user', retryable: false });
    expect(sendsOf(text)).toHaveLength(1);

    fake.unblock(chat);
    const retried = await request(gateway.url, 'POST', `/api/messages/${id}/retry`, { token });
    expect(retried.status).toBe(202);
    const sent = await messageIn(id, 'sent');
    expect(sent.error).toBeUndefined();
    expect(sendsOf(text)).toHaveLength(2);
  });

  it('"chat not found" is a permanent failure with code chat_not_found', async () => {
    fake.failNext(chat, failures.chatNotFound());
    const id = await reply('This chat is gone.');
    const failed = await messageIn(id, 'failed');
    expect(failed.error).toEqual({ code: 'chat_not_found', message: 'Bad Request: chat not found', retryable: false });
  });

  it('a split reply whose second part meets a 500 is retried from the second part: each part reaches the chat once', async () => {
    const first = 'A'.repeat(3000);
    const second = 'B'.repeat(2000);
    fake.failNext(chat, 'ok', failures.serverError());
    const id = await reply(`${first}\n\n${second}`);
    const sent = await messageIn(id, 'sent');
    expect(sendsOf(first)).toHaveLength(1);
    expect(sendsOf(second)).toHaveLength(2);
    const row = await gateway.deps.db.selectFrom('messages').select('sent_parts').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.sent_parts).toHaveLength(2);
    expect(sent.externalId).toBe(row.sent_parts[0]);
  });
});
