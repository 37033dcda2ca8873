import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestGateway, type TestGateway } from '../support/gateway.js';
import { loginAdmin, request } from '../support/http.js';
import { launchBrowser, screenshot, signIn } from './support/browser.js';

describe('signing in, and what an agent may see, in real Chromium', () => {
  let gateway: TestGateway;
  let browser: Browser;

  beforeAll(async () => {
    gateway = await startTestGateway();
    const token = await loginAdmin(gateway.url);
    await request(gateway.url, 'POST', '/api/agents', { token, body: { email: 'agent@example.com', name: 'Sam Agent', password: 'agent-password-1' } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.dispose();
  });

  it('a wrong password shows an error and keeps the agent on the sign-in form', async () => {
    const page = await (await browser.newContext({ locale: 'en-US' })).newPage();
    await page.goto(`${gateway.url}/`);
    await page.getByTestId('login-email').fill(ADMIN.email);
    await page.getByTestId('login-password').fill('not the password');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-error').waitFor();
    expect(await page.getByTestId('login-error').textContent()).toMatch(/wrong email or password/i);
    expect(await page.getByTestId('conversation-list').count()).toBe(0);
    await screenshot(page, 'login-error');
  });

  it('an agent sees no admin navigation and is refused on the admin pages; an admin sees them', async () => {
    const page = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } })).newPage();
    await signIn(page, gateway.url, { email: 'agent@example.com', password: 'agent-password-1' });
    expect(await page.getByTestId('current-agent').textContent()).toContain('Sam Agent');
    expect(await page.getByTestId('nav-agents').count()).toBe(0);
    expect(await page.getByTestId('nav-channels').count()).toBe(0);
    await page.goto(`${gateway.url}/#/agents`);
    await page.getByTestId('forbidden').waitFor();
    expect(await page.getByTestId('agent-row').count()).toBe(0);
    await page.getByTestId('sign-out').click();
    await page.getByTestId('login-email').waitFor();

    const admin = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } })).newPage();
    await signIn(admin, gateway.url);
    await admin.getByTestId('nav-agents').click();
    await admin.getByTestId('agents-page').waitFor();
    await admin.getByTestId('agent-create-email').fill('li.na@example.com');
    await admin.getByTestId('agent-create-name').fill('Li Na');
    await admin.getByTestId('agent-create-password').fill('li-na-password-1');
    await admin.getByTestId('agent-create-submit').click();
    await admin.locator('[data-testid="agent-row"][data-email="li.na@example.com"]').waitFor();
    await screenshot(admin, 'admin-agents');
    await admin.getByTestId('nav-channels').click();
    await admin.locator('[data-testid="channel-row"][data-id="web"]').waitFor();
    await screenshot(admin, 'admin-channels');
  });
});
