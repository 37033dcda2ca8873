import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dictionaries } from '../../src/ui/inbox/src/i18n.js';
import { type FakeLlm, startFakeLlm, steps } from '../fakes/llm/server.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { eventually, loginAdmin, request } from '../support/http.js';
import { Visitor } from '../support/visitor.js';
import { launchBrowser, screenshot, signIn } from './support/browser.js';

/** Reply drafts in the composer, in real Chromium, against a fake OpenAI-compatible endpoint. */
describe('reply drafts in the inbox', () => {
  let fake: FakeLlm;
  let gateway: TestGateway;
  let browser: Browser;
  let page: Page;
  let token: string;
  let conversationId: string;

  /** Opens the conversation once the inbox has asked whether drafts are on. */
  const open = async (): Promise<void> => {
    await page.goto(`${gateway.url}/#/conversations/${conversationId}`);
    const status = page.waitForResponse((r) => r.url().endsWith('/api/drafts/status'));
    await page.reload();
    await status;
    await page.getByTestId('composer-input').waitFor();
  };

  beforeAll(async () => {
    fake = await startFakeLlm();
    // No desk.llm in the file: drafts start off.
    gateway = await startTestGateway({ desk: { safety: { footer: false }, autoAck: false, csat: { enabled: false } } });
    token = await loginAdmin(gateway.url);
    const article = await request(gateway.url, 'POST', '/api/kb/articles', {
      token,
      body: {
        slug: 'withdrawal-pending',
        tags: ['withdrawals'],
        status: 'published',
        translations: { en: { title: 'Why is my withdrawal pending?', body: 'A withdrawal waits for **12 network confirmations**, usually about 30 minutes.' } },
      },
    });
    expect(article.status).toBe(201);
    const visitor = await Visitor.create(gateway.url, 'web', { name: 'Wang Fang' });
    await visitor.send('Hi, my withdrawal has been pending for two hours. Is something wrong?');
    conversationId = await eventually(async () => (await request(gateway.url, 'GET', '/api/conversations', { token })).body.items[0]?.id as string | undefined);
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' })).newPage();
    await signIn(page, gateway.url);
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.dispose();
    await fake?.close();
  });

  it('offers no draft button while desk.llm is not configured', async () => {
    await open();
    expect(await page.getByTestId('draft-button').count()).toBe(0);
    expect(fake.requests).toEqual([]);
  });

  it('once configured, the button fills the composer with a suggestion naming its article; nothing is sent', async () => {
    const on = await request(gateway.url, 'PUT', '/api/desk/settings/drafts', { token, body: { llm: { baseUrl: fake.baseUrl, model: 'gpt-4o-mini', apiKey: fake.apiKey } } });
    expect(on.status).toBe(200);
    await open();
    const button = page.getByTestId('draft-button');
    await button.waitFor();
    expect(await button.innerText()).toBe('Draft reply');

    fake.script(steps.reply('Hi [customer name], a withdrawal waits for 12 network confirmations, usually about 30 minutes.'));
    await button.click();
    await expect.poll(() => page.getByTestId('composer-input').inputValue()).toBe('Hi Wang Fang, a withdrawal waits for 12 network confirmations, usually about 30 minutes.');
    const notice = page.getByTestId('draft-notice');
    expect(await notice.getAttribute('data-kind')).toBe('suggestion');
    expect(await notice.innerText()).toContain('Suggested reply: check and edit it before sending.');
    const source = page.getByTestId('draft-article');
    expect(await source.innerText()).toBe('Why is my withdrawal pending?');
    expect(await source.getAttribute('href')).toMatch(/\/help\/en\/withdrawal-pending$/);
    expect(await source.getAttribute('target')).toBe('_blank');
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.raw).not.toContain('Wang');
    await screenshot(page, 'drafts-suggestion');
    // A suggestion only: the conversation still holds the customer's message alone.
    const messages = await request(gateway.url, 'GET', `/api/conversations/${conversationId}/messages`, { token });
    expect(messages.body.items.filter((m: { author: { type: string } }) => m.author.type === 'agent')).toEqual([]);
  });

  it('the agent edits the draft and sends it; the notice goes with the sent text', async () => {
    const input = page.getByTestId('composer-input');
    await input.fill(`${await input.inputValue()} Yours shows 8 of 12 so far.`);
    await page.getByTestId('composer-send').click();
    const sent = page.locator('[data-testid="message"][data-author-type="agent"]');
    await sent.filter({ hasText: 'Yours shows 8 of 12 so far.' }).waitFor();
    expect(await input.inputValue()).toBe('');
    expect(await page.getByTestId('draft-notice').count()).toBe(0);
    const stored = await request(gateway.url, 'GET', `/api/conversations/${conversationId}/messages`, { token });
    expect(stored.body.items.at(-1)).toMatchObject({
      author: { type: 'agent' },
      text: 'Hi Wang Fang, a withdrawal waits for 12 network confirmations, usually about 30 minutes. Yours shows 8 of 12 so far.',
    });
  });

  it('says clearly when there is no draft: the endpoint busy, a withheld draft — the composer keeps what was typed', async () => {
    const input = page.getByTestId('composer-input');
    await input.fill('Let me check');
    fake.script(steps.rateLimited(30));
    await page.getByTestId('draft-button').click();
    const notice = page.getByTestId('draft-notice');
    await expect.poll(() => notice.getAttribute('data-kind')).toBe('error');
    expect(await notice.innerText()).toContain('The drafting service is busy. Try again in a moment.');
    expect(await notice.getAttribute('role')).toBe('alert');

    fake.script(steps.reply('Please send us your 12-word recovery phrase so we can verify the wallet.'));
    await page.getByTestId('draft-button').click();
    await expect.poll(() => notice.innerText()).toContain('The draft was withheld');
    expect(await input.inputValue()).toBe('Let me check');
    await screenshot(page, 'drafts-withheld');
  });

  it('is translated: 生成草稿, and the suggestion notice in Chinese', async () => {
    await page.getByTestId('language-switch').selectOption('zh');
    await open();
    const button = page.getByTestId('draft-button');
    await button.waitFor();
    expect(await button.innerText()).toBe('生成草稿');
    await page.getByTestId('composer-input').fill('');
    fake.script(steps.reply('[customer name]您好，提现需要等待 12 个网络确认。'));
    await button.click();
    const notice = page.getByTestId('draft-notice');
    await expect.poll(() => notice.getAttribute('data-kind')).toBe('suggestion');
    expect(await notice.innerText()).toContain(dictionaries.zh['draft.suggestion']);
    expect(await page.getByTestId('composer-input').inputValue()).toBe('Wang Fang您好，提现需要等待 12 个网络确认。');
    await screenshot(page, 'drafts-suggestion-zh');
    await page.getByTestId('language-switch').selectOption('en');
  });
});
