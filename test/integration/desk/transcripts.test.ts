import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSmtp } from '../../fakes/email/smtp.js';
import { ScriptedChannel } from '../../fakes/scripted-channel.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';
import { pdfText } from '../../support/pdf-text.js';

/** The same fake platform, but one that cannot carry files (as X DMs through some APIs). */
class TextOnlyChannel extends ScriptedChannel {
  override readonly capabilities = { maxTextLength: 1000, formats: ['text'] as const, attachments: false, replyWindowHours: null, threadsByReference: true };
}

const PHRASE = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const NOTE = 'internal: customer flagged by compliance 合规标记';

interface ApiMessage { id: string; text: string; private: boolean; status: string; author: { type: string; name: string }; attachments: { id: string; name?: string; mimeType?: string }[] }

describe('transcripts for the customer (issue 17)', () => {
  let smtp: FakeSmtp;
  let gateway: TestGateway;
  let token: string;
  const scripted = new ScriptedChannel();
  const textOnly = new TextOnlyChannel('textonly', 'textonly-secret');

  beforeAll(async () => {
    smtp = await FakeSmtp.start();
    gateway = await startTestGateway({
      extraAdapters: [scripted, textOnly],
      channels: [
        { id: 'web', kind: 'webchat' },
        {
          id: 'mail',
          kind: 'email',
          address: 'support@example.com',
          // No mailbox to read in this test: only the outbound path is used.
          imap: { host: '127.0.0.1', port: 9, secure: false, starttls: 'off', user: 'u', password: 'p', timeoutSeconds: 1 },
          smtp: { host: '127.0.0.1', port: smtp.port, secure: false, starttls: 'off' },
        },
      ],
    });
    token = await loginAdmin(gateway.url);
  });
  afterAll(async () => {
    await gateway?.dispose();
    await smtp?.stop();
  });

  const say = async (channel: ScriptedChannel, secret: string, from: string, id: string, text: string) => {
    const res = await request(gateway.url, 'POST', `/webhooks/${channel.id}`, { headers: { 'x-secret': secret }, body: { id, from, text } });
    expect(res.status).toBe(200);
  };
  const conversationOf = (channelId: string) =>
    eventually(async () => {
      const res = await request<{ items: { id: string; channelId: string }[] }>(gateway.url, 'GET', `/api/conversations?channel=${channelId}`, { token });
      return res.body.items[0]?.id;
    }, 10_000, `a conversation on ${channelId}`);
  const messagesOf = async (conversationId: string) =>
    (await request<{ items: ApiMessage[] }>(gateway.url, 'GET', `/api/conversations/${conversationId}/messages?limit=200`, { token })).body.items;

  /** A Chinese-speaking customer, an agent's answer, an internal note and a recovery phrase the safety filter removed. */
  async function conversationWithHistory(channel: ScriptedChannel, secret: string, from: string): Promise<string> {
    await say(channel, secret, from, `${from}-1`, '我的转账还没到账，请帮忙');
    const id = await conversationOf(channel.id);
    expect((await request(gateway.url, 'POST', `/api/conversations/${id}/messages`, { token, body: { text: '请提供交易哈希，我们来查。' } })).status).toBe(202);
    expect((await request(gateway.url, 'POST', `/api/conversations/${id}/messages`, { token, body: { text: NOTE, private: true } })).status).toBe(202);
    await say(channel, secret, from, `${from}-2`, `是不是要这个 ${PHRASE}`);
    await eventually(async () => ((await messagesOf(id)).length >= 4 ? true : undefined), 10_000, 'the history');
    return id;
  }

  it('via channel: the PDF goes to the customer as a file on their channel, in Chinese, without the note, and is recorded as the agent\'s reply', async () => {
    const id = await conversationWithHistory(scripted, 'scripted-secret', 'cust-1');
    const res = await request<{ messageId: string; via: string; channelId: string }>(gateway.url, 'POST', `/api/conversations/${id}/transcript`, { token, body: { via: 'channel' } });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ via: 'channel', channelId: 'scripted' });
    const send = await eventually(async () => scripted.sends.find((s) => s.message.messageId === res.body.messageId), 10_000, 'the transcript send');
    expect(send.message.text).toBe('这是我们对话的记录（PDF）。');
    expect(send.message.attachments).toHaveLength(1);
    const file = send.message.attachments[0]!;
    expect(file.mimeType).toBe('application/pdf');
    expect(file.name).toMatch(/^对话记录-\d{4}-\d{2}-\d{2}-.+\.pdf$/);
    const pdf = await file.read();
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(pdf);
    expect(text).toContain('我的转账还没到账，请帮忙');
    expect(text).toContain('请提供交易哈希，我们来查。');
    expect(text).toContain('[为了您的安全已移除]');
    expect(text).not.toContain('合规标记');
    expect(text).not.toContain('compliance');
    expect(text).not.toContain('abandon');

    const recorded = (await messagesOf(id)).find((m) => m.id === res.body.messageId)!;
    expect(recorded).toMatchObject({ private: false, author: { type: 'agent' } });
    expect(recorded.attachments[0]?.mimeType).toBe('application/pdf');
    await eventually(async () => ((await messagesOf(id)).find((m) => m.id === res.body.messageId)?.status === 'sent' ? true : undefined), 10_000, 'sent');
  });

  it('via channel on a channel that cannot send files: 409 naming the channel, nothing sent', async () => {
    const id = await conversationWithHistory(textOnly, 'textonly-secret', 'cust-2');
    const res = await request<{ error: { code: string; message: string } }>(gateway.url, 'POST', `/api/conversations/${id}/transcript`, { token, body: { via: 'channel', format: 'html' } });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('channel_cannot_send_files');
    expect(res.body.error.message).toContain('textonly');
    // The agent's reply may still be on its way; no file and no covering message ever is.
    const messages = await messagesOf(id);
    expect(messages.some((m) => m.attachments.length > 0 || m.text.includes('对话的记录'))).toBe(false);
    expect(textOnly.sends.some((s) => s.message.attachments.length > 0)).toBe(false);
  });

  it('via email: the HTML transcript is mailed through the email channel, the note is not in it, the conversation records it', async () => {
    const id = await conversationOf('scripted');
    const noAddress = await request<{ error: { code: string; message: string } }>(gateway.url, 'POST', `/api/conversations/${id}/transcript`, { token, body: { via: 'email' } });
    expect(noAddress.status).toBe(400);
    expect(noAddress.body.error.message).toMatch(/^to: /);
    const bad = await request<{ error: { message: string } }>(gateway.url, 'POST', `/api/conversations/${id}/transcript`, { token, body: { via: 'email', to: 'not-an-address' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('to');

    const sendsBefore = scripted.sends.length;
    const res = await request<{ messageId: string; channelId: string }>(gateway.url, 'POST', `/api/conversations/${id}/transcript`, {
      token,
      body: { via: 'email', to: 'wang@customer.example', format: 'html' },
    });
    expect(res.status).toBe(202);
    expect(res.body.channelId).toBe('mail');
    const mail = await eventually(async () => smtp.received.find((m) => m.envelope.to.includes('wang@customer.example')), 15_000, 'the transcript mail');
    const parsed = await simpleParser(mail.raw);
    expect(parsed.text).toContain('这是我们对话的记录（HTML）。');
    expect(parsed.attachments).toHaveLength(1);
    const html = parsed.attachments[0]!.content.toString('utf8');
    expect(parsed.attachments[0]!.contentType).toBe('text/html');
    expect(html).toContain('我的转账还没到账，请帮忙');
    expect(html).toContain('[为了您的安全已移除]');
    expect(html).not.toContain('合规标记');
    expect(html).not.toContain('abandon');

    const recorded = await eventually(async () => (await messagesOf(id)).find((m) => m.id === res.body.messageId), 10_000, 'the record');
    expect(recorded).toMatchObject({ status: 'sent', private: false, author: { type: 'agent' } });
    expect(recorded.text).toContain('wang@customer.example');
    expect(recorded.attachments[0]?.mimeType).toBe('text/html');
    // Sent by mail only: the customer's own channel was not used for it.
    expect(scripted.sends.slice(sendsBefore).some((s) => s.message.messageId === res.body.messageId)).toBe(false);
  });

  it('unknown conversation: 404; bad field: 400 naming it', async () => {
    expect((await request(gateway.url, 'POST', '/api/conversations/nope/transcript', { token, body: { via: 'channel' } })).status).toBe(404);
    const res = await request<{ error: { message: string } }>(gateway.url, 'POST', '/api/conversations/nope/transcript', { token, body: { via: 'fax' } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('via');
  });
});

describe('transcripts without an email channel', () => {
  let gateway: TestGateway;
  const scripted = new ScriptedChannel();
  beforeAll(async () => {
    gateway = await startTestGateway({ extraAdapters: [scripted] });
  });
  afterAll(async () => gateway?.dispose());

  it('via email: 409 saying no email channel is configured', async () => {
    const token = await loginAdmin(gateway.url);
    await request(gateway.url, 'POST', '/webhooks/scripted', { headers: { 'x-secret': 'scripted-secret' }, body: { id: 'x1', from: 'c', text: 'hello' } });
    const id = await eventually(async () => (await request<{ items: { id: string }[] }>(gateway.url, 'GET', '/api/conversations?channel=scripted', { token })).body.items[0]?.id);
    const res = await request<{ error: { code: string } }>(gateway.url, 'POST', `/api/conversations/${id}/transcript`, { token, body: { via: 'email', to: 'a@b.example' } });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('no_email_channel');
  });
});
