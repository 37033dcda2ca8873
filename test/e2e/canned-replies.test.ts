import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { eventually, loginAdmin, request } from '../support/http.js';
import { Visitor } from '../support/visitor.js';
import { launchBrowser, screenshot, signIn } from './support/browser.js';

const ANA = { email: 'ana@example.com', password: 'ana-password-1', name: 'Ana Silva' };
/** What the admin's shared reply becomes for 王小明 (the zh variant, the name filled in). */
const ZH_REFUND = '王小明您好，您的退款正在处理中，预计 1–3 个工作日到账。如有疑问请随时联系我们。';

/**
 * Canned replies as people use them, in real Chromium: an agent keeps a personal one, an admin
 * writes a shared one in both languages, and typing `/ref` in the composer of a Chinese
 * customer's conversation inserts the Chinese text with the customer's name — which, sent, is
 * what the customer receives.
 */
describe('canned replies in the inbox, in real Chromium', () => {
  let gateway: TestGateway;
  let browser: Browser;
  let admin: string;
  let adminPage: Page;
  let anaPage: Page;
  let anaId: string;
  let customer: Visitor;
  let conversationId: string;

  beforeAll(async () => {
    gateway = await startTestGateway();
    admin = await loginAdmin(gateway.url);
    const created = await request(gateway.url, 'POST', '/api/agents', { token: admin, body: ANA });
    expect(created.status).toBe(201);
    anaId = created.body.id;
    customer = await Visitor.create(gateway.url, 'web', { name: '王小明' });
    expect((await customer.send('你好，我的退款什么时候到账？')).status).toBe(202);
    conversationId = await eventually(async () => (await request(gateway.url, 'GET', '/api/conversations', { token: admin })).body.items[0]?.id as string | undefined);
    browser = await launchBrowser();
    adminPage = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' })).newPage();
    // Ana works in Chinese: the inbox follows the browser's language.
    anaPage = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })).newPage();
    await signIn(adminPage, gateway.url);
    await signIn(anaPage, gateway.url, ANA);
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.dispose();
  });

  const fieldError = (page: Page, field: string) => page.locator(`[data-testid="canned-field-error"][data-field="${field}"]`);
  const toasts = (page: Page) => page.getByTestId('toast').allTextContents();

  it('an agent creates a personal canned reply on the 快捷回复 page; a bad shortcut is shown at the field, shared is for admins', async () => {
    await anaPage.getByTestId('nav-canned').click();
    await anaPage.getByTestId('canned-page').waitFor();
    expect(await anaPage.getByTestId('nav-canned').textContent()).toBe('快捷回复');
    await anaPage.getByTestId('canned-empty').waitFor();
    const form = anaPage.getByTestId('canned-form');
    expect(await form.getByTestId('canned-scope-shared').isDisabled()).toBe(true);

    await form.getByTestId('canned-shortcut').fill('Thanks!');
    expect(await fieldError(anaPage, 'shortcut').textContent()).toBe('只能使用小写字母、数字和 -（不能在开头），最多 40 个字符。');
    expect(await form.getByTestId('canned-shortcut').getAttribute('aria-invalid')).toBe('true');
    await form.getByTestId('canned-shortcut').fill('thanks');
    expect(await fieldError(anaPage, 'shortcut').count()).toBe(0);
    await form.getByTestId('canned-title').fill('Thank you');
    await form.getByTestId('canned-text-zh').fill('不客气，');
    // The variable chip goes in where the cursor was.
    await form.locator('[data-testid="canned-variable"][data-variable="contact.name"]').click();
    await form.getByTestId('canned-text-zh').press('End');
    await form.getByTestId('canned-text-zh').pressSequentially('！祝您生活愉快。');
    expect(await form.getByTestId('canned-text-zh').inputValue()).toBe('不客气，{{contact.name}}！祝您生活愉快。');
    await form.getByTestId('canned-submit').click();
    await expect.poll(() => toasts(anaPage)).toContainEqual(expect.stringContaining('已创建 /thanks。'));
    const row = anaPage.locator('[data-testid="canned-row"][data-shortcut="thanks"]');
    await row.waitFor();
    expect(await row.getAttribute('data-scope')).toBe('personal');
    expect(await row.getByTestId('canned-scope').textContent()).toBe('个人');

    const stored = (await request(gateway.url, 'GET', '/api/canned', { token: admin })).body.items;
    // Personal: not even the admin sees it.
    expect(stored).toEqual([]);
  });

  it('an admin writes a shared one with both variants; an unknown variable is refused at the field before saving', async () => {
    await adminPage.getByTestId('nav-canned').click();
    const form = adminPage.getByTestId('canned-form');
    await form.getByTestId('canned-shortcut').fill('refund');
    await form.getByTestId('canned-title').fill('Refund status');
    await form.getByTestId('canned-scope-shared').check();
    await form.getByTestId('canned-text-en').fill('Hi {{contact.firstName}}, your refund is being processed and should arrive within 1–3 business days.');
    await form.getByTestId('canned-text-zh').fill('{{contact.phone}}您好');
    expect(await fieldError(adminPage, 'zh').textContent()).toMatch(/^Unknown variable \{\{contact\.phone\}\}\. Available: \{\{contact\.name\}\}/);
    await form.getByTestId('canned-submit').click();
    expect(await adminPage.getByTestId('canned-row').count()).toBe(0);

    await form.getByTestId('canned-text-zh').fill(`{{contact.name}}您好，您的退款正在处理中，预计 1–3 个工作日到账。如有疑问请随时联系我们。`);
    expect(await fieldError(adminPage, 'zh').count()).toBe(0);
    await form.getByTestId('canned-submit').click();
    const row = adminPage.locator('[data-testid="canned-row"][data-shortcut="refund"]');
    await row.waitFor();
    expect(await row.getAttribute('data-scope')).toBe('shared');
    expect(await row.getByTestId('canned-lang').evaluateAll((chips) => chips.map((chip) => chip.getAttribute('data-lang')))).toEqual(['en', 'zh']);
    await adminPage.evaluate(() => document.querySelector('.app-body')?.scrollTo(0, 0));
    await screenshot(adminPage, 'canned-page');

    // Asking for the phrase: the server's 422 lands at the field it came from.
    await form.getByTestId('canned-shortcut').fill('verify');
    await form.getByTestId('canned-title').fill('Verify wallet');
    await form.getByTestId('canned-text-en').fill('Please send us your recovery phrase so we can verify your wallet.');
    await form.getByTestId('canned-text-zh').fill('');
    await form.getByTestId('canned-submit').click();
    await fieldError(adminPage, 'en').waitFor();
    expect(await fieldError(adminPage, 'en').textContent()).toMatch(/^Refused: support never asks for a recovery phrase/);
    expect((await request(gateway.url, 'GET', '/api/canned', { token: admin })).body.items.map((c: { shortcut: string }) => c.shortcut)).toEqual(['refund']);
    await screenshot(adminPage, 'canned-refused');
  });

  it('typing /ref in the composer of the Chinese customer’s conversation inserts the Chinese text with their name; sending it delivers that text', async () => {
    await anaPage.goto(`${gateway.url}/#/conversations/${conversationId}`);
    const input = anaPage.getByTestId('composer-input');
    await input.waitFor();
    await input.click();

    // "/" alone lists both: Ana's own first. Arrows move, Esc closes and leaves the text as typed.
    await input.pressSequentially('/');
    const picker = anaPage.getByTestId('canned-picker');
    await picker.waitFor();
    const options = picker.getByTestId('canned-option');
    await expect.poll(() => options.evaluateAll((list) => list.map((o) => `${o.getAttribute('data-shortcut')}:${o.getAttribute('data-scope')}`))).toEqual(['thanks:personal', 'refund:shared']);
    expect(await options.nth(0).getAttribute('aria-selected')).toBe('true');
    await anaPage.keyboard.press('ArrowDown');
    expect(await options.nth(1).getAttribute('aria-selected')).toBe('true');
    await anaPage.keyboard.press('Escape');
    expect(await picker.count()).toBe(0);
    expect(await input.inputValue()).toBe('/');
    await input.press('Backspace');

    await input.pressSequentially('/ref');
    await picker.waitFor();
    await expect.poll(() => options.evaluateAll((list) => list.map((o) => o.getAttribute('data-shortcut')))).toEqual(['refund']);
    await screenshot(anaPage, 'canned-picker');
    await anaPage.keyboard.press('Enter');
    await expect.poll(() => input.inputValue()).toBe(ZH_REFUND);
    expect(await picker.count()).toBe(0);
    // Nothing was sent by that Enter: the picker took it.
    expect((await customer.history()).body.items.filter((m: { direction: string }) => m.direction === 'outbound')).toEqual([]);
    await screenshot(anaPage, 'canned-inserted');

    await input.press('Enter');
    const delivered = await eventually(async () => (await customer.history()).body.items.find((m: { direction: string }) => m.direction === 'outbound') as { text: string } | undefined);
    expect(delivered.text).toBe(ZH_REFUND);
    const messages = (await request(gateway.url, 'GET', `/api/conversations/${conversationId}/messages`, { token: admin })).body.items;
    expect(messages.at(-1)).toMatchObject({ text: ZH_REFUND, author: { type: 'agent', id: anaId }, private: false });
    await anaPage.getByTestId('conversation-view').locator('[data-testid="message"]', { hasText: '您的退款正在处理中' }).waitFor();
  });

  it('Tab inserts too, in place of the /query in the middle of the text, and the caret goes on after it', async () => {
    const input = anaPage.getByTestId('composer-input');
    await input.pressSequentially('好的 /tha 谢谢');
    // Past the space the picker is gone; back at the end of "/tha" it is there again.
    expect(await anaPage.getByTestId('canned-picker').count()).toBe(0);
    for (let i = 0; i < 3; i += 1) await input.press('ArrowLeft');
    await anaPage.getByTestId('canned-picker').waitFor();
    await anaPage.keyboard.press('Tab');
    await expect.poll(() => input.inputValue()).toBe('好的 不客气，王小明！祝您生活愉快。 谢谢');
    await input.pressSequentially('🙂');
    expect(await input.inputValue()).toBe('好的 不客气，王小明！祝您生活愉快。🙂 谢谢');
  });
});
