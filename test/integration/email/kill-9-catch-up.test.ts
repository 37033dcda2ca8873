import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dovecot } from '../../fakes/email/dovecot.js';
import { customerMail, emailChannel } from '../../fakes/email/harness.js';
import { FakeSmtp } from '../../fakes/email/smtp.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../../support/env.js';
import { dropTestState } from '../../support/gateway.js';
import { eventually } from '../../support/http.js';
import { GatewayProcess } from '../../support/process.js';
import { freePort } from '../../support/redis-server.js';

/** The id inbound.ts gives a mail without Message-ID. */
const SYNTHETIC_ID = /^<[0-9a-f]{40}@no-message-id\.invalid>$/;

describe('email: kill -9 of the gateway in the middle of a mailbox catch-up', () => {
  const database = `sb_mailkill_${randomBytes(4).toString('hex')}`;
  const prefix = `mk${randomBytes(4).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-mailkill-'));
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  let db: pg.Client;
  let dovecot: Dovecot;
  let smtp: FakeSmtp;
  let gateway: GatewayProcess;

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`create database ${database}`);
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `/${database}`;
    dovecot = await Dovecot.start();
    smtp = await FakeSmtp.start();
    writeFileSync(join(dataDir, 'channels.json'), JSON.stringify({ channels: [emailChannel(dovecot, smtp)] }));
    gateway = new GatewayProcess({
      PORT: String(await freePort()),
      DATABASE_URL: url.toString(),
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      DATA_DIR: dataDir,
      CHANNELS_FILE: join(dataDir, 'channels.json'),
      ADMIN_PASSWORD: 'kill-test-password',
      LOG_LEVEL: 'warn',
      WORKER_CONCURRENCY: '4',
    });
    db = new pg.Client({ connectionString: url.toString() });
  });
  afterAll(async () => {
    await gateway?.kill();
    await db?.end().catch(() => undefined);
    await dropTestState('public_unused', prefix).catch(() => undefined);
    await admin.query(`drop database if exists ${database} with (force)`).catch(() => undefined);
    await admin.end();
    await smtp?.stop();
    await dovecot?.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const inbound = async (): Promise<string[]> => {
    const { rows } = await db.query<{ external_id: string }>("select external_id from messages where direction = 'inbound'");
    return rows.map((r) => r.external_id);
  };
  const inboundTexts = async (): Promise<string[]> => {
    const { rows } = await db.query<{ text: string }>("select text from messages where direction = 'inbound'");
    return rows.map((r) => r.text.trim());
  };

  it('200 mails: after a kill -9 and a restart each is stored once, in its own conversation', async () => {
    // Every fifth without Message-ID: the re-fetch after the kill must compute the same synthetic id.
    for (let n = 1; n <= 200; n += 1) {
      dovecot.deliverToMaildir(customerMail({ from: `Customer ${n} <kill${n}@customer.example>`, messageId: n % 5 === 0 ? null : `<kill-${n}@customer.example>`, text: `mail #${n}` }));
    }
    await gateway.start();
    await db.connect();
    await eventually(async () => ((await inbound().catch(() => [])).length >= 20 ? true : undefined), 60_000, 'the catch-up to be under way');
    await gateway.kill();
    const atKill = (await inbound()).length;
    expect(atKill).toBeLessThan(200);

    await gateway.start();
    await eventually(async () => ((await inbound()).length >= 200 ? true : undefined), 120_000, 'all 200 mails after the restart');
    // Give a doubled delivery the time to show up before counting.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const final = await inbound();
    expect(final).toHaveLength(200);
    // The unique index makes a doubled id impossible; a double would be a mail without Message-ID
    // stored again under a second synthetic id.
    expect(final.filter((id) => !SYNTHETIC_ID.test(id)).sort()).toEqual(
      Array.from({ length: 200 }, (_, i) => i + 1)
        .filter((n) => n % 5 !== 0)
        .map((n) => `<kill-${n}@customer.example>`)
        .sort(),
    );
    expect(final.filter((id) => SYNTHETIC_ID.test(id))).toHaveLength(40);
    // Each mail once: every body is there, none twice.
    expect((await inboundTexts()).sort()).toEqual(Array.from({ length: 200 }, (_, i) => `mail #${i + 1}`).sort());
    const { rows } = await db.query<{ n: number }>('select count(*)::int as n from conversations');
    expect(rows[0]!.n).toBe(200);
    console.info(`kill -9 after ${atKill} of 200 stored; all 200 stored once after the restart`);
  }, 240_000);
});
