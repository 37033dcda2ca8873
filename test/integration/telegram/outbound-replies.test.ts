import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeBotApi } from '../../fakes/telegram/bot-api.js';
import { CHANNEL_ID, conversationOfChat, startTelegramGateway, WEBHOOK_SECRET } from '../../fakes/telegram/harness.js';
import { textUpdate } from '../../fakes/telegram/updates.js';
import type { TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';

describe('agent replies reach the Telegram chat', () => {
  let fake: FakeBotApi;
  let gateway: TestGateway;
  let token: string;
  let conversationId: string;
  const customer = { id: 4_500_000_005, first_name: 'Priya', username: 'priya_s' };
  const chat = String(customer.id);

  const reply = async (body: Record<string, unknown>): Promise<string> => {
    const response = await request(gateway.url, 'POST', `/api/conversations/${conversationId}/messages`, { token, body });
    expect(response.status).toBe(202);
    return response.body.id as string;
  };
  const sentMessage = (id: string) =>
    eventually(async () => {
      const items = (await request(gateway.url, 'GET', `/api/conversations/${conversationId}/messages?limit=200`, { token })).body.items;
      const found = items.find((m: { id: string; status: string }) => m.id === id && m.status === 'sent');
      return found as { externalId: string } | undefined;
    }, 15_000, `reply ${id} sent`);
  const upload = async (bytes: Buffer, type: string, name: string): Promise<string> => {
    const response = await request(gateway.url, 'POST', '/api/attachments', { token, raw: bytes, headers: { 'content-type': type, 'x-filename': encodeURIComponent(name) } });
    expect(response.status).toBe(201);
    return response.body.id as string;
  };

  beforeAll(async () => {
    fake = await FakeBotApi.start();
    gateway = await startTelegramGateway(fake);
    token = await loginAdmin(gateway.url);
    const statuses = await fake.pushWebhook({ update_id: 1, ...textUpdate(customer, 77, 'How do I reset 2FA?') }, { url: `${gateway.url}/webhooks/${CHANNEL_ID}`, secret: WEBHOOK_SECRET });
    expect(statuses).toEqual([200]);
    conversationId = (await conversationOfChat(gateway, token, customer.id)).id;
  });
  afterAll(async () => {
    await gateway?.dispose();
    await fake?.stop();
  });

  it('a 5,000-character reply arrives as two sendMessage calls, in order, at least a second apart', async () => {
    const first = '第一部分。'.repeat(600);
    const second = 'Part two of the answer. '.repeat(84);
    const before = fake.callsOf('sendMessage').length;
    const id = await reply({ text: `${first}\n\n${second}` });
    const sent = await sentMessage(id);
    const calls = fake.callsOf('sendMessage').slice(before);
    expect(calls.map((call) => call.params.chat_id)).toEqual([chat, chat]);
    expect(calls.map((call) => call.params.text)).toEqual([first, second.trimEnd()]);
    // Telegram allows about one message per second per chat.
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(950);
    expect(sent.externalId).toMatch(new RegExp(`^${chat}:\\d+$`));
  });

  it('a reply to a specific customer message carries reply_parameters for that message', async () => {
    const before = fake.callsOf('sendMessage').length;
    const id = await reply({ text: 'Open Settings → Security → 2FA.', replyToExternalId: `${chat}:77` });
    await sentMessage(id);
    const [call] = fake.callsOf('sendMessage').slice(before);
    expect(call?.params.reply_parameters).toEqual({ message_id: 77, allow_sending_without_reply: true });
  });

  it('an image goes out with sendPhoto and a PDF with sendDocument, as multipart uploads with their names and bytes', async () => {
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from('tiny png body')]);
    const pdf = Buffer.from('%PDF-1.4\n% 恢复步骤\n%%EOF\n');
    const attachments = [await upload(png, 'image/png', 'steps.png'), await upload(pdf, 'application/pdf', '恢复步骤.pdf')];
    const id = await reply({ text: 'Here are the steps:', attachments });
    const sent = await sentMessage(id);
    const photo = fake.callsOf('sendPhoto').at(-1)!;
    const document = fake.callsOf('sendDocument').at(-1)!;
    expect(photo.params.chat_id).toBe(chat);
    expect(photo.files.photo?.filename).toBe('steps.png');
    expect(photo.files.photo?.bytes.equals(png)).toBe(true);
    expect(document.files.document?.filename).toBe('恢复步骤.pdf');
    expect(document.files.document?.bytes.equals(pdf)).toBe(true);
    // Text first, then the files, in the order the agent attached them.
    expect(fake.callsOf('sendMessage').at(-1)!.at).toBeLessThan(photo.at);
    expect(photo.at).toBeLessThan(document.at);
    const row = await gateway.deps.db.selectFrom('messages').select('sent_parts').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.sent_parts).toHaveLength(3);
    expect(row.sent_parts[0]).toBe(sent.externalId);
  });
});
