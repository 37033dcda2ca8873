import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dictionaries } from '../../src/ui/inbox/src/i18n.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { eventually, loginAdmin, request } from '../support/http.js';
import { Visitor } from '../support/visitor.js';
import { launchBrowser, screenshot, signIn } from './support/browser.js';

/**
 * English strings of the inbox that must not be left on a screen shown in Chinese: the values of
 * the English dictionary that differ from their Chinese translation, long enough to be telling.
 */
const englishOnly = Object.entries(dictionaries.en)
  .filter(([key, value]) => value !== dictionaries.zh[key as keyof typeof dictionaries.zh])
  .flatMap(([, value]) => value.split(/\{[a-zA-Z]+\}/))
  .map((part) => part.trim())
  .filter((part) => part.length >= 8 && /[a-z]{3}/.test(part));

describe('the inbox in 简体中文', () => {
  let gateway: TestGateway;
  let browser: Browser;
  let page: Page;
  let conversationId: string;
  let escalatedId: string;

  beforeAll(async () => {
    // A service level, so the list's countdown and the header's due times are on the screens checked.
    gateway = await startTestGateway({ desk: { safety: { footer: false }, autoAck: false, sla: [{ name: 'standard', firstResponse: '1h', resolution: '1d' }] } });
    const token = await loginAdmin(gateway.url);
    // A team the admin supervises, taking the web chat: the header's team, the Teams page and an
    // escalation to a supervisor are on the screens checked too.
    const me = (await request(gateway.url, 'GET', '/api/me', { token })).body;
    const team = await request(gateway.url, 'POST', '/api/teams', { token, body: { name: '客服一组', supervisorId: me.id, channels: ['webchat'], members: [{ agentId: me.id, capacity: 5 }] } });
    expect(team.status).toBe(201);
    const complainer = await Visitor.create(gateway.url, 'web', { name: '李雷' });
    await complainer.send('我要投诉：手续费被扣了两次');
    // Once the desk has placed it in the team (it reacts to the new conversation a moment later).
    escalatedId = await eventually(async () => (await request(gateway.url, 'GET', '/api/conversations', { token })).body.items.find((c: { teamId: string | null }) => c.teamId !== null)?.id as string | undefined);
    expect((await request(gateway.url, 'POST', `/api/conversations/${escalatedId}/escalate`, { token, body: { reason: 'complaint' } })).status).toBe(200);
    const visitor = await Visitor.create(gateway.url, 'web', { name: '王芳' });
    await visitor.send('我的助记词好像泄露了，资金还安全吗？');
    conversationId = await eventually(async () => (await request(gateway.url, 'GET', '/api/conversations', { token })).body.items.find((c: { id: string }) => c.id !== escalatedId)?.id as string | undefined);
    await request(gateway.url, 'POST', `/api/conversations/${conversationId}/messages`, { token, body: { text: '请勿向任何人透露助记词。', private: true } });
    await request(gateway.url, 'PATCH', `/api/conversations/${conversationId}`, { token, body: { priority: 'urgent', labels: ['安全'] } });
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' })).newPage();
    await signIn(page, gateway.url);
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.dispose();
  });

  const leftovers = async (): Promise<string[]> => {
    const text = await page.evaluate(() => document.body.innerText);
    return englishOnly.filter((english) => text.includes(english));
  };

  it('every screen is fully translated once 中文 is chosen, and the choice survives a reload', async () => {
    expect(englishOnly.length).toBeGreaterThan(50);
    await page.getByTestId('language-switch').selectOption('zh');
    await page.goto(`${gateway.url}/#/conversations/${conversationId}`);
    await page.getByTestId('conversation-view').getByTestId('message').first().waitFor();
    await page.reload();
    await page.getByTestId('conversation-view').getByTestId('message').first().waitFor();
    expect(await page.getByTestId('language-switch').inputValue()).toBe('zh');
    expect(await leftovers()).toEqual([]);
    expect(await page.evaluate(() => document.body.innerText)).toContain('我的助记词好像泄露了');
    expect(await page.getByTestId('sla-clocks').innerText()).toMatch(/服务级别“standard”\s+首次响应\s+.*到期/);
    await screenshot(page, 'inbox-conversation-zh');

    await page.keyboard.press('?');
    await page.getByTestId('shortcuts-help').waitFor();
    expect(await leftovers()).toEqual([]);
    await page.keyboard.press('Escape');

    // An escalation to a supervisor: the banner, the list's level, the Escalate menu, the Escalated view.
    await page.goto(`${gateway.url}/#/conversations/${escalatedId}`);
    const banner = page.getByTestId('conversation-view').getByTestId('escalation');
    await expect.poll(() => banner.getAttribute('data-reason')).toBe('complaint');
    expect(await banner.innerText()).toMatch(/已升级 · 第 1 级\s*由 .+ 升级给 .+：投诉/);
    expect(await page.getByTestId('team-select').locator('option:checked').textContent()).toBe('客服一组');
    await page.getByTestId('escalate').click();
    await page.getByTestId('escalate-menu').waitFor();
    expect(await leftovers()).toEqual([]);
    await screenshot(page, 'escalation-zh');
    await page.keyboard.press('Escape');
    await page.getByTestId('view-escalated').click();
    await expect.poll(() => page.getByTestId('conversation-item').evaluateAll((items) => items.map((item) => item.getAttribute('data-id')))).toContain(escalatedId);
    expect(await leftovers()).toEqual([]);

    await page.getByTestId('nav-teams').click();
    await page.getByTestId('team-row').first().waitFor();
    expect(await leftovers()).toEqual([]);
    await screenshot(page, 'teams-zh');

    await page.getByTestId('nav-agents').click();
    await page.getByTestId('agents-page').waitFor();
    expect(await leftovers()).toEqual([]);
    await screenshot(page, 'admin-agents-zh');

    await page.getByTestId('nav-channels').click();
    await page.getByTestId('channels-page').waitFor();
    expect(await leftovers()).toEqual([]);

    await page.getByTestId('nav-desk').click();
    await page.getByTestId('desk-sla').waitFor();
    expect(await leftovers()).toEqual([]);
    await screenshot(page, 'desk-settings-zh');
  });
});
