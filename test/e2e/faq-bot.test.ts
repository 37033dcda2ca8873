import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation } from '../../src/domain/index.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { eventually, loginAdmin, request } from '../support/http.js';
import { launchBrowser, screenshot, signIn } from './support/browser.js';

/**
 * The FAQ bot as the two people see it (issue 16), in real Chromium against a real gateway: the
 * visitor asks in the widget and gets the article with two buttons; the agent sees the Bot chip
 * and banner; the visitor taps "Talk to a person" and both see the handoff happen, live.
 */
describe('the FAQ bot in the widget and the inbox, in real Chromium', () => {
  let gateway: TestGateway;
  let browser: Browser;
  let visitor: Page;
  let agent: Page;
  let token: string;
  let conversation: Conversation;

  beforeAll(async () => {
    gateway = await startTestGateway({ desk: { safety: { footer: false }, autoAck: false, csat: { enabled: false }, bot: { enabled: true, channels: ['webchat'] } } });
    token = await loginAdmin(gateway.url);
    const article = await request(gateway.url, 'POST', '/api/kb/articles', {
      token,
      body: {
        slug: 'transfer-not-arrived',
        tags: ['transfers'],
        status: 'published',
        translations: {
          en: { title: 'My transfer has not arrived', body: 'Transfers need **network confirmations** before they show up. Look the transaction hash up in a block explorer; most transfers arrive within 30 minutes.' },
          zh: { title: '转账一直没有到账', body: '转账需要等待**区块确认**后才会显示。请在区块浏览器中查询交易哈希，大多数转账会在30分钟内到账。' },
        },
      },
    });
    expect(article.status, JSON.stringify(article.body)).toBe(201);
    browser = await launchBrowser();
    agent = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' })).newPage();
    await signIn(agent, gateway.url);
    visitor = await (await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US' })).newPage();
    await visitor.goto(`${gateway.url}/demo`);
    await visitor.getByTestId('launcher').click();
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.dispose();
  });

  const answer = () => visitor.locator('[data-testid="message"][data-direction="outbound"]').filter({ hasText: 'My transfer has not arrived' });

  it('the visitor’s question gets the article, a link to the help center and two buttons', async () => {
    await visitor.getByTestId('composer-input').fill('my transfer has not arrived yet');
    await visitor.getByTestId('send-button').click();
    await answer().waitFor({ timeout: 15_000 });
    expect(await answer().getByTestId('choice-option').allTextContents()).toEqual(['This solved it', 'Talk to a person']);
    expect(await answer().textContent()).toContain('/help/en/transfer-not-arrived');
    await screenshot(visitor, 'faq-bot-widget-answer');
    conversation = await eventually(async () => (await request<{ items: Conversation[] }>(gateway.url, 'GET', '/api/conversations?channel=web', { token })).body.items[0], 15_000, 'the conversation');
    expect(conversation.handledBy).toBe('bot');
  });

  it('the agent sees the Bot chip and the banner; a tap on "Talk to a person" hands over, live on both sides', async () => {
    const item = agent.locator(`[data-testid="conversation-item"][data-id="${conversation.id}"]`);
    await item.getByTestId('bot-chip').waitFor({ timeout: 15_000 });
    await item.click();
    await agent.getByTestId('bot-banner').waitFor();
    await screenshot(agent, 'faq-bot-inbox-banner');

    await answer().getByTestId('choice-option').filter({ hasText: 'Talk to a person' }).click();
    await visitor.locator('[data-testid="message"][data-direction="outbound"]').filter({ hasText: "Sure, I'm passing you to our support team." }).waitFor({ timeout: 15_000 });
    // The agent's screen changes without a reload: the banner and the chip go, the system line says why.
    await agent.getByTestId('bot-banner').waitFor({ state: 'detached', timeout: 15_000 });
    await item.getByTestId('bot-chip').waitFor({ state: 'detached' });
    await agent.getByText('The FAQ bot handed the conversation to the team: the customer asked for a person').waitFor();
    await screenshot(agent, 'faq-bot-inbox-handed-off');
    expect((await request<Conversation>(gateway.url, 'GET', `/api/conversations/${conversation.id}`, { token })).body).toMatchObject({ handledBy: 'agent', handoff: { reason: 'asked' } });
  });

  it('an agent takes a bot conversation over from the banner', async () => {
    const second = await (await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' })).newPage();
    await second.goto(`${gateway.url}/demo`);
    await second.getByTestId('launcher').click();
    await second.getByTestId('composer-input').fill('你好');
    await second.getByTestId('send-button').click();
    await second.locator('[data-testid="message"][data-direction="outbound"]').filter({ hasText: '您好！我是智能助手。' }).waitFor({ timeout: 15_000 });
    const opened = await eventually(
      async () => (await request<{ items: Conversation[] }>(gateway.url, 'GET', '/api/conversations?channel=web', { token })).body.items.find((c) => c.id !== conversation.id),
      15_000,
      'the second conversation',
    );
    await agent.locator(`[data-testid="conversation-item"][data-id="${opened.id}"]`).click();
    await agent.getByTestId('take-over').click();
    await agent.getByTestId('bot-banner').waitFor({ state: 'detached', timeout: 15_000 });
    expect((await request<Conversation>(gateway.url, 'GET', `/api/conversations/${opened.id}`, { token })).body).toMatchObject({ handledBy: 'agent', handoff: { reason: 'taken-over' } });
  });

  it('an admin turns the bot off in the desk settings; a new conversation is then the team’s', async () => {
    await agent.goto(`${gateway.url}/#/desk`);
    const card = agent.getByTestId('desk-bot');
    await card.waitFor();
    expect(await card.getByTestId('desk-bot-enabled').isChecked()).toBe(true);
    expect(await card.getByTestId('desk-bot-channel-webchat').isChecked()).toBe(true);
    await card.getByTestId('desk-bot-enabled').uncheck();
    await card.getByRole('button', { name: 'Save the bot' }).click();
    await card.locator('[data-testid="desk-edited"][data-edited="true"]').waitFor({ timeout: 15_000 });
    const saved = await request(gateway.url, 'GET', '/api/desk/settings', { token });
    expect(saved.body.items.find((i: { feature: string }) => i.feature === 'bot').settings).toEqual({ bot: { enabled: false, channels: ['webchat'] } });
    const third = await (await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US' })).newPage();
    await third.goto(`${gateway.url}/demo`);
    await third.getByTestId('launcher').click();
    await third.getByTestId('composer-input').fill('my transfer has not arrived yet, third visitor');
    await third.getByTestId('send-button').click();
    const opened = await eventually(
      async () => (await request<{ items: Conversation[] }>(gateway.url, 'GET', `/api/conversations?q=${encodeURIComponent('third visitor')}`, { token })).body.items[0],
      15_000,
      'the third conversation',
    );
    expect(opened.handledBy).toBe('agent');
  });
});
