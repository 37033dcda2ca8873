import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pickExternalId } from '../../adapters/webchat/inbound.js';
import { sendAutomatic } from '../../src/inbox/send-automatic.js';
import { askQuestion, conversationOf, scoreOptions } from '../fakes/webchat/questions.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { eventually, loginAdmin, request } from '../support/http.js';
import { launchBrowser, screenshot } from './support/browser.js';

/**
 * A question with options (the satisfaction survey) in the real widget, in real Chromium: it shows
 * under the desk's text as buttons, a tap is the visitor's one message, and a reload shows it answered.
 */
describe('the widget shows a question as star buttons, and a tap is recorded once', () => {
  let gateway: TestGateway;
  let browser: Browser;
  let page: Page;
  let visitorId: string;
  let conversationId: string;
  const CHOICE = '01jd8w3yq5v0s6zt9n4c2h7k1m';
  const QUESTION = 'How would you rate our help? Tap a score.';
  const policyErrors: string[] = [];

  const question = () => page.getByRole('group', { name: QUESTION });
  const stars = () => question().getByRole('button');
  const storedPick = async () =>
    gateway.deps.db.selectFrom('messages').select(['text', 'choice', 'conversation_id']).where('channel_id', '=', 'web').where('external_id', '=', pickExternalId(visitorId, CHOICE)).execute();

  beforeAll(async () => {
    gateway = await startTestGateway();
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US' })).newPage();
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) policyErrors.push(message.text());
    });
    await page.goto(`${gateway.url}/demo`);
    await page.getByTestId('launcher').click();
    await page.getByTestId('composer-input').fill('Thanks, the withdrawal arrived.');
    await page.getByTestId('send-button').click();
    await page.locator('[data-testid="message"][data-state="sent"]').filter({ hasText: 'withdrawal arrived' }).waitFor({ timeout: 15_000 });
    visitorId = await page.evaluate(() => JSON.parse(localStorage.getItem('switchboard:web:anon:v') ?? 'null') as string);
    conversationId = await eventually(() => conversationOf(gateway, visitorId), 15_000, 'the conversation');
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.dispose();
  });

  it('the question arrives live under its text as five buttons named by the labels, open to pick', async () => {
    await askQuestion(gateway, conversationId, CHOICE, QUESTION);
    await question().waitFor({ timeout: 15_000 });
    expect(await stars().evaluateAll((buttons) => buttons.map((b) => [b.getAttribute('aria-label'), b.textContent, (b as HTMLButtonElement).disabled, b.getAttribute('aria-pressed')]))).toEqual(
      scoreOptions().map((o) => [o.label, '★', false, 'false']),
    );
    // The buttons sit in the desk's message bubble, under its text.
    const bubble = page.locator('[data-testid="message"][data-direction="outbound"] .bubble').filter({ hasText: QUESTION });
    expect(await bubble.getByTestId('choice-option').count()).toBe(5);
    await screenshot(page, 'csat-widget-question');
  });

  it('is usable from the keyboard: Tab reaches the first star, arrow keys move between them', async () => {
    await stars().first().focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.querySelector('[data-switchboard-widget]')?.shadowRoot?.activeElement?.getAttribute('aria-label'))).toBe('3 ★');
    await page.keyboard.press('End');
    expect(await page.evaluate(() => document.querySelector('[data-switchboard-widget]')?.shadowRoot?.activeElement?.getAttribute('aria-label'))).toBe('5 ★');
    await page.keyboard.press('ArrowLeft');
    expect(await page.evaluate(() => document.querySelector('[data-switchboard-widget]')?.shadowRoot?.activeElement?.getAttribute('aria-label'))).toBe('4 ★');
    // Moving focus picks nothing.
    expect(await storedPick()).toEqual([]);
  });

  it("a click on the fourth star sends the visitor's '4 ★' once; the stars then show 4 and are disabled", async () => {
    await stars().nth(3).click();
    await page.locator('[data-testid="message"][data-direction="inbound"][data-state="sent"]').filter({ hasText: '4 ★' }).waitFor({ timeout: 15_000 });
    await expect.poll(() => stars().evaluateAll((buttons) => buttons.map((b) => (b as HTMLButtonElement).disabled))).toEqual([true, true, true, true, true]);
    expect(await stars().evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-pressed')))).toEqual(['false', 'false', 'false', 'true', 'false']);
    expect(await stars().evaluateAll((buttons) => buttons.map((b) => b.classList.contains('on')))).toEqual([true, true, true, true, false]);
    const stored = await eventually(async () => (await storedPick())[0], 15_000, 'the pick to be stored');
    expect(stored).toMatchObject({ text: '4 ★', conversation_id: conversationId, choice: { id: CHOICE, picked: '4' } });
    // A second click on a disabled star does nothing.
    await stars().nth(4).click({ force: true });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await page.locator('[data-testid="message"][data-direction="inbound"]').filter({ hasText: /^\s*5 ★/ }).count()).toBe(0);
    expect(await storedPick()).toHaveLength(1);
    // Pointing at a star after the pick previews nothing: the stars still show 4.
    expect(await stars().evaluateAll((buttons) => buttons.map((b) => b.classList.contains('on')))).toEqual([true, true, true, true, false]);
    await page.mouse.move(10, 10);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await screenshot(page, 'csat-widget');
  });

  it('after a reload the question shows as answered, from the history', async () => {
    await page.reload();
    await page.getByTestId('launcher').click();
    await question().waitFor({ timeout: 15_000 });
    await expect.poll(() => stars().evaluateAll((buttons) => buttons.map((b) => `${(b as HTMLButtonElement).disabled}:${b.getAttribute('aria-pressed')}`))).toEqual([
      'true:false',
      'true:false',
      'true:false',
      'true:true',
      'true:false',
    ]);
    expect(await storedPick()).toHaveLength(1);
  });

  it('options that are not a 1…n scale are buttons with their labels, and a label with markup stays text', async () => {
    const id = 'faq01';
    const labels = ['<img src=x onerror="document.title=1">Solved', 'Talk to a "person" & more'];
    const outcome = await sendAutomatic(
      gateway.deps,
      {
        conversationId,
        channelId: 'web',
        feature: 'test-question',
        authorName: 'Acme Support',
        text: 'Did this answer your question?',
        key: `question-${id}`,
        choice: { id, options: [{ value: 'yes', label: labels[0]!, answered: '' }, { value: 'no', label: labels[1]!, answered: '' }] },
      },
      false,
    );
    expect(outcome).toBe('queued');
    const group = page.getByRole('group', { name: 'Did this answer your question?' });
    await group.waitFor({ timeout: 15_000 });
    expect(await group.getByRole('button').allTextContents()).toEqual(labels);
    expect(await group.getByRole('button').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label')))).toEqual(labels);
    expect(await group.locator('img').count()).toBe(0);
    await screenshot(page, 'widget-question-buttons');
    expect(await page.title()).not.toBe('1');
  });

  it("the desk's own survey after a resolution shows as stars, and a click rates the conversation", async () => {
    const token = await loginAdmin(gateway.url);
    expect((await request(gateway.url, 'PUT', '/api/desk/settings/csat', { token, body: { csat: { enabled: true, delay: '0s' } } })).status).toBe(200);
    const visitor = await (await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US' })).newPage();
    await visitor.goto(`${gateway.url}/demo`);
    await visitor.getByTestId('launcher').click();
    await visitor.getByTestId('composer-input').fill('How do I export my history?');
    await visitor.getByTestId('send-button').click();
    await visitor.locator('[data-testid="message"][data-state="sent"]').waitFor({ timeout: 15_000 });
    const id = await visitor.evaluate(() => JSON.parse(localStorage.getItem('switchboard:web:anon:v') ?? 'null') as string);
    const conversation = await eventually(() => conversationOf(gateway, id), 15_000, 'the conversation');
    // Surveys follow an answered conversation only.
    expect((await request(gateway.url, 'POST', `/api/conversations/${conversation}/messages`, { token, body: { text: 'Settings → Export.' } })).status).toBe(202);
    await visitor.locator('[data-testid="message"][data-direction="outbound"]').filter({ hasText: 'Settings → Export.' }).waitFor({ timeout: 15_000 });
    expect((await request(gateway.url, 'PATCH', `/api/conversations/${conversation}`, { token, body: { status: 'resolved' } })).status).toBe(200);
    const survey = visitor.getByTestId('choice');
    await survey.waitFor({ timeout: 20_000 });
    const options = survey.getByRole('button');
    expect(await options.count()).toBe(5);
    await options.nth(4).click();
    const rated = await eventually(async () => (await request(gateway.url, 'GET', `/api/conversations/${conversation}`, { token })).body.csat ?? undefined, 20_000, 'the rating');
    expect(rated.rating).toBe(5);
    await expect.poll(() => options.evaluateAll((buttons) => buttons.map((b) => (b as HTMLButtonElement).disabled))).toEqual([true, true, true, true, true]);
    await visitor.close();
  });

  it('ran under the demo page\'s Content-Security-Policy without a violation', () => {
    expect(policyErrors).toEqual([]);
  });
});
