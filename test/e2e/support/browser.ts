import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { projectRoot } from '../../../src/runtime/paths.js';
import { ADMIN } from '../../support/gateway.js';

/** Debian's Chromium (installed by .ci/run); Playwright never downloads a browser of its own here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const screenshotDir = join(projectRoot, 'test', 'e2e', 'screenshots');

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(join(projectRoot, 'dist', 'ui', 'inbox', 'index.html'))) {
    throw new Error('the inbox is not built: run `npm run build` (npm test does) before the end-to-end tests');
  }
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: false });
}

/** Signs in through the login form, as an agent would. */
export async function signIn(page: Page, base: string, credentials = ADMIN): Promise<void> {
  await page.goto(`${base}/#/login`);
  await page.getByTestId('login-email').fill(credentials.email);
  await page.getByTestId('login-password').fill(credentials.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('conversation-list').waitFor();
}
