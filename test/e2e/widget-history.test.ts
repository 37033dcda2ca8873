import { createHmac } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { eventually, loginAdmin, request } from '../support/http.js';
import { Visitor } from '../support/visitor.js';
import { launchBrowser, screenshot } from './support/browser.js';

const SECRET = 'app-identity-secret-0123456789';
const hashOf = (userId: string) => createHmac('sha256', SECRET).update(userId).digest('hex');

/**
 * A signed-in app user finds what support told them (issue 17), in the real widget in Chromium:
 * the History button lists their conversations, an earlier one opens read-only, without the
 * agents' notes; an anonymous visitor has no such button.
 */
describe('widget history for a signed-in app user', () => {
  let gateway: TestGateway;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    gateway = await startTestGateway({ channels: [{ id: 'web', kind: 'webchat', identitySecret: SECRET }] });
    const token = await loginAdmin(gateway.url);
    const conversationOf = (visitorId: string) =>
      eventually(async () => {
        const res = await request<{ items: { id: string; contact: { identities: { externalId: string }[] } }[] }>(gateway.url, 'GET', '/api/conversations?channel=web', { token });
        return res.body.items.find((c) => c.contact.identities.some((i) => i.externalId === visitorId))?.id;
      });

    const earlier = await Visitor.create(gateway.url);
    await earlier.send('我的提现一直没到账');
    const past = await conversationOf(earlier.visitorId);
    await request(gateway.url, 'POST', `/api/conversations/${past}/messages`, { token, body: { text: '已经到账了，交易哈希 0xfeed。' } });
    await request(gateway.url, 'POST', `/api/conversations/${past}/messages`, { token, body: { text: '内部：已和运营确认', private: true } });
    await request(gateway.url, 'PATCH', `/api/conversations/${past}`, { token, body: { status: 'resolved' } });

    const alice = await Visitor.create(gateway.url, 'web', { userId: 'alice-42', userHash: hashOf('alice-42') });
    await alice.send('还有一个问题');
    const current = await conversationOf(alice.visitorId);
    // A verified link joined the earlier anonymous contact to Alice's (the identity feature's merge).
    const db = gateway.deps.db;
    const { contact_id } = await db.selectFrom('conversations').select('contact_id').where('id', '=', current).executeTakeFirstOrThrow();
    await db.updateTable('conversations').set({ contact_id }).where('id', '=', past).execute();
    await db.updateTable('contact_identities').set({ contact_id }).where('external_id', '=', earlier.visitorId).execute();

    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' })).newPage();
    // The app's own page, served from the gateway's origin, with the signed-in user's hash.
    await page.route(`${gateway.url}/app`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><html><head><meta charset="utf-8"><title>Wallet</title></head><body><h1>Wallet</h1><script src="/widget.js" data-channel="web" data-lang="zh" data-user-id="alice-42" data-user-hash="${hashOf('alice-42')}" defer></script></body></html>`,
      }),
    );
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.dispose();
  });

  it('lists both conversations and opens the resolved one read-only, without the note', async () => {
    await page.goto(`${gateway.url}/app`);
    await page.getByTestId('launcher').click();
    await page.getByTestId('message').filter({ hasText: '还有一个问题' }).waitFor({ timeout: 15_000 });
    await page.getByTestId('history-button').click();
    const items = page.getByTestId('past-conversation');
    await expect.poll(() => items.count(), { timeout: 10_000 }).toBe(2);
    expect(await items.allTextContents()).toEqual([expect.stringContaining('当前'), expect.stringContaining('已解决')]);
    await screenshot(page, 'widget-history-list');

    await items.filter({ hasText: '已解决' }).click();
    const messages = page.getByTestId('past-message');
    await expect.poll(() => messages.count(), { timeout: 10_000 }).toBe(2);
    expect(await messages.allTextContents()).toEqual([expect.stringContaining('我的提现一直没到账'), expect.stringContaining('已经到账了，交易哈希 0xfeed。')]);
    expect(await page.getByTestId('history').textContent()).not.toContain('运营');
    expect(await page.getByTestId('history-read-only').isVisible()).toBe(true);
    await screenshot(page, 'widget-history-conversation');

    // Back to the list, then the current one returns to the live chat.
    await page.getByTestId('history-back').click();
    await expect.poll(() => items.count()).toBe(2);
    await items.filter({ hasText: '当前' }).click();
    expect(await page.getByTestId('history').isHidden()).toBe(true);
    expect(await page.getByTestId('composer-input').isVisible()).toBe(true);
  });

  it('an anonymous visitor has no History button', async () => {
    const anonymous = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    await anonymous.goto(`${gateway.url}/demo`);
    await anonymous.getByTestId('launcher').click();
    await anonymous.getByTestId('composer-input').waitFor();
    expect(await anonymous.getByTestId('history-button').count()).toBe(0);
  });
});
