import { afterEach, describe, expect, it } from 'vitest';
import { Dovecot } from '../../fakes/email/dovecot.js';
import { conversationOfMessage, customerMail, inboundCount, startEmailGateway } from '../../fakes/email/harness.js';
import { FakeSmtp } from '../../fakes/email/smtp.js';
import type { TestGateway } from '../../support/gateway.js';
import { eventually } from '../../support/http.js';

describe('email: mailbox options', () => {
  let dovecot: Dovecot | undefined;
  let smtp: FakeSmtp | undefined;
  let gateway: TestGateway | undefined;

  afterEach(async () => {
    await gateway?.dispose();
    await smtp?.stop();
    await dovecot?.dispose();
    gateway = undefined;
  });

  const flagsOf = (server: Dovecot) =>
    server.withClient(async (client) => {
      await client.mailboxOpen('INBOX', { readOnly: true });
      return (await client.fetchAll('1:*', { uid: true, flags: true }, { uid: true })).map((m) => ({ uid: m.uid, seen: m.flags?.has('\\Seen') ?? false }));
    });

  it('markSeen: mail is flagged \\Seen once it is stored', async () => {
    dovecot = await Dovecot.start();
    smtp = await FakeSmtp.start();
    await dovecot.append(customerMail({ messageId: '<seen-1@customer.example>', text: 'first' }));
    gateway = await startEmailGateway(dovecot, smtp, { markSeen: true });
    await conversationOfMessage(gateway, '<seen-1@customer.example>');
    await eventually(async () => ((await flagsOf(dovecot!)).every((m) => m.seen) ? true : undefined), 10_000, 'the mail to be flagged \\Seen');
  });

  it('initialSync: new leaves the mail already in the mailbox alone and takes what arrives afterwards', async () => {
    dovecot = await Dovecot.start();
    smtp = await FakeSmtp.start();
    for (const n of [1, 2, 3]) await dovecot.append(customerMail({ messageId: `<old-${n}@customer.example>`, text: `old ${n}` }));
    gateway = await startEmailGateway(dovecot, smtp, {}, { imap: { initialSync: 'new' } });
    await eventually(async () => ((await gateway!.deps.adapters.get('mail')!.verify()).status === 'ok' ? true : undefined), 15_000, 'the mailbox connection');
    await dovecot.append(customerMail({ messageId: '<new-1@customer.example>', text: 'new' }));
    await conversationOfMessage(gateway, '<new-1@customer.example>');
    expect(await inboundCount(gateway)).toBe(1);
    expect((await flagsOf(dovecot)).some((m) => m.seen)).toBe(false);
  });
});
