import { readFileSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dovecot } from '../../fakes/email/dovecot.js';
import { conversationOfMessage, conversations, customerMail, messagesOf, newMessageId, reply, sentExternalId, startEmailGateway } from '../../fakes/email/harness.js';
import { FakeSmtp } from '../../fakes/email/smtp.js';
import type { TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin } from '../../support/http.js';

const ACK = 'Thanks for writing to Acme. We received your message and will answer in this thread.';
const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/email/${name}`, import.meta.url), 'utf8');

describe('email: acknowledgements, machine mail and bounces', () => {
  let dovecot: Dovecot;
  let smtp: FakeSmtp;
  let gateway: TestGateway;
  let token: string;

  beforeAll(async () => {
    dovecot = await Dovecot.start();
    smtp = await FakeSmtp.start();
    gateway = await startEmailGateway(dovecot, smtp, { autoReply: ACK });
    token = await loginAdmin(gateway.url);
  });
  afterAll(async () => {
    await gateway?.dispose();
    await smtp?.stop();
    await dovecot?.dispose();
  });

  const mailsTo = (address: string) => smtp.received.filter((m) => m.envelope.to.includes(address));
  /** Outbound rows of a conversation: an acknowledgement is saved with the customer's message, in one transaction. */
  const outboundOf = async (conversationId: string) =>
    gateway.deps.db.selectFrom('messages').select(['author_type', 'text']).where('conversation_id', '=', conversationId).where('direction', '=', 'outbound').execute();

  it('a new conversation gets exactly one acknowledgement, marked Auto-Submitted and threaded on the customer mail', async () => {
    const first = newMessageId();
    await dovecot.append(customerMail({ from: 'Ann Park <ann@customer.example>', messageId: first, subject: 'Card declined', text: 'My card is declined everywhere.' }));
    const conversationId = await conversationOfMessage(gateway, first);
    const [ack] = await eventually(async () => (mailsTo('ann@customer.example').length > 0 ? mailsTo('ann@customer.example') : undefined));
    const parsed = await simpleParser(ack!.raw);
    expect(parsed.headers.get('auto-submitted')).toBe('auto-replied');
    expect(parsed.inReplyTo).toBe(first);
    expect(parsed.subject).toBe('Re: Card declined');
    expect(parsed.text?.trim()).toBe(ACK);

    // Her follow-up in the same thread is not acknowledged again.
    const followUp = newMessageId();
    await dovecot.append(customerMail({ from: 'Ann Park <ann@customer.example>', messageId: followUp, inReplyTo: first, references: [first], text: 'Also online.' }));
    expect(await conversationOfMessage(gateway, followUp)).toBe(conversationId);
    expect(await outboundOf(conversationId)).toEqual([{ author_type: 'bot', text: ACK }]);
    expect(mailsTo('ann@customer.example')).toHaveLength(1);
  });

  it('an out-of-office reply and a mailing-list mail are stored as automated and never acknowledged', async () => {
    const outOfOffice = fixture('auto-reply.eml');
    const list = fixture('mailing-list.eml');
    await dovecot.append(outOfOffice);
    await dovecot.append(list);
    const oooConversation = await conversationOfMessage(gateway, '<DB9PR08MB6777A1B2C3D4E5F6A7B8C9D0E1F2@DB9PR08MB6777.eurprd08.prod.outlook.com>');
    const listConversation = await conversationOfMessage(gateway, '<87sf4k2m1x.fsf@users.example>');
    expect(await outboundOf(oooConversation)).toEqual([]);
    expect(await outboundOf(listConversation)).toEqual([]);
    // Neither is waiting for an answer.
    const listed = await conversations(gateway, token);
    for (const id of [oooConversation, listConversation]) expect((listed.find((c) => c.id === id) as unknown as { waitingSince: string | null }).waitingSince).toBeNull();
    // A later normal mail is acknowledged: the pipeline ran, and still nothing went to the machines.
    const later = newMessageId();
    await dovecot.append(customerMail({ from: 'Ben <ben@customer.example>', messageId: later, text: 'hello' }));
    await eventually(async () => (mailsTo('ben@customer.example').length === 1 ? true : undefined));
    expect(mailsTo('carol.jones@contoso.com')).toEqual([]);
    expect(mailsTo('frank@users.example')).toEqual([]);
  });

  it('a bounce marks the reply it names failed with the status and diagnostic, visible through the API, and opens nothing', async () => {
    const opener = newMessageId();
    await dovecot.append(customerMail({ from: 'Cleo <nobody@customer.example>', messageId: opener, text: 'reset my 2FA' }));
    const conversationId = await conversationOfMessage(gateway, opener);
    const replyId = await reply(gateway, token, conversationId, 'Please confirm by replying to this message.');
    const ours = await sentExternalId(gateway, token, conversationId, replyId);
    const before = (await conversations(gateway, token)).length;

    await dovecot.append(fixture('bounce-dsn.eml').replace('<01hs1c4d6f8g0h2j4k6m8n0p2q@example.com>', ours));
    const failed = await eventually(async () => {
      const message = (await messagesOf(gateway, token, conversationId)).find((m) => m.id === replyId);
      return message?.status === 'failed' ? message : undefined;
    }, 15_000, 'the bounced reply to be marked failed');
    expect(failed.error).toEqual({
      code: 'bounced',
      message: '5.1.1 smtp; 550 5.1.1 <nobody@customer.example>: Recipient address rejected: User unknown in virtual mailbox table',
      retryable: false,
    });
    expect(await conversations(gateway, token)).toHaveLength(before);
    expect(mailsTo('mailer-daemon@mx.example.com')).toEqual([]);
  });

  it('a bounce about mail we never sent is kept as an automated message, not lost', async () => {
    await dovecot.append(fixture('bounce-exim.eml'));
    const conversationId = await conversationOfMessage(gateway, '<E1rkZpQ-0003Xa-2f@mx2.example.org>');
    const [stored] = await messagesOf(gateway, token, conversationId);
    expect(stored!.text).toMatch(/^This message was created automatically by mail delivery software\./);
    expect(await outboundOf(conversationId)).toEqual([]);
    // Automated: not waiting for an answer.
    const listed = (await conversations(gateway, token)).find((c) => c.id === conversationId) as unknown as { waitingSince: string | null };
    expect(listed.waitingSince).toBeNull();
  });
});
