import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dovecot } from '../../fakes/email/dovecot.js';
import { ADDRESS, CHANNEL_ID, conversationOfMessage, customerMail, messagesOf, newMessageId, reply, sentExternalId, startEmailGateway } from '../../fakes/email/harness.js';
import { FakeSmtp } from '../../fakes/email/smtp.js';
import type { TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';

describe('email: a mailbox on a real Dovecot becomes conversations; replies go out over SMTP and thread', () => {
  let dovecot: Dovecot;
  let smtp: FakeSmtp;
  let gateway: TestGateway;
  let token: string;
  let conversationId: string;
  let ourMessageId: string;
  const first = newMessageId();

  beforeAll(async () => {
    dovecot = await Dovecot.start();
    smtp = await FakeSmtp.start();
    // The watchdog's periodic check also fetches new mail: set far out of reach, so within the
    // test's waits only an IDLE push can bring a mail in.
    gateway = await startEmailGateway(dovecot, smtp, {}, { imap: { watchdogSeconds: 300 } });
    token = await loginAdmin(gateway.url);
  });
  afterAll(async () => {
    await gateway?.dispose();
    await smtp?.stop();
    await dovecot?.dispose();
  });

  it('a mail delivered to the mailbox becomes a conversation (pushed by IDLE), with subject, sender and text', async () => {
    // The connector is connected and idling before the mail arrives: this is IDLE, not the first catch-up.
    await eventually(async () => ((await gateway.deps.adapters.get(CHANNEL_ID)!.verify()).status === 'ok' ? true : undefined), 15_000, 'the mailbox connection');
    const sentAt = Date.now();
    await dovecot.append(customerMail({ messageId: first, subject: 'Withdrawal stuck 提现', text: 'My withdrawal of 0.25 ETH has been pending since Monday.' }));
    conversationId = await conversationOfMessage(gateway, first, 10_000);
    // Reported, not asserted: a timing is not a test result (STYLE: no timing assertions).
    console.info(`IDLE latency (APPEND → stored): ${Date.now() - sentAt} ms`);
    const conversation = (await request(gateway.url, 'GET', `/api/conversations/${conversationId}`, { token })).body;
    expect(conversation).toMatchObject({ subject: 'Withdrawal stuck 提现', channelKind: 'email', contact: { name: 'Alice Chen', email: 'alice@customer.example' } });
    const [message] = await messagesOf(gateway, token, conversationId);
    expect(message).toMatchObject({ text: 'My withdrawal of 0.25 ETH has been pending since Monday.', externalId: first, direction: 'inbound' });
  });

  it("the agent's reply reaches the MTA from the mailbox, with Re: subject, In-Reply-To, References, our Message-ID and the reply token", async () => {
    const id = await reply(gateway, token, conversationId, 'Thanks Alice — we are checking the transaction.\n\nhttps://status.example.com');
    ourMessageId = await sentExternalId(gateway, token, conversationId, id);
    expect(ourMessageId).toBe(`<${id}@example.com>`);
    const [mail] = smtp.received;
    expect(mail!.envelope).toEqual({ from: ADDRESS, to: ['alice@customer.example'] });
    const parsed = await simpleParser(mail!.raw);
    expect(parsed.from?.value).toEqual([{ address: ADDRESS, name: 'Acme Support' }]);
    expect(parsed.to).toMatchObject({ value: [{ address: 'alice@customer.example' }] });
    expect(parsed.subject).toBe('Re: Withdrawal stuck 提现');
    expect(parsed.messageId).toBe(ourMessageId);
    expect(parsed.inReplyTo).toBe(first);
    expect(parsed.references).toBe(first);
    expect(parsed.replyTo?.value).toEqual([{ address: `support+${id}@example.com`, name: 'Acme Support' }]);
    expect(parsed.text?.trim()).toBe('Thanks Alice — we are checking the transaction.\n\nhttps://status.example.com');
    expect(parsed.html).toContain('<a href="https://status.example.com">');
    expect(parsed.headers.has('auto-submitted')).toBe(false);
  });

  it("the customer's reply (References: our Message-ID) joins the same conversation with only the new text", async () => {
    const answer = newMessageId();
    await dovecot.append(
      customerMail({
        messageId: answer,
        subject: 'Re: Withdrawal stuck 提现',
        inReplyTo: ourMessageId,
        references: [first, ourMessageId],
        text: `The hash is 0x8f3a…c21.\n\nOn Tue, Acme Support <${ADDRESS}> wrote:\n> Thanks Alice — we are checking the transaction.`,
      }),
    );
    expect(await conversationOfMessage(gateway, answer)).toBe(conversationId);
    const stored = (await messagesOf(gateway, token, conversationId)).find((m) => m.externalId === answer)!;
    expect(stored.text).toBe('The hash is 0x8f3a…c21.');
  });

  it('a reply that lost its thread headers but kept the plus-address token also joins', async () => {
    const bare = newMessageId();
    const token_ = ourMessageId.slice(1, ourMessageId.indexOf('@'));
    await dovecot.append(customerMail({ messageId: bare, subject: 'Withdrawal', to: `support+${token_}@example.com`, text: 'Any news?' }));
    expect(await conversationOfMessage(gateway, bare)).toBe(conversationId);
  });

  it('a colleague answering on the thread from another address joins the conversation as themselves', async () => {
    const colleague = newMessageId();
    await dovecot.append(customerMail({ from: 'Bob Lee <bob@customer.example>', messageId: colleague, inReplyTo: ourMessageId, references: [first, ourMessageId], text: 'I am her colleague, same issue here.' }));
    expect(await conversationOfMessage(gateway, colleague)).toBe(conversationId);
    const stored = (await messagesOf(gateway, token, conversationId)).find((m) => m.externalId === colleague)!;
    expect(stored.author).toMatchObject({ type: 'contact', name: 'Bob Lee' });
    const conversation = (await request(gateway.url, 'GET', `/api/conversations/${conversationId}`, { token })).body;
    expect(conversation.contact.email).toBe('alice@customer.example');
  });

  it('a fresh mail without thread headers opens a new conversation; so does a reply to a thread we never stored from another customer', async () => {
    const fresh = newMessageId();
    await dovecot.append(customerMail({ messageId: fresh, subject: 'Another question', text: 'How do I export my history?' }));
    const freshConversation = await conversationOfMessage(gateway, fresh);
    expect(freshConversation).not.toBe(conversationId);

    // Two customers answering the same announcement (one Message-ID we never stored) are two cases.
    const announcement = '<maintenance-2024-03@news.example.com>';
    const carol = newMessageId();
    const dave = newMessageId();
    await dovecot.append(customerMail({ from: 'Carol <carol@one.example>', messageId: carol, inReplyTo: announcement, references: [announcement], text: 'Will my staking stop?' }));
    await dovecot.append(customerMail({ from: 'Dave <dave@two.example>', messageId: dave, inReplyTo: announcement, references: [announcement], text: 'My card is blocked.' }));
    const [carolConversation, daveConversation] = [await conversationOfMessage(gateway, carol), await conversationOfMessage(gateway, dave)];
    expect(carolConversation).not.toBe(daveConversation);
    // Neither joined a case that already existed.
    expect([conversationId, freshConversation]).not.toContain(carolConversation);
    expect([conversationId, freshConversation]).not.toContain(daveConversation);
  });

  it('the mailbox was only read: no message got \\Seen', async () => {
    const flags = await dovecot.withClient(async (client) => {
      await client.mailboxOpen('INBOX', { readOnly: true });
      return (await client.fetchAll('1:*', { flags: true })).map((m) => [...(m.flags ?? [])]);
    });
    expect(flags.length).toBeGreaterThanOrEqual(6);
    expect(flags.flat()).not.toContain('\\Seen');
  });
});
