import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation } from '../../src/domain/index.js';
import { ScriptedChannel } from '../fakes/scripted-channel.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { eventually, loginAdmin, request } from '../support/http.js';
import { Visitor } from '../support/visitor.js';
import { launchBrowser, screenshot, signIn } from './support/browser.js';

/**
 * The customer page in real Chromium against a real gateway (issue 17): an agent searches a
 * customer by part of their Chinese name, opens them, sees the messages of their web chat and
 * their second channel in one timeline (each with its channel), and adds a note; the
 * conversation's customer panel leads to the same page.
 *
 * As in the integration test, the second channel's identity is linked to the customer's contact
 * in the database — what a verified identity link leaves — before they write there.
 */
describe('the customer page, in real Chromium', () => {
  let gateway: TestGateway;
  let browser: Browser;
  let page: Page;
  let token: string;
  let contactId: string;
  let web: Conversation;
  const scripted = new ScriptedChannel('scripted');

  const conversationWith = (text: string) =>
    eventually(async () => (await request<{ items: Conversation[] }>(gateway.url, 'GET', `/api/conversations?q=${encodeURIComponent(text)}`, { token })).body.items[0], 15_000, `conversation with "${text}"`);

  beforeAll(async () => {
    gateway = await startTestGateway({ channels: [{ id: 'web', kind: 'webchat', name: 'Website chat' }], extraAdapters: [scripted] });
    token = await loginAdmin(gateway.url);

    const visitor = await Visitor.create(gateway.url, 'web', { name: '王小明', email: 'xiaoming@example.com' });
    expect((await visitor.send('我昨天转了 0.5 ETH，还没到账')).status).toBe(202);
    web = await conversationWith('还没到账');
    contactId = web.contact.id;
    await gateway.deps.db.insertInto('contact_identities').values({ channel_id: 'scripted', external_id: 'tg-888', contact_id: contactId, handle: 'xiaoming_tg' }).execute();
    const sent = await request(gateway.url, 'POST', '/webhooks/scripted', {
      headers: { 'x-secret': 'scripted-secret' },
      body: { id: 'tg-1', from: 'tg-888', text: 'tx hash 0x' + '7c'.repeat(32) },
    });
    expect(sent.status).toBe(200);
    await conversationWith('tx hash 0x');
    expect((await request(gateway.url, 'POST', `/api/conversations/${web.id}/messages`, { token, body: { text: '请稍等，我们正在核查这笔转账。' } })).status).toBe(202);
    // Named by the web chat again (the ingest names a contact after whoever wrote last).
    expect((await visitor.send('好的，谢谢')).status).toBe(202);
    await eventually(async () => ((await request(gateway.url, 'GET', `/api/contacts/${contactId}`, { token })).body.name === '王小明' ? true : undefined), 15_000, 'the name');

    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' })).newPage();
    await signIn(page, gateway.url);
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.dispose();
  });

  it('finds the customer by part of a Chinese name', async () => {
    await page.getByTestId('nav-customers').click();
    await page.getByTestId('customers-page').waitFor();
    await page.getByTestId('customers-search').fill('小明');
    const result = page.locator(`[data-testid="customer-result"][data-id="${contactId}"]`);
    await result.waitFor();
    await expect.poll(() => page.getByTestId('customer-result').count()).toBe(1);
    expect(await result.textContent()).toContain('xiaoming@example.com');
    await page.getByTestId('customers-search').fill('nobody-by-this-name');
    await page.getByTestId('customers-empty').waitFor();
    await page.getByTestId('customers-search').fill('xiaoming_tg');
    await result.waitFor();
    await screenshot(page, 'customer-search');
  });

  it('shows both channels’ messages in one timeline, each with its channel and conversation', async () => {
    await page.locator(`[data-testid="customer-result"][data-id="${contactId}"] a`).click();
    await page.locator(`[data-testid="customer-page"][data-id="${contactId}"]`).waitFor();
    expect(await page.getByTestId('customer-name').textContent()).toBe('王小明');
    expect(await page.getByTestId('customer-identity').evaluateAll((els) => els.map((e) => e.getAttribute('data-channel')).sort())).toEqual(['scripted', 'web']);

    const entries = page.getByTestId('timeline-message');
    await expect.poll(() => entries.count()).toBeGreaterThanOrEqual(4);
    const rows = await entries.evaluateAll((els) => els.map((e) => ({ channel: e.getAttribute('data-channel'), text: e.querySelector('.timeline-text')?.textContent ?? '' })));
    expect(rows.map((r) => [r.channel, r.text])).toEqual([
      ['web', '我昨天转了 0.5 ETH，还没到账'],
      ['scripted', 'tx hash 0x' + '7c'.repeat(32)],
      ['web', '请稍等，我们正在核查这笔转账。'],
      ['web', '好的，谢谢'],
    ]);
    expect(await page.locator('[data-testid="timeline-message"][data-channel="web"] [data-testid="timeline-channel"]').first().textContent()).toContain('Website chat');
    // The transfer details of the second channel's conversation are on the page too.
    await expect.poll(() => page.locator('[data-testid="transfer-detail"][data-kind="tx"]').count()).toBe(1);
  });

  it('adds a note about the customer, kept after a reload', async () => {
    await page.getByTestId('customer-note-input').fill('VIP 用户，转账问题请优先处理');
    await page.getByTestId('customer-note-add').click();
    await page.getByTestId('customer-note').first().waitFor();
    expect(await page.getByTestId('customer-note').first().textContent()).toContain('VIP 用户，转账问题请优先处理');
    await screenshot(page, 'customer-page');
    await page.reload();
    await page.getByTestId('customer-note').first().waitFor();
    expect(await page.getByTestId('customer-note').count()).toBe(1);
  });

  it('a message arriving on either channel joins the timeline live; the conversation’s customer panel leads here', async () => {
    const sent = await request(gateway.url, 'POST', '/webhooks/scripted', { headers: { 'x-secret': 'scripted-secret' }, body: { id: 'tg-2', from: 'tg-888', text: 'Any news?' } });
    expect(sent.status).toBe(200);
    await page.locator('[data-testid="timeline-message"][data-channel="scripted"]', { hasText: 'Any news?' }).waitFor();

    await page.goto(`${gateway.url}/#/conversations/${web.id}`);
    await page.getByTestId('customer-page-link').click();
    await page.locator(`[data-testid="customer-page"][data-id="${contactId}"]`).waitFor();
  });
});
