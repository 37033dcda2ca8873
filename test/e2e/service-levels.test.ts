import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { eventually, loginAdmin, request } from '../support/http.js';
import { Visitor } from '../support/visitor.js';
import { launchBrowser, screenshot, signIn } from './support/browser.js';

/** Long enough for a 6 s target to run out, the desk's timer to record it and the event to arrive. */
const BREACH = { timeout: 25_000 };

/** What an agent sees of service levels: a live countdown per conversation, the breached view, the due order, every due time. */
describe('service levels in the inbox, in real Chromium', () => {
  let gateway: TestGateway;
  let browser: Browser;
  let page: Page;
  let token: string;
  let ana: string;
  let bo: string;

  beforeAll(async () => {
    gateway = await startTestGateway({
      channels: [{ id: 'web', kind: 'webchat' }],
      desk: { safety: { footer: false }, autoAck: false, responseTargets: { webchat: '6s' }, sla: [{ name: 'chat', firstResponse: 'channel', resolution: '2d' }] },
    });
    token = await loginAdmin(gateway.url);
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' })).newPage();
    await signIn(page, gateway.url);
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.dispose();
  });

  /** A web chat visitor writes; the id of the conversation it opens. */
  const visitorWrites = async (name: string, text: string): Promise<string> => {
    const visitor = await Visitor.create(gateway.url, 'web', { name });
    await visitor.send(text);
    return eventually(async () => {
      const { body } = await request<{ items: { id: string; contact: { name: string } }[] }>(gateway.url, 'GET', '/api/conversations', { token });
      return body.items.find((c) => c.contact.name === name)?.id;
    });
  };
  const reply = async (conversationId: string, text: string) => {
    const response = await request(gateway.url, 'POST', `/api/conversations/${conversationId}/messages`, { token, body: { text } });
    expect(response.status).toBe(202);
  };
  const item = (id: string) => page.locator(`[data-testid="conversation-item"][data-id="${id}"]`);
  const badge = (id: string) => item(id).getByTestId('sla-badge');
  const listed = () => page.getByTestId('conversation-item').evaluateAll((items) => items.map((element) => element.getAttribute('data-id')));

  it('the countdown starts green, turns amber, then red once the 6 s target passes — without a reload', async () => {
    // Every state each conversation's badge takes, recorded in the page: a reload would lose it.
    await page.evaluate(() => {
      const seen: Record<string, string[]> = {};
      (window as unknown as { slaStates: typeof seen }).slaStates = seen;
      new MutationObserver(() => {
        for (const element of Array.from(document.querySelectorAll<HTMLElement>('[data-testid="conversation-item"] [data-testid="sla-badge"]'))) {
          const id = element.closest<HTMLElement>('[data-testid="conversation-item"]')!.dataset.id!;
          const states = (seen[id] ??= []);
          if (states[states.length - 1] !== element.dataset.state) states.push(element.dataset.state!);
        }
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
    });
    ana = await visitorWrites('Ana Lima', 'My deposit has not arrived yet');

    await expect.poll(() => badge(ana).getAttribute('data-state')).toBe('ok');
    expect(await badge(ana).getAttribute('aria-label')).toMatch(/^First response due in \d seconds?$/);
    await expect.poll(() => badge(ana).getAttribute('data-state'), BREACH).toBe('breached');
    expect(await badge(ana).getAttribute('aria-label')).toMatch(/^First response overdue by \d+ seconds?$/);
    expect(await badge(ana).textContent()).toMatch(/^\u2212?\d+s$/);
    expect(await page.evaluate((id) => (window as unknown as { slaStates: Record<string, string[]> }).slaStates[id], ana)).toEqual(['ok', 'warning', 'breached']);
  }, 60_000);

  it('the header lists every due time of the conversation with its state, and the policy', async () => {
    await item(ana).click();
    const clocks = page.getByTestId('sla-clocks');
    await clocks.waitFor();
    expect(await clocks.getAttribute('data-policy')).toBe('chat');
    expect(await clocks.textContent()).toContain('Service level “chat”');
    const rows = clocks.getByTestId('sla-due');
    await expect.poll(() => rows.evaluateAll((all) => all.map((row) => `${row.getAttribute('data-metric')}:${row.getAttribute('data-state')}`))).toEqual([
      'firstResponse:breached',
      'resolution:ok',
    ]);
    const localTime = /[A-Z][a-z]{2} \d{1,2}, \d{1,2}:\d{2}\s?[AP]M/;
    const [firstResponse, resolution] = await rows.allTextContents();
    expect(firstResponse).toMatch(new RegExp(`^First response\\s*breached ${localTime.source}\\s*\u2212?\\d+s`));
    expect(resolution).toMatch(new RegExp(`^Resolution\\s*due ${localTime.source}\\s*47h`));
    await screenshot(page, 'service-levels-header');

    await reply(ana, 'Let me check that deposit for you.');
    await expect.poll(() => rows.evaluateAll((all) => all.map((row) => `${row.getAttribute('data-metric')}:${row.getAttribute('data-state')}`))).toEqual([
      'firstResponse:met',
      'resolution:ok',
    ]);
    expect(await rows.first().textContent()).toMatch(new RegExp(`^First response\\s*met ${localTime.source}, late \\(due ${localTime.source}\\)$`));
    await page.goto(`${gateway.url}/#/conversations`);
  });

  it('the Breached view takes in a conversation the moment it breaches and lets go of it once answered', async () => {
    await page.getByTestId('view-breached').click();
    expect(await page.getByTestId('view-breached').getAttribute('aria-pressed')).toBe('true');
    // Ana was answered (late): nothing is past due now.
    await page.getByTestId('list-empty').waitFor();

    bo = await visitorWrites('Bo Chen', 'Is the withdrawal stuck?');
    await expect.poll(listed, BREACH).toEqual([bo]);
    expect(await badge(bo).getAttribute('data-state')).toBe('breached');

    await reply(bo, 'Looking into your withdrawal now.');
    await expect.poll(listed).toEqual([]);
    await page.getByTestId('view-breached').click();
    await expect.poll(listed).toEqual([bo, ana]);
  }, 60_000);

  it('Due soonest puts an overdue conversation above a fresh one, and moves conversations as their due times change', async () => {
    const carla = await visitorWrites('Carla Reyes', 'Hi, a question about fees');
    await expect.poll(listed).toEqual([carla, bo, ana]);
    await expect.poll(() => badge(carla).getAttribute('data-state'), BREACH).toBe('breached');
    const dan = await visitorWrites('Dan Park', 'Card top-up failed');
    await expect.poll(listed).toEqual([dan, carla, bo, ana]);

    await page.getByTestId('sort-due').click();
    expect(await page.getByTestId('sort-toggle').getAttribute('data-sort')).toBe('due');
    // Carla is overdue on her first response; Dan's is due in seconds; Ana and Bo were answered: resolution in two days.
    await expect.poll(listed).toEqual([carla, dan, ana, bo]);
    await screenshot(page, 'service-levels-due-order');

    // Answering Carla leaves her resolution target, due in two days: after Dan, Ana and Bo.
    await reply(carla, 'The fees are listed on our pricing page.');
    await expect.poll(listed).toEqual([dan, ana, bo, carla]);
    expect(await badge(carla).getAttribute('data-state')).toBe('ok');

    await page.getByTestId('sort-activity').click();
    await expect.poll(listed).toEqual([carla, dan, bo, ana]);
  }, 60_000);
});
