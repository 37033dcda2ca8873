import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dictionaries } from '../../src/ui/inbox/src/i18n.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { eventually, loginAdmin, request } from '../support/http.js';
import { Visitor } from '../support/visitor.js';
import { launchBrowser, screenshot, signIn } from './support/browser.js';

/** English strings of the inbox that must not be left on a screen shown in Chinese (as test/e2e/chinese-ui.test.ts). */
const englishOnly = Object.entries(dictionaries.en)
  .filter(([key, value]) => value !== dictionaries.zh[key as keyof typeof dictionaries.zh])
  .flatMap(([, value]) => value.split(/\{[a-zA-Z]+\}/))
  .map((part) => part.trim())
  .filter((part) => part.length >= 8 && /[a-z]{3}/.test(part));

interface Article {
  id: string;
  slug: string;
  version: number;
  status: string;
  tags: string[];
  updatedBy: string | null;
  translations: { en?: { title: string; body: string }; zh?: { title: string; body: string } };
}

const EN_TITLE = 'Why is my withdrawal still pending?';
const EN_BODY = [
  'A withdrawal waits for **12 network confirmations** before it reaches your wallet.',
  '',
  '- Look the transaction hash up on the block explorer',
  '- Write to us if it takes longer than an hour',
  '',
  'Markup stays text here: <img src=x onerror="window.pwned=1">',
].join('\n');
const ZH_TITLE = '为什么我的提现一直在处理中？';
const ZH_BODY = '提现需要等待 **12 个网络确认** 后才会到账。\n\n- 在区块浏览器中查询交易哈希\n- 超过一小时仍未到账，请联系我们';

/**
 * The knowledge base in the inbox (issue 16), in real Chromium against a real gateway: an admin
 * writes an article in both languages, edits it and restores the first version; an agent reads it
 * in a browser of her own without being able to change it; a save over someone else's edit is
 * refused with the reload message and the admin's text kept; and an agent answering a customer
 * finds the article from the composer and sends its link.
 */
describe('the knowledge base in the inbox, in real Chromium', () => {
  let gateway: TestGateway;
  let browser: Browser;
  let admin: string;
  let adminName: string;
  let page: Page;
  let agentPage: Page;
  let articleId: string;
  const ana = { email: 'ana@example.com', password: 'ana-password-1', name: 'Ana Silva' };

  beforeAll(async () => {
    gateway = await startTestGateway({ channels: [{ id: 'web', kind: 'webchat' }], desk: { safety: { footer: false }, autoAck: false, sla: [] } });
    admin = await loginAdmin(gateway.url);
    adminName = (await request(gateway.url, 'GET', '/api/me', { token: admin })).body.name;
    expect((await request(gateway.url, 'POST', '/api/agents', { token: admin, body: ana })).status).toBe(201);
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' })).newPage();
    await signIn(page, gateway.url);
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.dispose();
  });

  const toasts = (p: Page = page) => p.getByTestId('toast').allTextContents();
  const stored = async (): Promise<Article> => (await request<Article>(gateway.url, 'GET', `/api/kb/articles/${articleId}`, { token: admin })).body;
  const versions = async () => (await request<{ items: (Omit<Article, 'id' | 'slug'> & { editedBy: string | null })[] }>(gateway.url, 'GET', `/api/kb/articles/${articleId}/versions`, { token: admin })).body.items;
  const translation = (p: Page, lang: 'en' | 'zh') => p.locator(`[data-testid="kb-translation"][data-lang="${lang}"]`);
  const fieldError = (p: Page, field: string) => p.locator(`[data-testid="kb-field-error"][data-field="${field}"]`);

  it('an admin writes an article in English and Chinese, with a preview; half a translation is refused at its field', async () => {
    await page.getByTestId('nav-kb').click();
    await page.getByTestId('kb-page').waitFor();
    await page.getByTestId('kb-empty').waitFor();
    await page.getByTestId('kb-new').click();
    const form = page.getByTestId('kb-form');
    expect(await form.getAttribute('data-mode')).toBe('create');

    await form.getByTestId('kb-slug').fill('withdrawal-pending');
    await form.getByTestId('kb-tags').fill('withdrawal, 提现');
    await form.getByTestId('kb-status-select').selectOption('published');
    await translation(page, 'en').getByTestId('kb-title').fill(EN_TITLE);
    await translation(page, 'en').getByTestId('kb-body').fill(EN_BODY);
    // The Chinese title without its text: refused here, at the Chinese text, before anything is sent.
    await translation(page, 'zh').getByTestId('kb-title').fill(ZH_TITLE);
    await form.getByTestId('kb-save').click();
    await fieldError(page, 'zh.body').waitFor();
    expect(await fieldError(page, 'zh.body').textContent()).toBe('Write the text for this language too.');
    expect(await translation(page, 'zh').getByTestId('kb-body').getAttribute('aria-invalid')).toBe('true');
    expect((await request(gateway.url, 'GET', '/api/kb/articles', { token: admin })).body.items).toEqual([]);
    await translation(page, 'zh').getByTestId('kb-body').fill(ZH_BODY);
    expect(await fieldError(page, 'zh.body').count()).toBe(0);

    // The preview renders the Markdown as the help center would, and markup as text.
    await translation(page, 'en').getByTestId('kb-preview').click();
    const preview = translation(page, 'en').getByTestId('kb-preview-pane');
    expect(await preview.locator('strong').textContent()).toBe('12 network confirmations');
    expect(await preview.locator('li').allTextContents()).toEqual(['Look the transaction hash up on the block explorer', 'Write to us if it takes longer than an hour']);
    expect(await preview.locator('img').count()).toBe(0);
    expect(await preview.textContent()).toContain('<img src=x onerror="window.pwned=1">');
    await translation(page, 'zh').getByTestId('kb-preview').click();
    expect(await translation(page, 'zh').getByTestId('kb-preview-pane').locator('strong').textContent()).toBe('12 个网络确认');
    await screenshot(page, 'kb-new-preview');
    await translation(page, 'en').getByTestId('kb-write').click();
    expect(await translation(page, 'en').getByTestId('kb-body').inputValue()).toBe(EN_BODY);

    await form.getByTestId('kb-save').click();
    await expect.poll(() => toasts()).toContainEqual(`The article “${EN_TITLE}” was created.`);
    const screen = page.getByTestId('kb-article');
    await expect.poll(() => screen.getAttribute('data-version')).toBe('1');
    articleId = (await screen.getAttribute('data-id'))!;
    expect(page.url()).toContain(`#/kb/${articleId}`);
    expect(await stored()).toMatchObject({
      slug: 'withdrawal-pending',
      tags: ['withdrawal', '提现'],
      audience: 'public',
      channels: [],
      status: 'published',
      version: 1,
      updatedBy: adminName,
      translations: { en: { title: EN_TITLE, body: EN_BODY }, zh: { title: ZH_TITLE, body: ZH_BODY } },
    });
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  });

  it('a second article with the same slug is refused at the slug', async () => {
    await page.goto(`${gateway.url}/#/kb/new`);
    const form = page.getByTestId('kb-form');
    await form.getByTestId('kb-slug').fill('withdrawal-pending');
    await translation(page, 'en').getByTestId('kb-title').fill('Another one');
    await translation(page, 'en').getByTestId('kb-body').fill('Some text.');
    await form.getByTestId('kb-save').click();
    await fieldError(page, 'slug').waitFor();
    expect(await fieldError(page, 'slug').textContent()).toBe('Another article has this slug already.');
    expect((await request(gateway.url, 'GET', '/api/kb/articles', { token: admin })).body.items).toHaveLength(1);
  });

  it('the list shows status, languages, tags, audience and who updated it; the search box and the status filter narrow it', async () => {
    // A second, internal article in English only, to narrow the list with.
    const internal = await request(gateway.url, 'POST', '/api/kb/articles', {
      token: admin,
      body: { slug: 'refund-approval', tags: ['refund'], audience: 'internal', status: 'draft', translations: { en: { title: 'Refund approval (agents only)', body: 'A supervisor approves refunds above 500 USDT.' } } },
    });
    expect(internal.status).toBe(201);
    await page.getByTestId('kb-back').click();
    await page.getByTestId('kb-page').waitFor();
    const rows = page.getByTestId('kb-row');
    await expect.poll(() => rows.count()).toBe(2);
    const row = page.locator(`[data-testid="kb-row"][data-id="${articleId}"]`);
    expect(await row.getByTestId('kb-row-title').textContent()).toBe(EN_TITLE);
    expect(await row.getByTestId('kb-status').getAttribute('data-status')).toBe('published');
    expect(await row.getByTestId('kb-row-lang').evaluateAll((chips) => chips.map((c) => `${c.getAttribute('data-lang')}:${c.getAttribute('data-present')}`))).toEqual(['en:true', 'zh:true']);
    expect(await row.getByTestId('kb-row-tags').locator('li').allTextContents()).toEqual(['withdrawal', '提现']);
    expect(await row.getByTestId('kb-audience').getAttribute('data-audience')).toBe('public');
    expect(await row.getByTestId('kb-row-updated-by').textContent()).toBe(adminName);
    const other = page.locator('[data-testid="kb-row"][data-slug="refund-approval"]');
    expect(await other.getByTestId('kb-row-lang').evaluateAll((chips) => chips.map((c) => c.getAttribute('data-present')))).toEqual(['true', 'false']);
    expect(await other.getByTestId('kb-audience').getAttribute('data-audience')).toBe('internal');
    await screenshot(page, 'kb-list');

    const slugs = () => rows.evaluateAll((items) => items.map((item) => item.getAttribute('data-slug')));
    await page.getByTestId('kb-filter-status').selectOption('draft');
    await expect.poll(slugs).toEqual(['refund-approval']);
    await page.getByTestId('kb-filter-status').selectOption('');
    await page.getByTestId('kb-search').fill('提现');
    await expect.poll(slugs).toEqual(['withdrawal-pending']);
    await page.getByTestId('kb-search').fill('supervisor refunds');
    await expect.poll(slugs).toEqual(['refund-approval']);
    await page.getByTestId('kb-search').fill('');
    await expect.poll(slugs).toHaveLength(2);
  });
});
