import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dovecot } from '../../fakes/email/dovecot.js';
import { conversationOfMessage, customerMail, messagesOf, newMessageId, reply, sentExternalId, startEmailGateway } from '../../fakes/email/harness.js';
import { FakeSmtp } from '../../fakes/email/smtp.js';
import type { TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';

describe('email: what the MTA answers decides between retry and failure', () => {
  let dovecot: Dovecot;
  let smtp: FakeSmtp;
  let gateway: TestGateway;
  let token: string;
  let conversationId: string;

  beforeAll(async () => {
    dovecot = await Dovecot.start();
    smtp = await FakeSmtp.start();
    gateway = await startEmailGateway(dovecot, smtp);
    token = await loginAdmin(gateway.url);
    const opener = newMessageId();
    await dovecot.append(customerMail({ messageId: opener, text: 'Where is my refund?' }));
    conversationId = await conversationOfMessage(gateway, opener);
  });
  afterAll(async () => {
    await gateway?.dispose();
    await smtp?.stop();
    await dovecot?.dispose();
  });

  it('two 451 replies: retried, delivered once, and every attempt carried the same Message-ID', async () => {
    smtp.failNext(451, '4.7.1 Greylisted, please try again later', 2);
    const id = await reply(gateway, token, conversationId, 'Your refund was sent today.');
    const ours = await sentExternalId(gateway, token, conversationId, id, 30_000);
    const delivered = smtp.received.filter((m) => m.raw.includes('Your refund was sent today.'));
    expect(delivered).toHaveLength(1);
    expect(smtp.refused.map((m) => m.code)).toEqual([451, 451]);
    const ids = await Promise.all([...smtp.refused, ...delivered].map(async (m) => (await simpleParser(m.raw)).messageId));
    expect(ids).toEqual([ours, ours, ours]);
  });

  it("a 554 fails the reply with the server's own words; a retry from the inbox sends it once the server accepts", async () => {
    smtp.failNext(554, '5.7.1 Message rejected: the sender domain has no SPF record');
    const id = await reply(gateway, token, conversationId, 'Second answer.');
    const failed = await eventually(async () => {
      const message = (await messagesOf(gateway, token, conversationId)).find((m) => m.id === id);
      return message?.status === 'failed' ? message : undefined;
    }, 15_000, 'the reply to fail');
    expect(failed.error).toEqual({
      code: 'rejected',
      message: 'the mail server refused the message: 554 5.7.1 Message rejected: the sender domain has no SPF record',
      retryable: false,
    });
    expect((await request(gateway.url, 'POST', `/api/messages/${id}/retry`, { token })).status).toBe(202);
    await sentExternalId(gateway, token, conversationId, id);
    expect(smtp.received.filter((m) => m.raw.includes('Second answer.'))).toHaveLength(1);
  });

  it('a 451 at RCPT TO (greylisting, where real MTAs defer): retried, and the reply is delivered once', async () => {
    const refusedAtData = smtp.refused.length;
    smtp.failNextAtRcpt(451, '4.7.1 Greylisted, please try again later');
    const id = await reply(gateway, token, conversationId, 'Greylisted answer.');
    const ours = await sentExternalId(gateway, token, conversationId, id, 30_000);
    const delivered = smtp.received.filter((m) => m.raw.includes('Greylisted answer.'));
    expect(delivered).toHaveLength(1);
    expect((await simpleParser(delivered[0]!.raw)).messageId).toBe(ours);
    expect(smtp.refusedAtRcpt.map((m) => ({ code: m.code, to: m.envelope.to }))).toEqual([{ code: 451, to: ['alice@customer.example'] }]);
    // Refused before DATA: the refused attempt never sent its content.
    expect(smtp.refused).toHaveLength(refusedAtData);
  });

  it("a 550 'user unknown' at RCPT TO fails the reply with the server's own words", async () => {
    const refusedAtData = smtp.refused.length;
    smtp.failNextAtRcpt(550, '5.1.1 <alice@customer.example>: Recipient address rejected: User unknown in virtual mailbox table');
    const id = await reply(gateway, token, conversationId, 'Answer to nobody.');
    const failed = await eventually(async () => {
      const message = (await messagesOf(gateway, token, conversationId)).find((m) => m.id === id);
      return message?.status === 'failed' ? message : undefined;
    }, 15_000, 'the reply to fail');
    expect(failed.error).toEqual({
      code: 'rejected',
      message: 'the mail server refused the message: 550 5.1.1 <alice@customer.example>: Recipient address rejected: User unknown in virtual mailbox table',
      retryable: false,
    });
    expect(smtp.refusedAtRcpt.at(-1)).toEqual({ code: 550, envelope: { from: 'support@example.com', to: ['alice@customer.example'] } });
    expect(smtp.refusedAtRcpt.filter((m) => m.code === 550)).toHaveLength(1);
    expect(smtp.refused).toHaveLength(refusedAtData);
    expect(smtp.received.filter((m) => m.raw.includes('Answer to nobody.'))).toHaveLength(0);
  });
});
