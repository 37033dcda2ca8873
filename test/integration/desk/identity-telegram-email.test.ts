import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation } from '../../../src/domain/index.js';
import { Dovecot } from '../../fakes/email/dovecot.js';
import { customerMail, emailChannel, newMessageId } from '../../fakes/email/harness.js';
import { FakeSmtp } from '../../fakes/email/smtp.js';
import { FakeBotApi } from '../../fakes/telegram/bot-api.js';
import { WEBHOOK_SECRET } from '../../fakes/telegram/harness.js';
import { textUpdate } from '../../fakes/telegram/updates.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';

/**
 * Issue 17's acceptance case on the real channels: one app user writes on Telegram (through the
 * Bot API fake the real telegraf talks to) and by email (a real Dovecot mailbox the IMAP
 * connector reads); each channel links with its own code from the app's backend, and the customer
 * page shows one person with both conversations in one timeline. Undoing the merge gives both
 * contacts back as they were.
 */
describe('one linked user on Telegram and email is one customer', () => {
  let gateway: TestGateway;
  let dovecot: Dovecot;
  let smtp: FakeSmtp;
  let bot: FakeBotApi;
  let admin: string;
  let apiToken: string;
  const customer = { id: 4_700_000_017, first_name: 'Wei', last_name: 'Chen' };

  beforeAll(async () => {
    dovecot = await Dovecot.start();
    smtp = await FakeSmtp.start();
    bot = await FakeBotApi.start();
    gateway = await startTestGateway({
      env: { ROLE: 'all' },
      channels: [{ id: 'tg', kind: 'telegram', token: bot.token, secretToken: WEBHOOK_SECRET, apiRoot: bot.url }, emailChannel(dovecot, smtp)],
    });
    admin = await loginAdmin(gateway.url);
    const token = await request(gateway.url, 'POST', '/api/tokens', { token: admin, body: { name: 'wallet backend' } });
    expect(token.status, JSON.stringify(token.body)).toBe(201);
    apiToken = token.body.token;
  });
  afterAll(async () => {
    await gateway?.dispose();
    await bot?.stop();
    await smtp?.stop();
    await dovecot?.stop();
  });

  const mint = async (): Promise<string> => {
    const r = await request(gateway.url, 'POST', '/api/identity-links', { token: apiToken, body: { userId: 'wallet-user-42' } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.code as string;
  };
  const conversationsOn = async (channel: string): Promise<Conversation[]> => (await request<{ items: Conversation[] }>(gateway.url, 'GET', `/api/conversations?channel=${channel}&limit=50`, { token: admin })).body.items;

  it('codes sent on Telegram (/start) and by email link both identities to one contact with one timeline; undo restores both', async () => {
    await bot.pushWebhook({ update_id: 1, ...textUpdate(customer, 1, 'My USDT withdrawal is still pending') }, { url: `${gateway.url}/webhooks/tg`, secret: WEBHOOK_SECRET });
    const telegram = await eventually(async () => (await conversationsOn('tg'))[0], 15_000, 'the Telegram conversation');
    await bot.pushWebhook({ update_id: 2, ...textUpdate(customer, 2, `/start ${await mint()}`) }, { url: `${gateway.url}/webhooks/tg`, secret: WEBHOOK_SECRET });
    const linked = await eventually(async () => {
      const c = (await request<Conversation>(gateway.url, 'GET', `/api/conversations/${telegram.id}`, { token: admin })).body;
      return c.contact.userId === 'wallet-user-42' ? c : undefined;
    }, 15_000, 'the Telegram contact linked');
    const telegramContact = linked.contact.id;

    const mailId = newMessageId();
    await dovecot.append(customerMail({ messageId: mailId, from: 'Chen Wei <wei@customer.example>', subject: '提币还没到账', text: '我昨天的提币还没到账。' }));
    const mail = await eventually(async () => (await conversationsOn('mail'))[0], 20_000, 'the email conversation');
    const before = (await request(gateway.url, 'GET', `/api/contacts/${mail.contact.id}`, { token: admin })).body;
    await dovecot.append(customerMail({ messageId: newMessageId(), from: 'Chen Wei <wei@customer.example>', subject: 'link', inReplyTo: mailId, references: [mailId], text: await mint() }));

    const one = await eventually(async () => {
      const record = (await request(gateway.url, 'GET', `/api/contacts/${telegramContact}`, { token: admin })).body;
      // The record is read in a few queries: a merge committing between them shows half of it, so wait for both halves.
      return record.conversations?.length === 2 && record.identities?.length === 2 ? record : undefined;
    }, 20_000, 'both conversations under one contact');
    expect(one.userId).toBe('wallet-user-42');
    expect(one.identities.map((i: { channelId: string }) => i.channelId).sort()).toEqual(['mail', 'tg']);
    const timeline = (await request(gateway.url, 'GET', `/api/contacts/${telegramContact}/timeline?limit=100`, { token: admin })).body.items as { channelId: string; text: string }[];
    expect(timeline.some((m) => m.channelId === 'tg' && m.text.includes('USDT withdrawal'))).toBe(true);
    expect(timeline.some((m) => m.channelId === 'mail' && m.text.includes('提币还没到账'))).toBe(true);
    // The merged-away email contact is not a second customer in the search.
    const found = (await request(gateway.url, 'GET', `/api/contacts?q=${encodeURIComponent('wei@customer.example')}`, { token: admin })).body.items;
    expect(found.map((c: { id: string }) => c.id)).toEqual([telegramContact]);

    const suggestions = (await request(gateway.url, 'GET', `/api/contacts/${telegramContact}/merge-suggestions`, { token: admin })).body;
    const merge = suggestions.merges.find((m: { mergedContactId: string }) => m.mergedContactId === mail.contact.id);
    expect(merge).toBeTruthy();
    expect((await request(gateway.url, 'POST', `/api/contact-merges/${merge.id}/undo`, { token: admin })).status).toBe(200);
    const after = (await request(gateway.url, 'GET', `/api/contacts/${mail.contact.id}`, { token: admin })).body;
    expect({ name: after.name, email: after.email, userId: after.userId, identities: after.identities }).toEqual({ name: before.name, email: before.email, userId: before.userId, identities: before.identities });
    expect(after.conversations.map((c: { id: string }) => c.id)).toContain(mail.id);
    const kept = (await request(gateway.url, 'GET', `/api/contacts/${telegramContact}`, { token: admin })).body;
    expect(kept.identities.map((i: { channelId: string }) => i.channelId)).toEqual(['tg']);
    expect(kept.conversations.map((c: { id: string }) => c.id)).toEqual([telegram.id]);
    expect((await request(gateway.url, 'GET', '/api/audit/verify', { token: admin })).body.ok).toBe(true);
  });
});
