import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/runtime/embedded-redis.js';
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
    // Articles' links point at PUBLIC_URL: make it where this gateway listens, so the link sent opens the real page.
    const port = await freePort();
    gateway = await startTestGateway({
      channels: [{ id: 'web', kind: 'webchat' }],
      desk: { safety: { footer: false }, autoAck: false, sla: [] },
      env: { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` },
    });
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
  /** For the screenshots: the toasts of the steps before dismissed, so they cover nothing. */
  const withoutToasts = async (p: Page = page): Promise<void> => {
    while ((await p.getByTestId('toast').count()) > 0) await p.getByTestId('toast').first().locator('button').click();
  };
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

  it('the API’s refusals land at their field: a tag too long (400), then a slug in use (409)', async () => {
    await page.goto(`${gateway.url}/#/kb/new`);
    const form = page.getByTestId('kb-form');
    await form.getByTestId('kb-slug').fill('withdrawal-pending');
    await form.getByTestId('kb-tags').fill(`fees, ${'x'.repeat(41)}`);
    await translation(page, 'en').getByTestId('kb-title').fill('Another one');
    await translation(page, 'en').getByTestId('kb-body').fill('Some text.');
    await form.getByTestId('kb-save').click();
    await fieldError(page, 'tags').waitFor();
    expect(await fieldError(page, 'tags').textContent()).toMatch(/40/);
    expect(await form.getByTestId('kb-tags').getAttribute('aria-invalid')).toBe('true');
    await form.getByTestId('kb-tags').fill('fees');
    expect(await fieldError(page, 'tags').count()).toBe(0);
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
    await withoutToasts();
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

  it('the admin edits it (version 2) and restores version 1 from the history, as version 3', async () => {
    await page.locator(`[data-testid="kb-row"][data-id="${articleId}"]`).getByTestId('kb-row-title').click();
    const screen = page.getByTestId('kb-article');
    await expect.poll(() => screen.getAttribute('data-version')).toBe('1');
    const form = page.getByTestId('kb-form');
    expect(await form.getAttribute('data-mode')).toBe('edit');
    expect(await form.getByTestId('kb-save').isDisabled()).toBe(true);
    await translation(page, 'en').getByTestId('kb-title').fill('Withdrawal pending: what to do');
    await form.getByTestId('kb-tags').fill('withdrawal, 提现, confirmations');
    expect(await form.getAttribute('data-dirty')).toBe('true');
    await form.getByTestId('kb-save').click();
    await expect.poll(() => toasts()).toContainEqual('Saved as version 2.');
    await expect.poll(() => screen.getAttribute('data-version')).toBe('2');
    expect(await page.getByTestId('kb-article-title').textContent()).toBe('Withdrawal pending: what to do');
    expect(await form.getAttribute('data-dirty')).toBe('false');
    expect(await stored()).toMatchObject({ version: 2, tags: ['withdrawal', '提现', 'confirmations'], translations: { en: { title: 'Withdrawal pending: what to do', body: EN_BODY } } });

    const history = page.getByTestId('kb-version');
    await expect.poll(() => history.evaluateAll((items) => items.map((i) => `${i.getAttribute('data-version')}:${i.getAttribute('data-current')}`))).toEqual(['2:true', '1:false']);
    await page.locator('[data-testid="kb-version"][data-version="1"]').getByTestId('kb-version-view').click();
    const dialog = page.getByTestId('kb-version-dialog');
    await dialog.waitFor();
    expect(await dialog.locator('[data-testid="kb-read-translation"][data-lang="en"]').getByTestId('kb-read-title').textContent()).toBe(EN_TITLE);
    expect(await dialog.locator('[data-testid="kb-read-translation"][data-lang="zh"]').getByTestId('kb-read-title').textContent()).toBe(ZH_TITLE);
    // The dialog's fade-in done (spinners run for ever: not waited for).
    await page.evaluate(() => Promise.all(document.getAnimations().filter((a) => a.effect?.getComputedTiming().iterations !== Infinity).map((a) => a.finished)));
    await screenshot(page, 'kb-version');
    await dialog.getByTestId('kb-restore').click();
    await expect.poll(() => toasts()).toContainEqual('Version 1 restored as version 3.');
    await expect.poll(() => screen.getAttribute('data-version')).toBe('3');
    expect(await dialog.count()).toBe(0);
    // The form now edits version 3, which holds version 1's content.
    expect(await translation(page, 'en').getByTestId('kb-title').inputValue()).toBe(EN_TITLE);
    expect(await form.getByTestId('kb-tags').inputValue()).toBe('withdrawal, 提现');
    await expect.poll(() => history.evaluateAll((items) => items.map((i) => i.getAttribute('data-version')))).toEqual(['3', '2', '1']);
    const [v3, v2, v1] = await versions();
    expect(v3).toMatchObject({ version: 3, tags: v1!.tags, translations: v1!.translations, editedBy: adminName });
    expect(v2!.translations.en?.title).toBe('Withdrawal pending: what to do');
    await page.evaluate(() => document.querySelector('.app-body')?.scrollTo(0, 0));
    await withoutToasts();
    await screenshot(page, 'kb-editor');
  });

  it('a plain agent, in a browser of her own, reads the article and its history but cannot change anything', async () => {
    agentPage = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' })).newPage();
    await signIn(agentPage, gateway.url, ana);
    await agentPage.getByTestId('nav-kb').click();
    await agentPage.getByTestId('kb-read-only').waitFor();
    expect(await agentPage.getByTestId('kb-new').count()).toBe(0);
    await agentPage.locator(`[data-testid="kb-row"][data-id="${articleId}"]`).click();
    await agentPage.getByTestId('kb-reader').waitFor();
    expect(await agentPage.getByTestId('kb-form').count()).toBe(0);
    expect(await agentPage.locator('input, textarea').evaluateAll((fields) => fields.filter((f) => !(f as HTMLInputElement).disabled && (f as HTMLInputElement).type !== 'checkbox').length)).toBe(0);
    const en = agentPage.locator('[data-testid="kb-read-translation"][data-lang="en"]');
    expect(await en.getByTestId('kb-read-title').textContent()).toBe(EN_TITLE);
    expect(await en.getByTestId('kb-read-body').locator('strong').textContent()).toBe('12 network confirmations');
    // The public page of a published, public article is one click away.
    expect(await agentPage.locator('[data-testid="kb-public-link"][data-lang="zh"]').getAttribute('href')).toBe('/help/zh/withdrawal-pending');

    await agentPage.locator('[data-testid="kb-version"][data-version="2"]').getByTestId('kb-version-view').click();
    const dialog = agentPage.getByTestId('kb-version-dialog');
    await dialog.waitFor();
    expect(await dialog.locator('[data-testid="kb-read-translation"][data-lang="en"]').getByTestId('kb-read-title').textContent()).toBe('Withdrawal pending: what to do');
    expect(await dialog.getByTestId('kb-restore').count()).toBe(0);
    await agentPage.keyboard.press('Escape');
    await screenshot(agentPage, 'kb-read-only');
    // And the API refuses her a write the page does not offer.
    const login = await request(gateway.url, 'POST', '/api/auth/login', { body: { email: ana.email, password: ana.password } });
    const write = await request(gateway.url, 'POST', `/api/kb/articles/${articleId}/versions/2/restore`, { token: login.body.token });
    expect(write.status).toBe(403);
  });

  it('saving over an edit made meanwhile shows “someone else edited this article — reload”, keeps the admin’s text, and the reload takes the other edit in', async () => {
    const screen = page.getByTestId('kb-article');
    const form = page.getByTestId('kb-form');
    const myBody = `${ZH_BODY}\n\n如果交易哈希显示“成功”但钱包没有余额，请截图发给我们。`;
    await translation(page, 'zh').getByTestId('kb-body').fill(myBody);

    // Another admin saves first: a new English title, from version 3.
    const current = await stored();
    const theirs = await request(gateway.url, 'PUT', `/api/kb/articles/${articleId}`, {
      token: admin,
      body: { slug: current.slug, tags: current.tags, audience: 'public', channels: [], status: 'published', version: 3, translations: { ...current.translations, en: { title: 'Pending withdrawals', body: EN_BODY } } },
    });
    expect(theirs.status).toBe(200);

    await form.getByTestId('kb-save').click();
    const stale = page.getByTestId('kb-stale');
    await stale.waitFor();
    expect(await stale.textContent()).toContain('Someone else edited this article — reload.');
    expect(await translation(page, 'zh').getByTestId('kb-body').inputValue()).toBe(myBody);
    expect((await stored()).version).toBe(4);
    await withoutToasts();
    await screenshot(page, 'kb-stale');

    await stale.getByTestId('kb-stale-reload').click();
    await expect.poll(() => stale.count()).toBe(0);
    await expect.poll(() => screen.getAttribute('data-version')).toBe('4');
    // Their title in, the admin's Chinese text kept; nobody else touched the Chinese text, so no conflict is named.
    expect(await translation(page, 'en').getByTestId('kb-title').inputValue()).toBe('Pending withdrawals');
    expect(await translation(page, 'zh').getByTestId('kb-body').inputValue()).toBe(myBody);
    expect(await page.getByTestId('kb-conflicts').count()).toBe(0);
    await form.getByTestId('kb-save').click();
    await expect.poll(() => toasts()).toContainEqual('Saved as version 5.');
    expect(await stored()).toMatchObject({ version: 5, translations: { en: { title: 'Pending withdrawals' }, zh: { title: ZH_TITLE, body: myBody } } });
  });

  it('an agent answering inserts the article from the composer — found by an English and a Chinese query, in the customer’s language, from the keyboard — and the reply sent carries its link', async () => {
    const fees = await request(gateway.url, 'POST', '/api/kb/articles', {
      token: admin,
      body: {
        slug: 'network-fees',
        tags: ['fees', '手续费'],
        status: 'published',
        translations: {
          en: { title: 'Why does a withdrawal cost a network fee?', body: 'Every withdrawal pays the **network fee** to the miners; we keep none of it.' },
          zh: { title: '为什么提现要收取网络手续费？', body: '每笔提现都需要向矿工支付**网络手续费**，我们不收取任何部分。' },
        },
      },
    });
    expect(fees.status).toBe(201);
    // The internal article, published: agents find it, marked, and it has no public link to insert.
    const internal = (await request<{ items: Article[] }>(gateway.url, 'GET', '/api/kb/articles?q=refund', { token: admin })).body.items[0]!;
    expect(
      (
        await request(gateway.url, 'PUT', `/api/kb/articles/${internal.id}`, {
          token: admin,
          body: { slug: internal.slug, tags: internal.tags, audience: 'internal', channels: [], status: 'published', version: internal.version, translations: internal.translations },
        })
      ).status,
    ).toBe(200);

    const conversationOf = async (visitorName: string, text: string): Promise<{ id: string; visitor: Visitor }> => {
      const visitor = await Visitor.create(gateway.url, 'web', { name: visitorName });
      expect((await visitor.send(text)).status).toBe(202);
      const id = await eventually(async () => (await request(gateway.url, 'GET', `/api/conversations?q=${encodeURIComponent(text)}`, { token: admin })).body.items[0]?.id as string | undefined);
      return { id, visitor };
    };
    const olga = await conversationOf('Olga Ivanova', 'Hi, my withdrawal has been pending for two hours');
    const wang = await conversationOf('王芳', '你好，我的提现两个小时了还没到账');

    const p = agentPage;
    const picker = p.getByTestId('kb-picker');
    const items = picker.getByTestId('kb-picker-item');
    const search = picker.getByTestId('kb-picker-search');
    const composer = p.getByTestId('composer-input');
    const focused = () => p.evaluate(() => document.activeElement?.getAttribute('data-testid'));

    // An English customer: the picker searches in English; Escape closes it and returns to the reply.
    await p.goto(`${gateway.url}/#/conversations/${olga.id}`);
    await composer.waitFor();
    await p.getByTestId('kb-insert').click();
    await expect.poll(() => picker.textContent()).toContain('The customer writes English');
    expect(await picker.getAttribute('data-lang')).toBe('en');
    expect(await focused()).toBe('kb-picker-search');
    await p.keyboard.type('withdrawal stuck for hours');
    await expect.poll(() => items.first().getAttribute('data-slug')).toBe('withdrawal-pending');
    expect(await items.first().getAttribute('data-lang')).toBe('en');
    // The agent may answer in the other language: the same search then brings the Chinese translation first.
    await picker.locator('[data-testid="kb-picker-lang"][data-lang="zh"]').click();
    expect(await picker.getAttribute('data-lang')).toBe('zh');
    await expect.poll(() => items.first().getAttribute('data-lang')).toBe('zh');
    expect(await items.first().getAttribute('data-slug')).toBe('withdrawal-pending');
    expect(await focused()).toBe('kb-picker-search');
    await picker.locator('[data-testid="kb-picker-lang"][data-lang="en"]').click();
    await search.fill('refund approval');
    await expect.poll(() => items.first().getAttribute('data-slug')).toBe('refund-approval');
    expect(await items.first().getByTestId('kb-picker-internal').count()).toBe(1);
    expect(await items.first().textContent()).toContain('Internal: inserted without a link');
    await p.keyboard.press('Escape');
    await expect.poll(() => picker.count()).toBe(0);
    await expect.poll(focused).toBe('composer-input');
    expect(await composer.inputValue()).toBe('');

    // A Chinese customer: a greeting typed first, then the article, found by a Chinese paraphrase, goes in after it.
    await p.goto(`${gateway.url}/#/conversations/${wang.id}`);
    await composer.waitFor();
    await composer.fill('您好！');
    await p.getByTestId('kb-insert').click();
    await expect.poll(() => picker.textContent()).toContain('The customer writes Chinese');
    expect(await picker.getAttribute('data-lang')).toBe('zh');
    await p.keyboard.type('提现一直没到账');
    await expect.poll(() => items.first().getAttribute('data-slug')).toBe('withdrawal-pending');
    expect(await items.first().getAttribute('data-lang')).toBe('zh');
    // Arrows move the choice (wrapping), Enter inserts the chosen one.
    const selected = () => items.evaluateAll((list) => list.findIndex((item) => item.getAttribute('aria-selected') === 'true'));
    // The fees article shares “提现”: two hits at least to move between.
    const count = await items.count();
    expect(count).toBeGreaterThanOrEqual(2);
    expect(await selected()).toBe(0);
    await p.keyboard.press('ArrowDown');
    expect(await selected()).toBe(1);
    await p.keyboard.press('ArrowUp');
    expect(await selected()).toBe(0);
    await p.keyboard.press('ArrowUp');
    expect(await selected()).toBe(count - 1);
    await p.keyboard.press('ArrowDown');
    expect(await selected()).toBe(0);
    await screenshot(p, 'kb-picker');
    await p.keyboard.press('Enter');
    await expect.poll(() => picker.count()).toBe(0);

    const link = `${gateway.url}/help/zh/withdrawal-pending`;
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/help/);
    const inserted = await composer.inputValue();
    // The greeting, then the title, the opening paragraph as plain text, and the public link.
    expect(inserted).toBe(`您好！\n\n${ZH_TITLE}\n提现需要等待 12 个网络确认 后才会到账。\n${link}`);
    // The cursor waits after the article, in the reply, for the agent to go on.
    expect(await focused()).toBe('composer-input');
    expect(await composer.evaluate((element) => (element as HTMLTextAreaElement).selectionStart)).toBe(inserted.length);

    await p.keyboard.type('\n');
    const sent = await eventually(async () => {
      const list = (await request<{ items: { direction: string; private: boolean; text: string }[] }>(gateway.url, 'GET', `/api/conversations/${wang.id}/messages`, { token: admin })).body.items;
      return list.find((m) => m.direction === 'outbound' && !m.private && m.text.includes(link));
    });
    expect(sent.text).toBe(inserted);
    // The customer gets it, and the link is the article's public page.
    await eventually(async () => ((await wang.visitor.history()).body.items.some((m: { text?: string }) => m.text?.includes(link)) ? true : undefined));
    const help = await fetch(link);
    expect(help.status).toBe(200);
    expect(await help.text()).toContain(ZH_TITLE);
  });

  it('in Chinese, the knowledge base page and the article form show no English left', async () => {
    await page.goto(`${gateway.url}/#/kb`);
    // A reload too: the English toasts of the steps before go.
    await page.reload();
    await page.getByTestId('kb-page').waitFor();
    await page.getByTestId('language-switch').selectOption('zh');
    await expect.poll(() => page.getByTestId('nav-kb').textContent()).toBe('知识库');
    await expect.poll(() => page.getByTestId('kb-row').count()).toBe(3);
    const leftovers = async () => {
      const text = await page.evaluate(() => document.body.innerText);
      return englishOnly.filter((english) => text.includes(english));
    };
    expect(await leftovers()).toEqual([]);
    expect(await page.locator(`[data-testid="kb-row"][data-id="${articleId}"]`).getByTestId('kb-row-title').textContent()).toBe(ZH_TITLE);
    await screenshot(page, 'kb-list-zh');
    await page.getByTestId('kb-new').click();
    await page.getByTestId('kb-form').waitFor();
    await page.getByTestId('kb-save').click();
    await fieldError(page, 'slug').waitFor();
    expect(await fieldError(page, 'slug').textContent()).toBe('请输入短链接。');
    expect(await leftovers()).toEqual([]);
  });
});
