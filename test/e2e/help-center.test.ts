import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { loginAdmin, request } from '../support/http.js';
import { fixtureArticles } from '../unit/kb-fixtures.js';
import { launchBrowser, screenshot } from './support/browser.js';

/**
 * The public help center in real Chromium, in both languages, with the fixture help center's 21
 * articles published through the API: the visitor's language is picked, topics list the articles,
 * search finds a paraphrased question's article, an article renders, and the web chat widget's
 * help link opens the help center in the visitor's language in a new tab.
 */
describe('the help center and the widget’s link to it', () => {
  let gateway: TestGateway;
  let browser: Browser;
  const policyErrors: string[] = [];

  const context = async (locale: 'en-US' | 'zh-CN'): Promise<BrowserContext> => {
    const created = await browser.newContext({ viewport: { width: 390, height: 844 }, locale });
    created.on('page', (page) =>
      page.on('console', (message) => {
        if (/Content Security Policy|Refused to/i.test(message.text())) policyErrors.push(message.text());
      }),
    );
    return created;
  };
  const pageIn = async (locale: 'en-US' | 'zh-CN'): Promise<Page> => (await context(locale)).newPage();

  beforeAll(async () => {
    gateway = await startTestGateway();
    const admin = await loginAdmin(gateway.url);
    for (const a of fixtureArticles) {
      const created = await request(gateway.url, 'POST', '/api/kb/articles', {
        token: admin,
        body: { slug: a.slug, tags: a.tags, audience: 'public', channels: [], status: 'published', translations: { en: a.en, zh: a.zh } },
      });
      expect(created.status, `${a.slug}: ${JSON.stringify(created.body)}`).toBe(201);
    }
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.dispose();
  });

  it('renders the English help center, searches it, and shows an article', async () => {
    const page = await pageIn('en-US');
    await page.goto(`${gateway.url}/help`);
    expect(new URL(page.url()).pathname).toBe('/help/en');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Help center');
    expect(await page.getByRole('heading', { level: 2, name: 'security' }).count()).toBe(1);
    expect(await page.locator('main a[href^="/help/en/"]').count()).toBe(fixtureArticles.length);
    expect(await page.locator('script').count()).toBe(0);

    await page.getByRole('searchbox').fill('withdrew from binance 40 mins ago, still nothing recieved');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/\/help\/en\?q=/);
    const results = page.locator('main ul.list a');
    expect(await results.allTextContents()).toContain('My transfer has not arrived yet');
    await screenshot(page, 'help-center-en-search');

    await page.getByRole('link', { name: 'My transfer has not arrived yet' }).click();
    await page.waitForURL(/\/help\/en\/transfer-not-arrived$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('My transfer has not arrived yet');
    expect(await page.getByRole('heading', { level: 2, name: 'Check the status first' }).count()).toBe(1);
    expect(await page.locator('article strong').first().textContent()).toBe('Activity');
    await screenshot(page, 'help-center-en-article');
    expect(policyErrors).toEqual([]);
  });

  it('renders the Chinese help center, searches it in Chinese, and shows an article', async () => {
    const page = await pageIn('zh-CN');
    await page.goto(`${gateway.url}/help`);
    expect(new URL(page.url()).pathname).toBe('/help/zh');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('帮助中心');
    expect(await page.getByRole('heading', { level: 2, name: '安全' }).count()).toBe(1);
    expect(await page.locator('main a[href^="/help/zh/"]').count()).toBe(fixtureArticles.length);

    await page.getByRole('searchbox').fill('从币安提过来半天了钱包里啥也没有');
    await page.getByRole('button', { name: '搜索' }).click();
    await page.waitForURL(/\/help\/zh\?q=/);
    expect(await page.locator('main ul.list a').allTextContents()).toContain('转账还没到账');
    await screenshot(page, 'help-center-zh-search');

    await page.getByRole('link', { name: '转账还没到账' }).click();
    await page.waitForURL(/\/help\/zh\/transfer-not-arrived$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('转账还没到账');
    // The language switch goes to the same article in English.
    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL(/\/help\/en\/transfer-not-arrived$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('My transfer has not arrived yet');
    expect(policyErrors).toEqual([]);
  });

  for (const [locale, lang, label, title] of [
    ['en-US', 'en', 'Help center', 'Help center'],
    ['zh-CN', 'zh', '帮助中心', '帮助中心'],
  ] as const) {
    it(`the widget's help link opens the ${lang} help center in a new tab`, async () => {
      const browserContext = await context(locale);
      const page = await browserContext.newPage();
      await page.goto(`${gateway.url}/demo`);
      await page.getByTestId('launcher').click();
      const link = page.getByTestId('help-link');
      await link.waitFor();
      expect(await link.textContent()).toBe(label);
      expect(await link.getAttribute('target')).toBe('_blank');
      await screenshot(page, `help-center-widget-link-${lang}`);
      const [tab] = await Promise.all([browserContext.waitForEvent('page'), link.click()]);
      await tab.waitForLoadState();
      expect(new URL(tab.url()).pathname).toBe(`/help/${lang}`);
      expect(await tab.getByRole('heading', { level: 1 }).textContent()).toBe(title);
      // The chat stays open in its own tab.
      expect(await page.getByTestId('panel').isVisible()).toBe(true);
    });
  }
});
