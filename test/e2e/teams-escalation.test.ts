import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { eventually, loginAdmin, request } from '../support/http.js';
import { Visitor } from '../support/visitor.js';
import { launchBrowser, screenshot, signIn } from './support/browser.js';

/** Room for a slow, shared machine: routing, escalation and the live stream all pass through the outbox. */
const LIVE = { timeout: 15_000 };

interface Person {
  id: string;
  name: string;
  email: string;
  password: string;
  token: string;
}

/**
 * Teams and escalation as people use them: an admin sets up a team on the Teams page, its member
 * gets the customer and escalates, and the supervisor finds it in her Escalated view — each in
 * their own browser.
 */
describe('teams and escalation in the inbox, in real Chromium', () => {
  let gateway: TestGateway;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let admin: string;
  let adminPage: Page;
  let anaPage: Page;
  let suePage: Page;
  const people = {} as Record<'ana' | 'sue', Person>;
  let supportId: string;
  let billingId: string;
  let first: string;
  let second: string;

  beforeAll(async () => {
    gateway = await startTestGateway({ channels: [{ id: 'web', kind: 'webchat' }], desk: { safety: { footer: false }, autoAck: false, sla: [] } });
    admin = await loginAdmin(gateway.url);
    for (const [key, name] of [
      ['ana', 'Ana Silva'],
      ['sue', 'Sue Park'],
    ] as const) {
      const email = `${key}@example.com`;
      const password = `${key}-password-1`;
      const created = await request(gateway.url, 'POST', '/api/agents', { token: admin, body: { email, name, password } });
      expect(created.status).toBe(201);
      const login = await request(gateway.url, 'POST', '/api/auth/login', { body: { email, password } });
      people[key] = { id: created.body.id, name, email, password, token: login.body.token };
    }
    browser = await launchBrowser();
    adminPage = await newPage();
    await signIn(adminPage, gateway.url);
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.dispose();
  });

  const newPage = async (): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
    contexts.push(context);
    return context.newPage();
  };
  const conversation = async (id: string) => (await request(gateway.url, 'GET', `/api/conversations/${id}`, { token: admin })).body;
  const visitorWrites = async (name: string, text: string): Promise<string> => {
    const visitor = await Visitor.create(gateway.url, 'web', { name });
    expect((await visitor.send(text)).status).toBe(202);
    return eventually(async () => (await request(gateway.url, 'GET', `/api/conversations?q=${encodeURIComponent(text)}`, { token: admin })).body.items[0]?.id as string | undefined);
  };
  const listed = (page: Page) => page.getByTestId('conversation-item').evaluateAll((items) => items.map((element) => element.getAttribute('data-id')));
  const toasts = (page: Page) => page.getByTestId('toast').allTextContents();
  const memberRow = (page: Page, email: string) => page.locator(`[data-testid="team-member"][data-email="${email}"]`);
  const teamRow = (page: Page, name: string) => page.locator(`[data-testid="team-row"][data-name="${name}"]`);

  it('an admin creates a team on the Teams page — supervisor, a member with her capacity, the web chat channel — and a duplicate name is refused at the field', async () => {
    await adminPage.getByTestId('nav-teams').click();
    await adminPage.getByTestId('teams-page').waitFor();
    await adminPage.getByTestId('teams-empty').waitFor();

    const form = adminPage.getByTestId('team-form');
    await form.getByTestId('team-name').fill('Support');
    await form.getByTestId('team-supervisor').selectOption({ label: 'Sue Park' });
    await memberRow(adminPage, people.ana.email).getByTestId('team-member-toggle').check();
    await memberRow(adminPage, people.ana.email).getByTestId('team-member-capacity').fill('3');
    await form.locator('[data-testid="team-channel"][data-value="web"] input').check();
    await form.getByTestId('team-submit').click();
    await expect.poll(() => toasts(adminPage)).toContainEqual(expect.stringContaining('The team Support was created.'));

    const support = teamRow(adminPage, 'Support');
    await support.waitFor();
    expect(await support.getByTestId('team-supervisor-name').textContent()).toBe('Sue Park');
    expect(await support.getByTestId('team-member-chip').evaluateAll((chips) => chips.map((chip) => `${chip.querySelector('.member-name')?.textContent}/${chip.getAttribute('data-capacity')}`))).toEqual([
      'Ana Silva/3',
    ]);
    expect(await support.getByTestId('team-channel-chip').evaluateAll((chips) => chips.map((chip) => chip.getAttribute('data-value')))).toEqual(['web']);
    const stored = (await request(gateway.url, 'GET', '/api/teams', { token: admin })).body.items;
    expect(stored).toMatchObject([{ name: 'Support', supervisorId: people.sue.id, parentId: null, channels: ['web'], autoAssign: true, members: [{ agentId: people.ana.id, capacity: 3 }] }]);
    supportId = stored[0].id;

    // The same name again: the API's 409 is shown at the name, and nothing is created.
    await form.getByTestId('team-name').fill('support');
    await form.getByTestId('team-submit').click();
    const error = form.locator('[data-testid="team-field-error"][data-field="name"]');
    await error.waitFor();
    expect(await error.textContent()).toBe('A team with this name exists already.');
    expect(await form.getByTestId('team-name').getAttribute('aria-invalid')).toBe('true');

    // A second team under the first, without a supervisor of its own.
    await form.getByTestId('team-name').fill('Billing');
    await form.getByTestId('team-parent').selectOption({ label: 'Support' });
    await form.getByTestId('team-auto-assign').uncheck();
    await form.getByTestId('team-submit').click();
    await teamRow(adminPage, 'Billing').waitFor();
    expect(await teamRow(adminPage, 'Billing').getByTestId('team-parent-name').textContent()).toBe('Under Support');
    billingId = (await request(gateway.url, 'GET', '/api/teams', { token: admin })).body.items.find((t: { name: string }) => t.name === 'Billing').id;
    await adminPage.evaluate(() => document.querySelector('.app-body')?.scrollTo(0, 0));
    await screenshot(adminPage, 'teams-admin');
  });

  it('an agent sees the teams read-only, with a dot for who has the inbox open', async () => {
    anaPage = await newPage();
    await signIn(anaPage, gateway.url, people.ana);
    await anaPage.getByTestId('nav-teams').click();
    await anaPage.getByTestId('teams-read-only').waitFor();
    expect(await anaPage.getByTestId('team-form').count()).toBe(0);
    expect(await anaPage.getByTestId('team-edit').count()).toBe(0);
    // Ana's own inbox holds the live connection: she is online (the page may have loaded a moment before it opened).
    const chip = teamRow(anaPage, 'Support').locator(`[data-testid="team-member-chip"][data-agent-id="${people.ana.id}"]`);
    await expect
      .poll(async () => {
        await anaPage.getByRole('button', { name: 'Refresh' }).click();
        return chip.getAttribute('data-online');
      }, LIVE)
      .toBe('true');
    expect(await chip.getAttribute('title')).toBe('Ana Silva: up to 3 conversations at once · online');
    await screenshot(anaPage, 'teams-read-only');
    await anaPage.getByTestId('nav-inbox').click();
  });

  it('the customer’s conversation joins Support and goes to Ana; she escalates it as a complaint from the keyboard', async () => {
    first = await visitorWrites('Chen Wei', 'I want to complain: the fee was charged twice');
    await eventually(async () => ((await conversation(first)).assigneeId === people.ana.id ? true : undefined), LIVE.timeout, 'the round-robin assignment to Ana');
    await anaPage.locator(`[data-testid="conversation-item"][data-id="${first}"]`).click();
    const header = anaPage.getByTestId('conversation-view');
    await expect.poll(() => header.getByTestId('team-select').inputValue()).toBe(supportId);
    expect(await header.getByTestId('team-select').locator('option:checked').textContent()).toBe('Support');
    await expect.poll(() => header.getByTestId('assign-select').inputValue()).toBe(people.ana.id);

    await header.getByTestId('escalate').click();
    const focused = () => anaPage.evaluate(() => document.activeElement?.getAttribute('data-testid'));
    await expect.poll(focused).toBe('escalate-reason-complaint');
    await anaPage.keyboard.press('ArrowDown');
    expect(await focused()).toBe('escalate-reason-security');
    await anaPage.keyboard.press('ArrowUp');
    expect(await focused()).toBe('escalate-reason-complaint');
    await anaPage.keyboard.press('Enter');

    await expect.poll(() => toasts(anaPage)).toContainEqual(expect.stringContaining('Escalated to Sue Park (level 1).'));
    const banner = header.getByTestId('escalation');
    await expect.poll(() => banner.getAttribute('data-reason')).toBe('complaint');
    expect(await banner.getAttribute('data-level')).toBe('1');
    expect(await banner.textContent()).toMatch(/^Escalated · level 1to Sue Park by Ana Silva: a complaint/);
    await expect.poll(() => header.getByTestId('assign-select').inputValue()).toBe(people.sue.id);
    // The system line, and the customer told a manager took over.
    await header.locator('[data-system-type="escalated"]', { hasText: 'Ana Silva escalated the conversation to Sue Park (level 1): a complaint' }).waitFor(LIVE);
    await header.locator('[data-testid="message"][data-author-type="bot"]', { hasText: 'A support manager has taken over your conversation' }).waitFor(LIVE);
    expect(await conversation(first)).toMatchObject({ assigneeId: people.sue.id, escalation: { level: 1, reason: 'complaint', by: 'Ana Silva', assignedTo: people.sue.id } });
    await screenshot(anaPage, 'escalation-agent');
  });

  it('escalation shows for the supervisor: Sue finds it in her Escalated view, assigned to her, the banner naming the reason and level', async () => {
    suePage = await newPage();
    await signIn(suePage, gateway.url, people.sue);
    await suePage.getByTestId('view-escalated').click();
    expect(await suePage.getByTestId('view-escalated').getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => listed(suePage), LIVE).toEqual([first]);
    const item = suePage.locator(`[data-testid="conversation-item"][data-id="${first}"]`);
    expect(await item.getByTestId('escalated-badge').getAttribute('data-level')).toBe('1');
    expect(await item.locator('[role="img"][aria-label="Assigned to Sue Park"]').count()).toBe(1);

    await item.click();
    const view = suePage.getByTestId('conversation-view');
    const banner = view.getByTestId('escalation');
    await banner.waitFor();
    expect(await banner.getAttribute('data-reason')).toBe('complaint');
    expect(await banner.getAttribute('data-level')).toBe('1');
    expect(await banner.textContent()).toContain('Escalated · level 1');
    expect(await banner.textContent()).toContain('to Sue Park by Ana Silva: a complaint');
    expect(await view.getByTestId('assign-select').inputValue()).toBe(people.sue.id);
    await screenshot(suePage, 'escalation-supervisor');
  });

  it('escalating again past the top shows who is missing: the no-supervisor toast, and nothing changes', async () => {
    const view = suePage.getByTestId('conversation-view');
    await view.getByTestId('escalate').click();
    await view.getByTestId('escalate-reason-other').click();
    await expect
      .poll(() => toasts(suePage))
      .toContainEqual(expect.stringContaining('Nobody to escalate to: this conversation’s team has no supervisor above the current level.'));
    expect(await view.getByTestId('escalation').getAttribute('data-level')).toBe('1');
    expect(await conversation(first)).toMatchObject({ escalation: { level: 1, reason: 'complaint' } });
    await screenshot(suePage, 'escalation-no-supervisor');
  });

  it('a new escalation reaches the supervisor live: her Escalated view takes it in and she is told', async () => {
    await suePage.goto(`${gateway.url}/#/conversations`);
    await expect.poll(() => listed(suePage)).toEqual([first]);
    second = await visitorWrites('Olga Ivanova', 'Can I get my money back for the order I placed twice?');
    await eventually(async () => ((await conversation(second)).assigneeId === people.ana.id ? true : undefined), LIVE.timeout, 'the assignment to Ana');
    // Not escalated yet: the view leaves it out.
    expect(await listed(suePage)).toEqual([first]);
    const escalated = await request(gateway.url, 'POST', `/api/conversations/${second}/escalate`, { token: people.ana.token, body: { reason: 'refund' } });
    expect(escalated.status).toBe(200);
    await expect.poll(() => listed(suePage), LIVE).toEqual([second, first]);
    await expect.poll(() => toasts(suePage)).toContainEqual(expect.stringContaining('Escalated to you: Olga Ivanova — Ana Silva escalated it: a refund'));
  });

  it('the team filter keeps to one team, live, as Ana moves a conversation to another team and out of any', async () => {
    await anaPage.goto(`${gateway.url}/#/conversations`);
    await anaPage.getByTestId('filter-team').selectOption({ label: 'Support' });
    await expect.poll(() => listed(anaPage)).toEqual([second, first]);

    await anaPage.locator(`[data-testid="conversation-item"][data-id="${second}"]`).click();
    const view = anaPage.getByTestId('conversation-view');
    await view.getByTestId('team-select').selectOption({ label: 'Billing' });
    await expect.poll(() => listed(anaPage)).toEqual([first]);
    await view.locator('[data-system-type="team"]', { hasText: 'Ana Silva moved the conversation to the team Billing' }).waitFor(LIVE);
    expect(await conversation(second)).toMatchObject({ teamId: billingId });

    await anaPage.getByTestId('filter-team').selectOption({ label: 'Billing' });
    await expect.poll(() => listed(anaPage)).toEqual([second]);
    await view.getByTestId('team-select').selectOption({ label: 'No team' });
    await expect.poll(() => listed(anaPage)).toEqual([]);
    await view.locator('[data-system-type="team-cleared"]').waitFor(LIVE);
    await anaPage.getByTestId('filter-team').selectOption({ label: 'No team' });
    await expect.poll(() => listed(anaPage)).toEqual([second]);
    expect(await conversation(second)).toMatchObject({ teamId: null });

    // With no team there is nobody to escalate to, and the toast says what to do.
    await view.getByTestId('escalate').click();
    await view.getByTestId('escalate-reason-refund').click();
    await expect.poll(() => toasts(anaPage)).toContainEqual(expect.stringContaining('Nobody to escalate to: this conversation has no team. Move it to a team first.'));
  });

  it('an admin edits a team (renamed, a member added) and deletes another; the table follows', async () => {
    await adminPage.getByRole('button', { name: 'Refresh' }).click();
    await teamRow(adminPage, 'Billing').getByTestId('team-edit').click();
    const form = adminPage.getByTestId('team-form');
    expect(await form.getAttribute('data-mode')).toBe('edit');
    expect(await form.getByTestId('team-name').inputValue()).toBe('Billing');
    expect(await form.getByTestId('team-parent').inputValue()).toBe(supportId);
    // A team cannot be put under itself: it is not among the parents offered.
    expect(await form.getByTestId('team-parent').locator('option').allTextContents()).toEqual(['None (top level)', 'Support']);
    await form.getByTestId('team-name').fill('Billing desk');
    await memberRow(adminPage, people.sue.email).getByTestId('team-member-toggle').check();
    await form.getByTestId('team-submit').click();
    await teamRow(adminPage, 'Billing desk').waitFor();
    expect(await form.getAttribute('data-mode')).toBe('create');
    expect(await teamRow(adminPage, 'Billing desk').locator(`[data-testid="team-member-chip"][data-agent-id="${people.sue.id}"]`).getAttribute('data-capacity')).toBe('5');
    expect((await request(gateway.url, 'GET', '/api/teams', { token: admin })).body.items.find((t: { id: string }) => t.id === billingId)).toMatchObject({
      name: 'Billing desk',
      parentId: supportId,
      autoAssign: false,
      members: [{ agentId: people.sue.id, capacity: 5 }],
    });

    await teamRow(adminPage, 'Billing desk').getByTestId('team-delete').click();
    await adminPage.getByTestId('team-delete-dialog').waitFor();
    await adminPage.getByTestId('team-delete-confirm').click();
    await expect.poll(() => adminPage.getByTestId('team-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-name')))).toEqual(['Support']);
    expect((await request(gateway.url, 'GET', '/api/teams', { token: admin })).body.items.map((t: { name: string }) => t.name)).toEqual(['Support']);
  });
});
