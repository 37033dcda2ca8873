import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { eventually, loginAdmin, request } from '../support/http.js';
import { Visitor } from '../support/visitor.js';
import { launchBrowser, screenshot, signIn } from './support/browser.js';

/** What an agent sees of wallet safety: the urgent case, the transfer details, a refused reply. */
describe('wallet safety in the inbox, in real Chromium', () => {
  let gateway: TestGateway;
  let browser: Browser;
  let page: Page;
  let conversationId: string;
  const tx = '0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060';
  const address = '0x52908400098527886E0F7030069857D2E4169EE7';

  beforeAll(async () => {
    gateway = await startTestGateway();
    const token = await loginAdmin(gateway.url);
    const visitor = await Visitor.create(gateway.url, 'web', { name: 'Wang Fang' });
    await visitor.send(`My wallet was drained! I sent 250 USDT to ${address}, tx ${tx}`);
    conversationId = await eventually(async () => (await request(gateway.url, 'GET', '/api/conversations', { token })).body.items[0]?.id as string | undefined);
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' })).newPage();
    await signIn(page, gateway.url);
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.dispose();
  });

  it('shows why the case is urgent, and the transfer details with explorer links', async () => {
    await page.goto(`${gateway.url}/#/conversations/${conversationId}`);
    await page.getByTestId('conversation-view').waitFor();
    await expect.poll(() => page.getByTestId('escalation').textContent()).toMatch(/reports theft, a hacked account or a scam/);
    if (!(await page.getByTestId('customer-panel').isVisible())) await page.locator('.panel-toggle').click();
    const details = page.getByTestId('transfer-detail');
    await expect.poll(() => details.count()).toBe(3);
    expect(await details.allTextContents()).toEqual([expect.stringContaining('250 USDT'), expect.stringContaining(address), expect.stringContaining(tx)]);
    expect(await page.getByTestId('transfer-explorer').evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href))).toEqual([
      `https://etherscan.io/address/${address}`,
      `https://etherscan.io/tx/${tx}`,
    ]);
    await screenshot(page, 'wallet-safety-transfer-details');
  });

  it('a reply asking for the recovery phrase is refused and explained; the draft stays to be rephrased', async () => {
    await page.getByTestId('composer-input').fill('please send me your 助记词');
    await page.getByTestId('composer-send').click();
    await expect.poll(() => page.getByTestId('toast').allTextContents()).toContainEqual(expect.stringMatching(/support never asks for a recovery phrase/));
    expect(await page.getByTestId('composer-input').inputValue()).toBe('please send me your 助记词');
    const agentMessages = page.locator('[data-testid="message"][data-author-type="agent"]');
    expect(await agentMessages.count()).toBe(0);
    await page.getByTestId('composer-input').fill('Never share your recovery phrase. Which time did you send it?');
    await page.getByTestId('composer-send').click();
    await agentMessages.filter({ hasText: 'Never share your recovery phrase' }).waitFor();
  });
});
