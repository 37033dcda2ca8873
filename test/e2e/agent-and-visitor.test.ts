import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { launchBrowser, screenshot, signIn } from './support/browser.js';

describe('an agent and a website visitor talk, live, in real Chromium', () => {
  let gateway: TestGateway;
  let browser: Browser;

  beforeAll(async () => {
    gateway = await startTestGateway({ channels: [{ id: 'web', kind: 'webchat', welcomeMessage: 'Hi! We never ask for your recovery phrase.' }] });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.dispose();
  });

  it('the visitor writes on /demo, the message appears in the inbox without reload, and the reply appears in the widget live', async () => {
    const agentPage = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' })).newPage();
    await signIn(agentPage, gateway.url);
    await expect.poll(() => agentPage.getByTestId('conversation-item').count()).toBe(0);

    const visitorPage = await (await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US' })).newPage();
    await visitorPage.goto(`${gateway.url}/demo`);
    await visitorPage.getByTestId('launcher').click();
    await visitorPage.getByTestId('composer-input').fill('My funds were stolen 🚨 资金被盗');
    await visitorPage.getByTestId('send-button').click();
    await visitorPage.getByTestId('message').filter({ hasText: 'My funds were stolen' }).waitFor();

    // No reload: the conversation arrives over the agent's event stream.
    const item = agentPage.getByTestId('conversation-item').first();
    await item.waitFor({ timeout: 15_000 });
    await expect.poll(() => item.textContent()).toContain('My funds were stolen');
    await item.click();
    const view = agentPage.getByTestId('conversation-view');
    await view.getByTestId('message').filter({ hasText: '资金被盗' }).waitFor();
    await screenshot(agentPage, 'inbox-conversation-en');

    await agentPage.getByTestId('composer-input').fill('We have frozen the withdrawal. We will never ask for your recovery phrase.');
    await agentPage.keyboard.press('Enter');
    const reply = view.locator('[data-testid="message"][data-direction="outbound"]').filter({ hasText: 'frozen the withdrawal' });
    await reply.waitFor();
    await expect.poll(() => reply.getAttribute('data-status'), { timeout: 15_000 }).toBe('sent');

    const answer = visitorPage.locator('[data-testid="message"][data-direction="outbound"]').filter({ hasText: 'frozen the withdrawal' });
    await answer.waitFor({ timeout: 15_000 });
    await screenshot(visitorPage, 'widget-mobile-conversation');

    // The visitor answers again; the open conversation in the inbox updates live.
    await visitorPage.getByTestId('composer-input').fill('Thank you! 谢谢');
    await visitorPage.getByTestId('composer-input').press('Enter');
    await view.getByTestId('message').filter({ hasText: 'Thank you! 谢谢' }).waitFor({ timeout: 15_000 });
  });
});
