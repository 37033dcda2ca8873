import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptedChannel } from '../fakes/scripted-channel.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { eventually, loginAdmin, request } from '../support/http.js';
import { launchBrowser, screenshot, signIn } from './support/browser.js';

describe('conversation actions in the inbox, in real Chromium', () => {
  let gateway: TestGateway;
  let browser: Browser;
  let page: Page;
  const channel = new ScriptedChannel();
  let conversationId: string;

  beforeAll(async () => {
    gateway = await startTestGateway({ extraAdapters: [channel] });
    const token = await loginAdmin(gateway.url);
    await request(gateway.url, 'POST', '/api/agents', { token, body: { email: 'mei@example.com', name: 'Mei Chen', password: 'mei-password-1' } });
    await request(gateway.url, 'POST', '/webhooks/scripted', { headers: { 'x-secret': 'scripted-secret' }, body: { id: 'u1', from: 'alice', text: 'I cannot withdraw' } });
    conversationId = await eventually(async () => (await request(gateway.url, 'GET', '/api/conversations', { token })).body.items[0]?.id as string | undefined);
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' })).newPage();
    await signIn(page, gateway.url);
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.dispose();
  });

  const open = async (): Promise<void> => {
    await page.goto(`${gateway.url}/#/conversations/${conversationId}`);
    await page.getByTestId('conversation-view').waitFor();
  };
  const reload = async (): Promise<void> => {
    await page.reload();
    await page.getByTestId('conversation-view').waitFor();
  };
  const messages = () => page.getByTestId('conversation-view').getByTestId('message');

  it('resolve, reopen, assign and a private note behave and survive a reload', async () => {
    await open();
    await page.getByTestId('action-resolve').click();
    await expect.poll(() => page.getByTestId('conversation-status').getAttribute('data-status')).toBe('resolved');
    await reload();
    expect(await page.getByTestId('conversation-status').getAttribute('data-status')).toBe('resolved');

    await page.getByTestId('action-reopen').click();
    await expect.poll(() => page.getByTestId('conversation-status').getAttribute('data-status')).toBe('open');

    const mei = await page.getByTestId('assign-select').locator('option', { hasText: 'Mei Chen' }).getAttribute('value');
    await page.getByTestId('assign-select').selectOption(mei!);
    await page.getByTestId('priority-select').selectOption('urgent');

    await page.getByTestId('composer-mode-note').click();
    await page.getByTestId('composer-input').fill('Checked KYC: account owner confirmed.');
    await page.getByTestId('composer-send').click();
    await page.locator('[data-testid="message"][data-private="true"][data-author-type="agent"]').filter({ hasText: 'Checked KYC' }).waitFor();

    await reload();
    expect(await page.getByTestId('conversation-status').getAttribute('data-status')).toBe('open');
    expect(await page.getByTestId('assign-select').inputValue()).toBe(mei);
    expect(await page.getByTestId('priority-select').inputValue()).toBe('urgent');
    const note = page.locator('[data-testid="message"][data-private="true"][data-author-type="agent"]').filter({ hasText: 'Checked KYC' });
    // The history loads after the header: wait for it before counting.
    await note.waitFor();
    expect(await note.count()).toBe(1);
    // Every change left a system event in the history.
    const events = async () => (await page.locator('[data-testid="message"][data-author-type="system"]').allTextContents()).join('\n');
    await expect.poll(events).toMatch(/resolved/);
    expect(await events()).toMatch(/reopened/);
    expect(await events()).toMatch(/Mei Chen/);
    // The customer never received the note.
    expect(channel.sends.map((s) => s.message.text)).not.toContain('Checked KYC: account owner confirmed.');
    await screenshot(page, 'inbox-actions-note');
  });

  it('a reply whose channel send fails shows failed with the reason, and retry sends it', async () => {
    channel.willSend({ kind: 'permanent', code: 'blocked', message: 'Forbidden: bot was blocked by the user' });
    await open();
    await page.getByTestId('composer-mode-reply').click();
    await page.getByTestId('composer-input').fill('Please confirm your withdrawal address');
    await page.getByTestId('composer-send').click();
    const reply = messages().filter({ hasText: 'Please confirm your withdrawal address' });
    await expect.poll(() => reply.getAttribute('data-status'), { timeout: 15_000 }).toBe('failed');
    expect(await reply.getByTestId('message-error').textContent()).toContain('bot was blocked by the user');
    await screenshot(page, 'inbox-failed-reply');

    await reply.getByTestId('retry-button').click();
    await expect.poll(() => reply.getAttribute('data-status'), { timeout: 15_000 }).toBe('sent');
    expect(channel.sends.filter((s) => s.message.text === 'Please confirm your withdrawal address').map((s) => s.outcome)).toEqual(['permanent', 'ok']);
    await reload();
    expect(await messages().filter({ hasText: 'Please confirm your withdrawal address' }).getAttribute('data-status')).toBe('sent');
  });
});
