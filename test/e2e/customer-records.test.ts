import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { eventually, loginAdmin, request } from '../support/http.js';
import { Visitor } from '../support/visitor.js';
import { launchBrowser, screenshot, signIn } from './support/browser.js';

/**
 * A customer's records and the audit log as an admin uses them, in real Chromium: export from the
 * customer panel with its progress and one-time download, erase only after typing the name, and
 * the audit page listing both with a Verify that says the chain holds.
 */
describe('customer records and the audit log in the inbox, in real Chromium', () => {
  let gateway: TestGateway;
  let browser: Browser;
  let admin: string;
  let page: Page;
  let conversationId: string;
  let contactId: string;

  beforeAll(async () => {
    gateway = await startTestGateway();
    admin = await loginAdmin(gateway.url);
    const customer = await Visitor.create(gateway.url, 'web', { name: '王小明' });
    expect((await customer.send('请删除我的账户记录')).status).toBe(202);
    const conversation = await eventually(async () => (await request(gateway.url, 'GET', '/api/conversations', { token: admin })).body.items[0] as { id: string; contact: { id: string } } | undefined);
    conversationId = conversation.id;
    contactId = conversation.contact.id;
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US', acceptDownloads: true })).newPage();
    await signIn(page, gateway.url);
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.dispose();
  });

  it('exports from the customer panel: progress, then a download that works once', async () => {
    await page.goto(`${gateway.url}/#/conversations/${conversationId}`);
    await page.getByTestId('conversation-view').waitFor();
    if (!(await page.getByTestId('customer-panel').isVisible())) await page.locator('.panel-toggle').click();
    const records = page.getByTestId('customer-records');
    await records.getByTestId('records-export').click();
    const link = records.getByTestId('records-download');
    await link.waitFor({ timeout: 20_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe(`customer-${contactId}.zip`);
    const path = await download.path();
    expect(path).toBeTruthy();
    await expect.poll(() => records.getByTestId('records-download').count()).toBe(0);
    await screenshot(page, 'customer-records-export');
  });

  it('erase waits for the typed name, then runs; the audit page lists it and verifies the chain', async () => {
    const records = page.getByTestId('customer-records');
    await records.getByTestId('records-erase').click();
    const submit = page.getByTestId('records-erase-submit');
    await page.getByTestId('records-erase-confirm').fill('王小');
    expect(await submit.isDisabled()).toBe(true);
    await page.getByTestId('records-erase-confirm').fill('王小明');
    await submit.click();
    await eventually(async () => ((await request(gateway.url, 'GET', `/api/conversations/${conversationId}`, { token: admin })).status === 404 ? true : undefined), 20_000);

    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-page').waitFor();
    await expect.poll(() => page.getByTestId('audit-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')))).toEqual(['customer.erase', 'customer.export.download', 'customer.export']);
    await page.getByTestId('audit-verify').click();
    const result = page.getByTestId('audit-verification');
    await result.waitFor();
    expect(await result.getAttribute('data-ok')).toBe('true');
    expect(await result.textContent()).toContain('3 entries verified');
    expect(await page.getByTestId('audit-export').getAttribute('href')).toBe('/api/audit/export');
    await screenshot(page, 'audit-log');
  });
});
