import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dovecot } from '../../fakes/email/dovecot.js';
import { CHANNEL_ID, conversationOfMessage, customerMail, startEmailGateway } from '../../fakes/email/harness.js';
import { FakeSmtp } from '../../fakes/email/smtp.js';
import type { TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';

describe('email: dead IMAP connections are replaced and shown in the channel health', () => {
  let dovecot: Dovecot;
  let smtp: FakeSmtp;
  let gateway: TestGateway;
  let token: string;

  beforeAll(async () => {
    dovecot = await Dovecot.start();
    smtp = await FakeSmtp.start();
    gateway = await startEmailGateway(dovecot, smtp, {}, { imap: { watchdogSeconds: 1, timeoutSeconds: 2 } });
    token = await loginAdmin(gateway.url);
    await eventually(async () => ((await verify()).status === 'ok' ? true : undefined), 15_000, 'the mailbox connection');
  });
  afterAll(async () => {
    dovecot?.resume();
    await gateway?.dispose();
    await smtp?.stop();
    await dovecot?.dispose();
  });

  const verify = () => gateway.deps.adapters.get(CHANNEL_ID)!.verify();
  const channelStatus = async () => ((await request(gateway.url, 'GET', '/api/channels', { token })).body as { id: string; status: string; error: string | null }[]).find((c) => c.id === CHANNEL_ID)!;

  it('a session that goes silent (its server process frozen) is replaced, and mail keeps arriving', async () => {
    expect(dovecot.pauseSessions()).toBeGreaterThanOrEqual(1);
    // Through a new connection the frozen session cannot tell the gateway about this mail.
    await dovecot.append(customerMail({ messageId: '<after-freeze@customer.example>', text: 'are you there?' }));
    await conversationOfMessage(gateway, '<after-freeze@customer.example>', 20_000);
    expect((await verify()).status).toBe('ok');
    dovecot.resume();
  });

  it('a server that stops answering shows as an error in /api/channels and /readyz; once it answers, mail written meanwhile arrives', async () => {
    dovecot.pause();
    dovecot.deliverToMaildir(customerMail({ messageId: '<during-freeze@customer.example>', text: 'written while the server hung' }));
    const down = await eventually(async () => {
      const status = await channelStatus();
      return status.status === 'error' ? status : undefined;
    }, 40_000, 'the channel to report the dead IMAP server');
    expect(down.error).toMatch(/^IMAP 127\.0\.0\.1:\d+: /);
    const readiness = (await request(gateway.url, 'GET', '/readyz')).body as { ready: boolean; checks: Record<string, { ok: boolean; detail?: string }> };
    expect(readiness.checks[`channel:${CHANNEL_ID}`]).toMatchObject({ ok: false });
    // One broken mailbox does not take the gateway out of the load balancer.
    expect(readiness.ready).toBe(true);
    const live = await verify();
    expect(live.status).toBe('error');
    expect(live.error).toMatch(/^IMAP: /);

    dovecot.resume();
    await conversationOfMessage(gateway, '<during-freeze@customer.example>', 60_000);
    await eventually(async () => ((await verify()).status === 'ok' ? true : undefined), 15_000, 'the channel check to recover');
  }, 120_000);
});
