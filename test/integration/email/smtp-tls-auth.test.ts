import { simpleParser } from 'mailparser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Dovecot } from '../../fakes/email/dovecot.js';
import { CHANNEL_ID, conversationOfMessage, customerMail, messagesOf, newMessageId, reply, sentExternalId, startEmailGateway, type ApiMessage } from '../../fakes/email/harness.js';
import { FakeSmtp, type FakeSmtpOptions } from '../../fakes/email/smtp.js';
import { makeTestCertificate, type TestCertificate } from '../../fakes/x/tls.js';
import type { TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin } from '../../support/http.js';

const USER = 'support@example.com';
const PASSWORD = 'smtp-secret-42';

/**
 * The production SMTP paths against a server that really speaks them: implicit TLS (465),
 * STARTTLS required (587) and AUTH. The config has no CA option, so the throwaway self-signed
 * certificate is accepted with `rejectUnauthorized: false`.
 */
describe('email: replies over implicit TLS / STARTTLS with SMTP login', () => {
  let dovecot: Dovecot;
  let cert: TestCertificate;
  let smtp: FakeSmtp | undefined;
  let gateway: TestGateway | undefined;

  beforeAll(async () => {
    dovecot = await Dovecot.start();
    cert = makeTestCertificate();
  });
  afterEach(async () => {
    await gateway?.dispose();
    await smtp?.stop();
    gateway = undefined;
    smtp = undefined;
  });
  afterAll(async () => {
    await dovecot?.dispose();
    cert?.dispose();
  });

  /** A fake MTA with these options, a gateway whose `smtp` entry is `config` (port filled in), and a conversation to answer. */
  async function setUp(options: FakeSmtpOptions, config: Record<string, unknown>): Promise<{ token: string; conversationId: string }> {
    smtp = await FakeSmtp.start(options);
    gateway = await startEmailGateway(dovecot, smtp, { smtp: { host: '127.0.0.1', port: smtp.port, tls: { rejectUnauthorized: false }, ...config } });
    const token = await loginAdmin(gateway.url);
    const opener = newMessageId();
    await dovecot.append(customerMail({ messageId: opener, text: 'Where is my refund?' }));
    return { token, conversationId: await conversationOfMessage(gateway, opener) };
  }

  const failedMessage = (token: string, conversationId: string, id: string): Promise<ApiMessage> =>
    eventually(async () => {
      const message = (await messagesOf(gateway!, token, conversationId)).find((m) => m.id === id);
      return message?.status === 'failed' ? message : undefined;
    }, 15_000, 'the reply to fail');

  const verify = () => gateway!.deps.adapters.get(CHANNEL_ID)!.verify();

  it('implicit TLS (secure: true) with login: the reply arrives from the logged-in user and parses', async () => {
    const tls = { mode: 'implicit' as const, key: cert.key, cert: cert.cert };
    const { token, conversationId } = await setUp({ tls, auth: { user: USER, password: PASSWORD } }, { secure: true, user: USER, password: PASSWORD });
    const id = await reply(gateway!, token, conversationId, 'Sent over implicit TLS.');
    const ours = await sentExternalId(gateway!, token, conversationId, id);

    const delivered = smtp!.received.filter((m) => m.raw.includes('Sent over implicit TLS.'));
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatchObject({ user: USER, secure: true, envelope: { from: 'support@example.com', to: ['alice@customer.example'] } });
    const parsed = await simpleParser(delivered[0]!.raw);
    expect(parsed.messageId).toBe(ours);
    expect(parsed.text?.trim()).toBe('Sent over implicit TLS.');
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value[0]?.address : undefined).toBe('alice@customer.example');

    expect(await verify()).toMatchObject({ status: 'ok', error: null });
    expect(smtp!.authAttempts.length).toBeGreaterThan(0);
    expect(smtp!.authAttempts.every((a) => a.secure && a.accepted && a.user === USER)).toBe(true);
  });

  it('STARTTLS required with login: the session is upgraded before the login and the reply arrives', async () => {
    const tls = { mode: 'starttls' as const, key: cert.key, cert: cert.cert };
    const { token, conversationId } = await setUp({ tls, auth: { user: USER, password: PASSWORD } }, { secure: false, starttls: 'required', user: USER, password: PASSWORD });
    const id = await reply(gateway!, token, conversationId, 'Sent after STARTTLS.');
    const ours = await sentExternalId(gateway!, token, conversationId, id);

    const delivered = smtp!.received.filter((m) => m.raw.includes('Sent after STARTTLS.'));
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatchObject({ user: USER, secure: true });
    expect((await simpleParser(delivered[0]!.raw)).messageId).toBe(ours);
    // The password travelled only inside the upgraded session.
    expect(smtp!.authAttempts.length).toBeGreaterThan(0);
    expect(smtp!.authAttempts.every((a) => a.secure)).toBe(true);
    expect(await verify()).toMatchObject({ status: 'ok', error: null });
  });

  it("a wrong password fails the reply as 'unauthorized' (not retried) and the channel check reports it", async () => {
    const tls = { mode: 'implicit' as const, key: cert.key, cert: cert.cert };
    const { token, conversationId } = await setUp({ tls, auth: { user: USER, password: PASSWORD } }, { secure: true, user: USER, password: 'wrong-password' });
    const id = await reply(gateway!, token, conversationId, 'Never delivered.');
    const failed = await failedMessage(token, conversationId, id);
    expect(failed.error).toMatchObject({ code: 'unauthorized', retryable: false });
    expect(failed.error!.message).toMatch(/^SMTP login failed: 535 .*Authentication credentials invalid/);
    expect(smtp!.received).toHaveLength(0);
    expect(smtp!.authAttempts.length).toBeGreaterThan(0);
    expect(smtp!.authAttempts.every((a) => !a.accepted && a.user === USER)).toBe(true);

    const status = await verify();
    expect(status.status).toBe('error');
    expect(status.error).toMatch(/SMTP: .*535/);
  });

  it("starttls 'required' against a server that does not offer STARTTLS: the reply fails and nothing, not even the login, goes in clear", async () => {
    // AUTH offered on the plain connection: a client that ignored `required` would log in and send in clear.
    const { token, conversationId } = await setUp({ auth: { user: USER, password: PASSWORD } }, { secure: false, starttls: 'required', user: USER, password: PASSWORD });
    const id = await reply(gateway!, token, conversationId, 'Must not go in clear.');
    const failed = await failedMessage(token, conversationId, id);
    // nodemailer sends STARTTLS although it was not offered; the server's 500 to it is the final word,
    // shown to the agent as what it means.
    expect(failed.error).toMatchObject({ code: 'tls', retryable: false });
    expect(failed.error!.message).toMatch(/^the mail server could not start TLS \(STARTTLS is required by this channel's smtp\.starttls\): 500 /);
    expect(smtp!.received).toHaveLength(0);
    expect(smtp!.authAttempts).toHaveLength(0);
    const status = await verify();
    expect(status.status).toBe('error');
    expect(status.error).toMatch(/^SMTP: .*500 /);
  });
});
