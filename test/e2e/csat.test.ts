import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation, Message } from '../../src/domain/index.js';
import { dictionaries } from '../../src/ui/inbox/src/i18n.js';
import { ChoiceChannel, ScriptedChannel } from '../fakes/scripted-channel.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { eventually, loginAdmin, request } from '../support/http.js';
import { launchBrowser, screenshot, signIn } from './support/browser.js';

/** English strings of the inbox that must not be left on a screen shown in Chinese (as test/e2e/chinese-ui.test.ts). */
const englishOnly = Object.entries(dictionaries.en)
  .filter(([key, value]) => value !== dictionaries.zh[key as keyof typeof dictionaries.zh])
  .flatMap(([, value]) => value.split(/\{[a-zA-Z]+\}/))
  .map((part) => part.trim())
  .filter((part) => part.length >= 8 && /[a-z]{3}/.test(part));

/**
 * What an agent sees of satisfaction surveys (issue 15), in real Chromium against a real gateway:
 * the list's rating chip (arriving live), the header's stars, how and when, and the comment as
 * text; the survey's options in the timeline and the customer's pick; the CSAT filter; and the
 * signed link's pages a mail customer opens.
 */
describe('satisfaction ratings in the inbox, in real Chromium', () => {
  let gateway: TestGateway;
  let browser: Browser;
  let page: Page;
  let token: string;
  let supervisor: { id: string; name: string };
  const tap = new ChoiceChannel('tap', 'buttons');
  const mail = new ChoiceChannel('mail', 'links');
  const text = new ScriptedChannel('text');
  let ana: Conversation;
  let bo: Conversation;
  let chen: Conversation;
  let dana: Conversation;

  beforeAll(async () => {
    gateway = await startTestGateway({
      channels: [],
      extraAdapters: [tap, mail, text],
      desk: { safety: { footer: false }, autoAck: false, csat: { enabled: true, delay: '0s' } },
    });
    token = await loginAdmin(gateway.url);
    const created = await request(gateway.url, 'POST', '/api/agents', { token, body: { email: 'sue@example.com', name: 'Sue Lead', password: 'sue-password-123' } });
    supervisor = { id: created.body.id, name: 'Sue Lead' };
    const team = await request(gateway.url, 'POST', '/api/teams', { token, body: { name: 'Taps', supervisorId: supervisor.id, channels: ['tap'], autoAssign: false } });
    expect(team.status).toBe(201);
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' })).newPage();
    await signIn(page, gateway.url);
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.dispose();
  });

  const deliver = async (channel: string, body: Record<string, unknown>): Promise<void> => {
    const r = await request(gateway.url, 'POST', `/webhooks/${channel}`, { headers: { 'x-secret': 'scripted-secret' }, body });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  };
  const until = <T>(what: string, check: () => Promise<T | undefined>): Promise<T> => eventually(check, 15_000, what);
  const conversation = async (id: string): Promise<Conversation> => (await request<Conversation>(gateway.url, 'GET', `/api/conversations/${id}`, { token })).body;
  const messages = async (id: string): Promise<Message[]> => (await request<{ items: Message[] }>(gateway.url, 'GET', `/api/conversations/${id}/messages?limit=200`, { token })).body.items;
  const customerWrites = async (channel: string, from: string, question: string): Promise<Conversation> => {
    await deliver(channel, { id: `${from}-q`, from, text: question });
    return until(`${from}'s conversation`, async () => {
      const list = await request<{ items: Conversation[] }>(gateway.url, 'GET', `/api/conversations?channel=${channel}&limit=100`, { token });
      return list.body.items.find((c) => c.contact.identities.some((i) => i.externalId === from));
    });
  };
  /** An agent answers and resolves: the survey's trigger. */
  const answerAndResolve = async (c: Conversation, answer: string): Promise<void> => {
    expect((await request(gateway.url, 'POST', `/api/conversations/${c.id}/messages`, { token, body: { text: answer } })).status).toBe(202);
    expect((await request(gateway.url, 'PATCH', `/api/conversations/${c.id}`, { token, body: { status: 'resolved' } })).status).toBe(200);
  };
  const surveyOf = (channel: ChoiceChannel, c: Conversation) => until(`the survey of ${c.contact.name}`, async () => channel.choices.find((s) => s.address.conversationId === c.id));
  const ratedAs = (c: Conversation, rating: number) => until(`${c.contact.name} rated ${rating}`, async () => ((await conversation(c.id)).csat?.rating === rating ? conversation(c.id) : undefined));

  const item = (id: string) => page.locator(`[data-testid="conversation-item"][data-id="${id}"]`);
  const chip = (id: string) => item(id).getByTestId('csat-chip');
  const listed = () => page.getByTestId('conversation-item').evaluateAll((items) => items.map((element) => element.getAttribute('data-id')));
  const view = () => page.getByTestId('conversation-view');
  /** For the screenshots: the survey's question at the top of the timeline, the answers below it. */
  const showSurvey = () => view().getByTestId('message').filter({ has: page.getByTestId('choice-options') }).evaluate((element) => element.scrollIntoView({ block: 'start' }));

  it('a tap of 4 shows as a green chip in the list the moment it arrives, without a reload', async () => {
    ana = await customerWrites('tap', 'Ana', 'Where is my USDT withdrawal?');
    // The stream is live: the new conversation, then its resolution, reach the open list by themselves.
    await expect.poll(listed).toContain(ana.id);
    await answerAndResolve(ana, 'It arrived now, see the explorer link.');
    await expect.poll(listed).not.toContain(ana.id);
    await page.getByTestId('filter-status').selectOption('');
    await expect.poll(listed).toContain(ana.id);
    expect(await chip(ana.id).count()).toBe(0);

    const survey = await surveyOf(tap, ana);
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
    await deliver('tap', { id: 'cb-ana', from: 'Ana', text: '4 ★★★★', choice: { id: survey.choice.id, value: '4' } });
    await expect.poll(() => chip(ana.id).textContent()).toBe('4');
    expect(await chip(ana.id).getAttribute('aria-label')).toBe('Rated 4 of 5');
    expect(await chip(ana.id).getAttribute('data-tone')).toBe('high');
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
  });

  it('the header shows the stars, how and when, and the comment as text; the timeline the survey’s options and the pick', async () => {
    // The comment tries markup: it must arrive as the characters typed.
    const comment = 'Fast and friendly <img src=x onerror="window.pwned=1"> thank you';
    await deliver('tap', { id: 'ana-thanks', from: 'Ana', text: comment });
    await until('the comment', async () => ((await conversation(ana.id)).csat?.comment ? true : undefined));

    await item(ana.id).click();
    const summary = view().getByTestId('csat-summary');
    await expect.poll(() => summary.getByTestId('csat-comment').textContent()).toBe(comment);
    expect(await summary.getAttribute('data-rating')).toBe('4');
    expect(await summary.getAttribute('data-via')).toBe('tap');
    expect(await summary.innerText()).toMatch(/^Customer rating\s+★★★★☆\s+4\/5\s+Tapped in the chat on [A-Z][a-z]{2} \d{1,2}, \d{1,2}:\d{2}\s?[AP]M/);
    expect(await summary.locator('img').count()).toBe(0);

    // The survey as the customer saw it: five buttons under the question, shown but not pressable here.
    const options = view().getByTestId('choice-options').getByTestId('choice-option');
    await expect.poll(() => options.allTextContents()).toEqual(['1 ★', '2 ★★', '3 ★★★', '4 ★★★★', '5 ★★★★★']);
    expect(await options.evaluateAll((all) => all.every((button) => (button as HTMLButtonElement).disabled))).toBe(true);
    // The customer's tap reads as an answer, and the desk's system line says so.
    const pick = view().getByTestId('message-pick');
    expect(await pick.textContent()).toBe('picked 4 ★★★★');
    expect(await pick.getAttribute('data-value')).toBe('4');
    await expect.poll(() => view().locator('[data-system-type="csat-rated"]').textContent()).toBe('The customer rated this conversation 4/5 (tapped)');
    // The comment in the timeline is text too.
    expect(await view().locator('img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    await showSurvey();
    await screenshot(page, 'csat-inbox-en');
  });

  it('the CSAT filter: Low shows only the conversation rated 1, reopened for the supervisor; a forged pick rates nothing', async () => {
    bo = await customerWrites('tap', 'Bo', 'My deposit is missing');
    await answerAndResolve(bo, 'Credited now.');
    const boSurvey = await surveyOf(tap, bo);
    await deliver('tap', { id: 'cb-bo', from: 'Bo', text: '1 ★', choice: { id: boSurvey.choice.id, value: '1' } });
    const low = await ratedAs(bo, 1);
    expect(low).toMatchObject({ status: 'open', assigneeId: supervisor.id });

    chen = await customerWrites('text', 'Chen', 'My withdrawal is pending');
    await answerAndResolve(chen, 'It is on its way.');
    await until('the typed survey', async () => (text.delivered.some((t) => t.includes('Reply with a number from 1 to 5')) ? true : undefined));
    await deliver('text', { id: 'chen-5', from: 'Chen', text: '5' });
    await ratedAs(chen, 5);

    // Dana has not rated; her "pick" names Ana's survey and tries markup in what it reads as.
    dana = await customerWrites('tap', 'Dana', 'How do I change my email?');
    const anaSurvey = await surveyOf(tap, ana);
    await deliver('tap', { id: 'cb-forged', from: 'Dana', text: '<img src=x onerror="window.pwned=1">', choice: { id: anaSurvey.choice.id, value: '5' } });
    await until('the forged pick stored', async () => ((await messages(dana.id)).some((m) => m.externalId === 'cb-forged') ? true : undefined));

    await page.goto(`${gateway.url}/#/conversations`);
    await expect.poll(listed).toEqual([dana.id, chen.id, bo.id, ana.id]);
    expect(await chip(bo.id).getAttribute('data-tone')).toBe('low');
    expect(await chip(chen.id).getAttribute('data-tone')).toBe('high');
    expect(await chip(dana.id).count()).toBe(0);

    const filter = page.getByTestId('filter-csat');
    expect(await filter.locator('option').allTextContents()).toEqual(['Any rating', 'Rated', 'Not rated', 'Low (1–2)', 'High (4–5)']);
    await filter.selectOption('low');
    await expect.poll(listed).toEqual([bo.id]);
    expect(await item(bo.id).getAttribute('data-status')).toBe('open');
    expect(await chip(bo.id).getAttribute('aria-label')).toBe('Rated 1 of 5');
    await filter.selectOption('high');
    await expect.poll(listed).toEqual([chen.id, ana.id]);
    await filter.selectOption('unrated');
    await expect.poll(listed).toEqual([dana.id]);
    await filter.selectOption('rated');
    await expect.poll(listed).toEqual([chen.id, bo.id, ana.id]);

    await filter.selectOption('low');
    await expect.poll(listed).toEqual([bo.id]);
    await item(bo.id).click();
    await expect.poll(() => view().getByTestId('csat-summary').getAttribute('data-rating')).toBe('1');
    await expect.poll(() => view().locator('[data-system-type="csat-low"]').textContent()).toBe(`A low rating (1/5) reopened the conversation for ${supervisor.name}`);
    await screenshot(page, 'csat-filter-low');

    // The forged pick is Dana's own message: it shows what her platform said she picked, as text.
    await filter.selectOption('');
    await item(dana.id).click();
    const forged = view().getByTestId('message-pick');
    await expect.poll(() => forged.textContent()).toBe('picked <img src=x onerror="window.pwned=1">');
    expect(await view().locator('img').count()).toBe(0);
    expect(await view().getByTestId('csat-summary').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();

    // On a channel without buttons the options are written into the question: no chips there.
    await item(chen.id).click();
    await expect.poll(() => view().getByTestId('message-text').allTextContents()).toContainEqual(expect.stringContaining('Reply with a number from 1 to 5'));
    expect(await view().getByTestId('choice-options').count()).toBe(0);
    expect(await view().getByTestId('csat-summary').getByTestId('csat-how').textContent()).toMatch(/^Typed as a reply on /);
  }, 60_000);

  it('a low rating arriving live joins the Low view without a reload', async () => {
    const eve = await customerWrites('tap', 'Eve', 'The app logs me out');
    await answerAndResolve(eve, 'Fixed in the latest version.');
    const survey = await surveyOf(tap, eve);
    await page.getByTestId('filter-csat').selectOption('low');
    await expect.poll(listed).toEqual([bo.id]);
    await deliver('tap', { id: 'cb-eve', from: 'Eve', text: '2 ★★', choice: { id: survey.choice.id, value: '2' } });
    await expect.poll(listed).toEqual([eve.id, bo.id]);
    expect(await chip(eve.id).textContent()).toBe('2');
    await page.getByTestId('filter-csat').selectOption('');
  });

  it('in 简体中文 the rating, its filter, the survey and the pick are all Chinese', async () => {
    await page.goto(`${gateway.url}/#/conversations/${ana.id}`);
    await page.getByTestId('language-switch').selectOption('zh');
    const summary = view().getByTestId('csat-summary');
    await expect.poll(() => summary.innerText()).toMatch(/^客户评分\s+★★★★☆\s+4\/5\s+.+ 在聊天中点选/);
    expect(await chip(ana.id).getAttribute('aria-label')).toBe('评分 4/5');
    await expect.poll(() => view().getByTestId('message-pick').textContent()).toBe('选择了 4 ★★★★');
    expect(await view().getByTestId('choice-option').first().getAttribute('title')).toBe('客户看到的选项，只有客户可以选择');
    expect(await page.getByTestId('filter-csat').locator('option').allTextContents()).toEqual(['任意评分', '已评分', '未评分', '低分（1–2）', '高分（4–5）']);
    expect(await view().locator('[data-system-type="csat-rated"]').textContent()).toBe('客户为本次会话评分 4/5（点选）');
    // What customers and the desk's survey wrote is theirs (English here): only the inbox's own words count.
    let onScreen = await page.evaluate(() => document.body.innerText);
    const everyone = (await request<{ items: Conversation[] }>(gateway.url, 'GET', '/api/conversations?limit=100', { token })).body.items;
    const theirs = [...(await messages(ana.id)).map((m) => m.text), ...everyone.map((c) => c.contact.name)];
    for (const words of theirs) onScreen = onScreen.split(words).join('\n');
    expect(englishOnly.filter((english) => onScreen.includes(english))).toEqual([]);
    await showSurvey();
    await screenshot(page, 'csat-inbox-zh');
    await page.getByTestId('language-switch').selectOption('en');
  });

  it('a mail customer opens a signed link: a confirm page with a comment box; sending it records the rating, shown in the inbox', async () => {
    const mia = await customerWrites('mail', 'mia@example.com', 'Please close my account');
    await answerAndResolve(mia, 'Your account is closed.');
    const survey = await surveyOf(mail, mia);
    const five = survey.choice.options.find((o) => o.value === '5')!;
    expect(five.url).toMatch(/\/csat\/[^/]+$/);

    const linkPage = await (await browser.newContext({ viewport: { width: 720, height: 640 }, locale: 'en-US' })).newPage();
    await linkPage.goto(`${gateway.url}${new URL(five.url!).pathname}`);
    expect(await linkPage.locator('h1').textContent()).toBe('Rate our help');
    expect(await linkPage.locator('main').innerText()).toContain('You chose 5/5');
    await linkPage.locator('textarea#comment').fill('Closed within minutes, thank you.');
    await screenshot(linkPage, 'csat-link-page');
    // Opening the link recorded nothing.
    expect((await conversation(mia.id)).csat).toBeNull();

    await linkPage.locator('button[type="submit"]').click();
    await linkPage.getByText('Thank you! Your rating was recorded.').waitFor();
    await screenshot(linkPage, 'csat-link-thanks');
    await linkPage.context().close();

    // The inbox (all statuses) gets the rating live, with how it was given and the comment.
    await page.goto(`${gateway.url}/#/conversations`);
    await expect.poll(() => chip(mia.id).textContent()).toBe('5');
    await item(mia.id).click();
    const summary = view().getByTestId('csat-summary');
    await expect.poll(() => summary.getAttribute('data-via')).toBe('link');
    expect(await summary.getByTestId('csat-how').textContent()).toMatch(/^Chosen through the email link on /);
    expect(await summary.getByTestId('csat-comment').textContent()).toBe('Closed within minutes, thank you.');
    // The mail's survey showed its options as links: the agent sees them as the same five chips.
    await expect.poll(() => view().getByTestId('choice-option').count()).toBe(5);
  });
});
