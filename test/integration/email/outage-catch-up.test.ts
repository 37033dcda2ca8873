import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dovecot } from '../../fakes/email/dovecot.js';
import { CHANNEL_ID, customerMail, inboundCount, reuseOf, startEmailGateway } from '../../fakes/email/harness.js';
import { FakeSmtp } from '../../fakes/email/smtp.js';
import type { TestGateway } from '../../support/gateway.js';
import { TEST_DATABASE_URL } from '../../support/env.js';
import { eventually } from '../../support/http.js';

const ACK = 'Thanks — we received your message and will answer here.';
/** The id inbound.ts gives a mail without Message-ID. */
const SYNTHETIC_ID = /^<[0-9a-f]{40}@no-message-id\.invalid>$/;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('email: nothing is lost or doubled across IMAP outages and gateway restarts', () => {
  let dovecot: Dovecot;
  let smtp: FakeSmtp;
  let gateway: TestGateway | undefined;

  beforeAll(async () => {
    dovecot = await Dovecot.start();
    smtp = await FakeSmtp.start();
  });
  afterAll(async () => {
    await gateway?.dispose();
    await smtp?.stop();
    await dovecot?.dispose();
  });

  const storedIds = async (g: TestGateway): Promise<string[]> =>
    (await g.deps.db.selectFrom('messages').select('external_id').where('channel_id', '=', CHANNEL_ID).where('direction', '=', 'inbound').execute()).map((r) => r.external_id!);
  const storedTexts = async (g: TestGateway): Promise<string[]> =>
    (await g.deps.db.selectFrom('messages').select('text').where('channel_id', '=', CHANNEL_ID).where('direction', '=', 'inbound').execute()).map((r) => r.text.trim());
  /** The auto-replies (acknowledgements) the gateway stored, one per new conversation. */
  const acknowledgements = (g: TestGateway) =>
    g.deps.db.selectFrom('messages').select(['conversation_id', 'status']).where('channel_id', '=', CHANNEL_ID).where('direction', '=', 'outbound').where('author_type', '=', 'bot').execute();
  const conversationCount = async (g: TestGateway): Promise<number> =>
    Number((await g.deps.db.selectFrom('conversations').select((eb) => eb.fn.countAll<string>().as('n')).where('channel_id', '=', CHANNEL_ID).executeTakeFirstOrThrow()).n);
  const connected = (g: TestGateway) =>
    eventually(async () => ((await g.deps.adapters.get(CHANNEL_ID)!.verify()).status === 'ok' ? true : undefined), 30_000, 'the mailbox connection');

  it('20 mails delivered while the IMAP server is down all arrive once it is back', async () => {
    gateway = await startEmailGateway(dovecot, smtp);
    await connected(gateway);
    await dovecot.stop();
    for (let n = 1; n <= 20; n += 1) dovecot.deliverToMaildir(customerMail({ from: `Customer ${n} <down${n}@customer.example>`, messageId: `<down-${n}@customer.example>`, text: `written during the outage #${n}` }));
    await dovecot.restart();
    await eventually(async () => ((await inboundCount(gateway!)) === 20 ? true : undefined), 60_000, 'the 20 mails written during the outage');
    expect((await storedIds(gateway)).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `<down-${i + 1}@customer.example>`).sort());
    await gateway.dispose();
    gateway = undefined;
  });

  it('a gateway stopped in the middle of a 200-mail catch-up and started again stores each mail once and acknowledges each customer once', async () => {
    // A mailbox of its own: the mail of the outage test stays out of these counts.
    await dovecot.dispose();
    dovecot = await Dovecot.start();
    const first = await startEmailGateway(dovecot, smtp, { autoReply: ACK });
    await connected(first);
    await first.stop();
    smtp.received.length = 0;
    // A tenth of them without Message-ID: their synthetic ids must come out the same on the re-fetch.
    for (let n = 1; n <= 200; n += 1) {
      dovecot.deliverToMaildir(customerMail({ from: `Customer ${n} <bulk${n}@customer.example>`, messageId: n % 10 === 0 ? null : `<bulk-${n}@customer.example>`, subject: `Case ${n}`, text: `catch-up mail #${n}` }));
    }
    const startedAt = Date.now();
    const second = await startTestGatewayAgain(first);
    const partial = await eventually(async () => {
      const count = await inboundCount(second);
      return count >= 10 ? count : undefined;
    }, 60_000);
    await second.stop();
    const afterStop = await countInSchema(second.schema);
    // The point of this test is a restart *during* the catch-up.
    expect(afterStop).toBeLessThan(200);

    gateway = await startTestGatewayAgain(first);
    await eventually(async () => ((await inboundCount(gateway!)) >= 200 ? true : undefined), 120_000, 'all 200 mails');
    console.info(`catch-up of 200 mails: ${Date.now() - startedAt} ms including a restart after ${partial} (${afterStop} stored at the stop)`);
    // A double could make the count 200 while a genuine mail is still on its way: give both the time to land.
    await pause(1_500);
    expect(await inboundCount(gateway)).toBe(200);
    // The unique index makes a doubled id impossible; a double would be a mail without Message-ID
    // stored again under a second synthetic id.
    const ids = await storedIds(gateway);
    expect(ids.filter((id) => !SYNTHETIC_ID.test(id)).sort()).toEqual(
      Array.from({ length: 200 }, (_, i) => i + 1)
        .filter((n) => n % 10 !== 0)
        .map((n) => `<bulk-${n}@customer.example>`)
        .sort(),
    );
    expect(ids.filter((id) => SYNTHETIC_ID.test(id))).toHaveLength(20);
    // Each mail once: every body is there, none twice.
    expect((await storedTexts(gateway)).sort()).toEqual(Array.from({ length: 200 }, (_, i) => `catch-up mail #${i + 1}`).sort());
    expect(await conversationCount(gateway)).toBe(200);

    await eventually(async () => (smtp.received.length >= 200 ? true : undefined), 60_000, '200 acknowledgements');
    await eventually(async () => ((await acknowledgements(gateway!)).every((a) => a.status === 'sent') ? true : undefined), 30_000, 'every acknowledgement to be marked sent');
    // An acknowledgement sent twice (say, once before the stop and again after it) would arrive later.
    await pause(1_500);
    const recipients = smtp.received.map((m) => m.envelope.to.join(','));
    expect(recipients).toHaveLength(200);
    expect(new Set(recipients).size).toBe(200);
    const acks = await acknowledgements(gateway);
    expect(acks).toHaveLength(200);
    expect(new Set(acks.map((a) => a.conversation_id)).size).toBe(200);
    expect(acks.filter((a) => a.status !== 'sent')).toEqual([]);
  }, 240_000);

  /** Stored inbound mails of a stopped gateway, read from its schema directly. */
  async function countInSchema(schema: string): Promise<number> {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      const result = await client.query(`select count(*)::int as n from ${schema}.messages where channel_id = $1 and direction = 'inbound'`, [CHANNEL_ID]);
      return result.rows[0].n as number;
    } finally {
      await client.end();
    }
  }

  async function startTestGatewayAgain(previous: TestGateway): Promise<TestGateway> {
    return startEmailGateway(dovecot, smtp, { autoReply: ACK }, { reuse: reuseOf(previous) });
  }
});
