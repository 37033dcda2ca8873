import { afterEach, describe, expect, it } from 'vitest';
import { Dovecot } from '../../fakes/email/dovecot.js';
import { CHANNEL_ID, conversationOfMessage, customerMail, inboundCount, startEmailGateway } from '../../fakes/email/harness.js';
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

  const checkpointUid = async (g: TestGateway): Promise<number> => {
    const row = await g.deps.db.selectFrom('channel_state').select('value').where('channel_id', '=', CHANNEL_ID).where('key', '=', 'imap-checkpoint').executeTakeFirst();
    return (row?.value as { lastUid: number } | undefined)?.lastUid ?? 0;
  };

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
    const oldUids: number[] = [];
    for (const n of [1, 2, 3]) oldUids.push((await dovecot.append(customerMail({ messageId: `<old-${n}@customer.example>`, text: `old ${n}` })))!);
    // With markSeen the mailbox is opened read-write and every mail taken is flagged \Seen: the old ones must stay unread.
    gateway = await startEmailGateway(dovecot, smtp, { markSeen: true }, { imap: { initialSync: 'new' } });
    await eventually(async () => ((await gateway!.deps.adapters.get('mail')!.verify()).status === 'ok' ? true : undefined), 15_000, 'the mailbox connection');
    const newUid = (await dovecot.append(customerMail({ messageId: '<new-1@customer.example>', text: 'new' })))!;
    await conversationOfMessage(gateway, '<new-1@customer.example>');
    // The checkpoint passes the new mail only once it and everything fetched before it were queued and flagged:
    // old mail taken by mistake would be in the queue and \Seen by now.
    await eventually(async () => ((await checkpointUid(gateway!)) >= newUid ? true : undefined), 10_000, 'the checkpoint to pass the new mail');
    expect(await flagsOf(dovecot)).toEqual([...oldUids.map((uid) => ({ uid, seen: false })), { uid: newUid, seen: true }]);
    expect(await inboundCount(gateway)).toBe(1);
  });
});
