import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { loginAdmin, request } from '../support/http.js';
import { launchBrowser, screenshot, signIn } from './support/browser.js';

/**
 * The Desk settings page as an admin uses it: service levels edited in the form reach
 * /api/desk/settings, the API's refusal is shown at the field it names, and the reset returns to
 * the channels file. An agent sees the same page read-only.
 */
describe('desk settings in the inbox, in real Chromium', () => {
  let gateway: TestGateway;
  let browser: Browser;
  let admin: string;
  let page: Page;

  beforeAll(async () => {
    gateway = await startTestGateway({
      desk: { safety: { footer: false }, autoAck: false, timezone: 'Asia/Shanghai', responseTargets: { telegram: '15m' }, sla: [{ name: 'standard', firstResponse: 'channel', resolution: '1d' }] },
    });
    admin = await loginAdmin(gateway.url);
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' })).newPage();
    await signIn(page, gateway.url);
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.dispose();
  });

  const slaSettings = async () => (await request(gateway.url, 'GET', '/api/desk/settings', { token: admin })).body.items.find((i: { feature: string }) => i.feature === 'sla');
  const toasts = () => page.getByTestId('toast').allTextContents();

  it('an admin sets the web chat target and business hours; a wrong duration shows the API’s message at the field; the API then holds the new values', async () => {
    await page.getByTestId('nav-desk').click();
    const sla = page.getByTestId('desk-sla');
    await sla.waitFor();
    expect(await sla.getByTestId('desk-timezone').inputValue()).toBe('Asia/Shanghai');
    expect(await sla.getByTestId('desk-target-webchat').getAttribute('placeholder')).toBe('5m');
    expect(await sla.getByTestId('desk-target-telegram').inputValue()).toBe('15m');
    expect(await sla.getByTestId('desk-edited').textContent()).toBe('As set in the channels file');
    expect(await sla.getByTestId('desk-hours-always').isChecked()).toBe(true);

    // A wrong duration first: nothing is stored, and the API's own words appear on top and at the input.
    await sla.getByTestId('desk-target-webchat').fill('ten minutes');
    await sla.getByTestId('desk-sla-save').click();
    const formError = sla.getByTestId('desk-form-error');
    await formError.waitFor();
    expect(await formError.textContent()).toMatch(/^responseTargets\.webchat: .*duration/);
    const fieldError = sla.locator('[data-testid="desk-field-error"][data-field="responseTargets.webchat"]');
    expect(await fieldError.textContent()).toBe(await formError.textContent());
    expect(await sla.getByTestId('desk-target-webchat').getAttribute('aria-invalid')).toBe('true');
    expect((await slaSettings()).edited).toBeNull();

    await sla.getByTestId('desk-target-webchat').fill('10m');
    await sla.getByTestId('desk-hours-set').check();
    const rows = sla.getByTestId('desk-hours-row');
    expect(await rows.count()).toBe(1);
    await rows.nth(0).getByTestId('desk-hours-hours').fill('09:00-18:00');
    await sla.getByTestId('desk-hours-add').click();
    await rows.nth(1).getByTestId('desk-hours-days').fill('sat');
    await rows.nth(1).getByTestId('desk-hours-hours').fill('10:00-14:00');
    await sla.getByTestId('desk-sla-save').click();
    await expect.poll(toasts).toContainEqual('The settings were saved.');
    await expect.poll(async () => page.getByTestId('desk-sla').getByTestId('desk-edited').textContent()).toMatch(/^Edited by .+ at /);

    const stored = await slaSettings();
    expect(stored.edited).not.toBeNull();
    expect(stored.settings).toMatchObject({
      timezone: 'Asia/Shanghai',
      businessHours: { 'mon-fri': '09:00-18:00', sat: '10:00-14:00' },
      responseTargets: { webchat: '10m', telegram: '15m' },
      sla: [{ name: 'standard', firstResponse: 'channel', resolution: '1d', always: false }],
    });
    // A reload shows what was saved.
    await page.reload();
    await page.getByTestId('desk-sla').waitFor();
    expect(await page.getByTestId('desk-target-webchat').inputValue()).toBe('10m');
    expect(await page.getByTestId('desk-hours-row').count()).toBe(2);
    await screenshot(page, 'desk-settings');
  });

  it('a malformed opening is refused at its row, with the API’s message', async () => {
    const sla = page.getByTestId('desk-sla');
    // Rows come back in the stored map's order: find Saturday's.
    const days = await sla.getByTestId('desk-hours-days').evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
    const saturday = days.indexOf('sat');
    expect(saturday).toBeGreaterThanOrEqual(0);
    await sla.getByTestId('desk-hours-row').nth(saturday).getByTestId('desk-hours-hours').fill('9-18');
    await sla.getByTestId('desk-sla-save').click();
    const fieldError = sla.locator(`[data-testid="desk-field-error"][data-field="businessHours.${saturday}"]`);
    await fieldError.waitFor();
    expect(await fieldError.textContent()).toMatch(/^businessHours\.sat: .*HH:MM-HH:MM/);
    expect((await slaSettings()).settings.businessHours).toEqual({ 'mon-fri': '09:00-18:00', sat: '10:00-14:00' });
  });

  it('the switches change auto-ack and escalate-on-breach', async () => {
    const autoAck = page.getByTestId('desk-toggle-autoAck');
    expect(await autoAck.isChecked()).toBe(false);
    await autoAck.check();
    await expect.poll(async () => (await request(gateway.url, 'GET', '/api/desk/settings', { token: admin })).body.items.find((i: { feature: string }) => i.feature === 'auto-ack').settings).toEqual({ autoAck: true });
    const escalate = page.getByTestId('desk-toggle-escalateOnBreach');
    expect(await escalate.isChecked()).toBe(true);
    await escalate.uncheck();
    await expect.poll(async () => (await request(gateway.url, 'GET', '/api/desk/settings', { token: admin })).body.items.find((i: { feature: string }) => i.feature === 'teams').settings).toEqual({ escalateOnBreach: false });
  });

  it('reset returns the service levels to the channels file', async () => {
    const sla = page.getByTestId('desk-sla');
    await sla.getByTestId('desk-sla-reset').click();
    await expect.poll(toasts).toContainEqual('The settings are back to the channels file.');
    const stored = await slaSettings();
    expect(stored.edited).toBeNull();
    expect(stored.settings).not.toHaveProperty('businessHours');
    expect(stored.settings.responseTargets).toEqual({ telegram: '15m' });
    await expect.poll(() => page.getByTestId('desk-target-webchat').inputValue()).toBe('');
    expect(await page.getByTestId('desk-hours-always').isChecked()).toBe(true);
    expect(await page.getByTestId('desk-sla').getByTestId('desk-edited').textContent()).toBe('As set in the channels file');
  });

  it('an agent sees the settings read-only', async () => {
    const email = 'ana@example.com';
    const password = 'ana-password-1';
    expect((await request(gateway.url, 'POST', '/api/agents', { token: admin, body: { email, name: 'Ana Silva', password } })).status).toBe(201);
    const agentPage = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' })).newPage();
    await signIn(agentPage, gateway.url, { email, password });
    await agentPage.getByTestId('nav-desk').click();
    await agentPage.getByTestId('desk-read-only').waitFor();
    expect(await agentPage.getByTestId('desk-timezone').isDisabled()).toBe(true);
    expect(await agentPage.getByTestId('desk-toggle-autoAck').isDisabled()).toBe(true);
    expect(await agentPage.getByTestId('desk-sla-save').count()).toBe(0);
    expect(await agentPage.getByTestId('desk-safety-json').textContent()).toContain('"footer": false');
  });
});
