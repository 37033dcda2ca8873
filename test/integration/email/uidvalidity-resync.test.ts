import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dovecot } from '../../fakes/email/dovecot.js';
import { CHANNEL_ID, conversationOfMessage, customerMail, inboundCount, startEmailGateway } from '../../fakes/email/harness.js';
import { FakeSmtp } from '../../fakes/email/smtp.js';
import type { TestGateway } from '../../support/gateway.js';
import { eventually } from '../../support/http.js';

describe('email: the mailbox is recreated (UIDVALIDITY changes)', () => {
  let dovecot: Dovecot;
  let smtp: FakeSmtp;
  let gateway: TestGateway;
  const mails = [1, 2, 3, 4, 5].map((n) => customerMail({ from: `Customer ${n} <c${n}@customer.example>`, messageId: `<uidv-${n}@customer.example>`, subject: `Case ${n}`, text: `case ${n}` }));

  beforeAll(async () => {
    dovecot = await Dovecot.start();
    smtp = await FakeSmtp.start();
    await dovecot.withClient((client) => client.mailboxCreate('Support'));
    gateway = await startEmailGateway(dovecot, smtp, {}, { imap: { mailbox: 'Support', watchdogSeconds: 1, timeoutSeconds: 3 } });
  });
  afterAll(async () => {
    await gateway?.dispose();
    await smtp?.stop();
    await dovecot?.dispose();
  });

  const checkpoint = async () =>
    (await gateway.deps.db.selectFrom('channel_state').select('value').where('channel_id', '=', CHANNEL_ID).where('key', '=', 'imap-checkpoint').executeTakeFirst())?.value as
      | { mailbox: string; uidValidity: string; lastUid: number }
      | undefined;

  it('after the mailbox is deleted and recreated with old and new mail, every mail is there once and new mail keeps arriving', async () => {
    for (const mail of mails.slice(0, 3)) await dovecot.append(mail, 'Support');
    for (const n of [1, 2, 3]) await conversationOfMessage(gateway, `<uidv-${n}@customer.example>`);
    const before = await eventually(async () => ((await checkpoint())?.lastUid === 3 ? checkpoint() : undefined));

    await dovecot.withClient(async (client) => {
      await client.mailboxDelete('Support');
      await client.mailboxCreate('Support');
      // The old mail comes back with new UIDs (a migration, a restore): UIDs 1-3 again, then 4.
      for (const mail of mails.slice(0, 4)) await client.append('Support', mail);
    });
    await conversationOfMessage(gateway, '<uidv-4@customer.example>');
    const after = await eventually(async () => {
      const now = await checkpoint();
      return now && now.uidValidity !== before!.uidValidity && now.lastUid === 4 ? now : undefined;
    }, 20_000, 'the checkpoint to follow the new UIDVALIDITY');
    expect(after.mailbox).toBe('Support');

    await dovecot.append(mails[4]!, 'Support');
    await conversationOfMessage(gateway, '<uidv-5@customer.example>');
    expect(await inboundCount(gateway)).toBe(5);
  });
});
