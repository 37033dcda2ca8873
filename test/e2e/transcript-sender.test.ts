import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../src/domain/index.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { eventually, loginAdmin, request } from '../support/http.js';
import { Visitor } from '../support/visitor.js';
import { launchBrowser, screenshot, signIn } from './support/browser.js';

/**
 * "Can I have a record of this?" (issue 17): the agent sends the transcript from the customer
 * panel, in real Chromium, and the customer's conversation gets it as a PDF file.
 */
describe('sending a transcript from the customer panel, in real Chromium', () => {
  let gateway: TestGateway;
  let browser: Browser;
  let page: Page;
  let admin: string;
  let conversationId: string;

  beforeAll(async () => {
    gateway = await startTestGateway();
    admin = await loginAdmin(gateway.url);
    const customer = await Visitor.create(gateway.url, 'web', { name: '李娜' });
    expect((await customer.send('我的提币还没到账，能给我一份聊天记录吗？')).status).toBe(202);
    conversationId = await eventually(async () => (await request(gateway.url, 'GET', '/api/conversations', { token: admin })).body.items[0]?.id as string | undefined);
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' })).newPage();
    await signIn(page, gateway.url);
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.dispose();
  });

  it('a PDF transcript goes to the customer as a file in their conversation', async () => {
    await page.goto(`${gateway.url}/#/conversations/${conversationId}`);
    await page.getByTestId('conversation-view').waitFor();
    if (!(await page.getByTestId('customer-panel').isVisible())) await page.locator('.panel-toggle').click();
    const sender = page.getByTestId('transcript-sender');
    expect(await sender.getByTestId('transcript-via').inputValue()).toBe('channel');
    expect(await sender.getByTestId('transcript-format').inputValue()).toBe('pdf');
    await sender.getByTestId('transcript-send').click();
    await page.getByText('The transcript is on its way to the customer').waitFor({ timeout: 15_000 });
    await screenshot(page, 'transcript-sender');
    const sent = await eventually(
      async () => {
        const items = (await request<{ items: Message[] }>(gateway.url, 'GET', `/api/conversations/${conversationId}/messages`, { token: admin })).body.items;
        return items.find((m) => m.direction === 'outbound' && m.attachments.some((a) => a.mimeType === 'application/pdf') && m.status === 'sent');
      },
      15_000,
      'the transcript delivered',
    );
    expect(sent.author.type).toBe('agent');
    expect(sent.attachments[0]?.name).toMatch(/\.pdf$/);
  });

  it('by email without an email channel: the agent is told why, nothing is sent', async () => {
    const sender = page.getByTestId('transcript-sender');
    await sender.getByTestId('transcript-via').selectOption('email');
    await sender.getByTestId('transcript-to').fill('li.na@example.com');
    const before = (await request<{ items: Message[] }>(gateway.url, 'GET', `/api/conversations/${conversationId}/messages`, { token: admin })).body.items.length;
    await sender.getByTestId('transcript-send').click();
    await page.locator('[role="alert"], .toast').filter({ hasText: /email/i }).first().waitFor({ timeout: 15_000 });
    const after = (await request<{ items: Message[] }>(gateway.url, 'GET', `/api/conversations/${conversationId}/messages`, { token: admin })).body.items;
    expect(after).toHaveLength(before);
  });
});
