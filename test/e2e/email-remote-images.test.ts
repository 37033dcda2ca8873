import { createServer, type Server } from 'node:https';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dovecot } from '../fakes/email/dovecot.js';
import { conversationOfMessage, startEmailGateway } from '../fakes/email/harness.js';
import { FakeSmtp } from '../fakes/email/smtp.js';
import { makeTestCertificate, type TestCertificate } from '../fakes/x/tls.js';
import type { TestGateway } from '../support/gateway.js';
import { launchBrowser, screenshot, signIn } from './support/browser.js';

/** 1×1 transparent PNG. */
const PIXEL = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

describe('an HTML email in the inbox: sandboxed, remote images only on request', () => {
  let dovecot: Dovecot;
  let smtp: FakeSmtp;
  let gateway: TestGateway;
  let browser: Browser;
  let certificate: TestCertificate;
  let tracker: Server;
  let trackerUrl: string;
  const hits: string[] = [];

  beforeAll(async () => {
    certificate = makeTestCertificate();
    // The "sender's" image host: it counts every request, which is what a tracking pixel reports.
    tracker = createServer({ key: certificate.key, cert: certificate.cert }, (req, res) => {
      hits.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'image/png' }).end(PIXEL);
    });
    await new Promise<void>((resolve) => tracker.listen(0, '127.0.0.1', () => resolve()));
    const address = tracker.address();
    trackerUrl = `https://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    dovecot = await Dovecot.start();
    smtp = await FakeSmtp.start();
    gateway = await startEmailGateway(dovecot, smtp);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.dispose();
    await smtp?.stop();
    await dovecot?.dispose();
    await new Promise((resolve) => tracker?.close(resolve));
    certificate?.dispose();
  });

  it('the text shows first; the original renders with its inline image but loads no remote image until the agent asks', async () => {
    const png = PIXEL.toString('base64');
    await dovecot.append(
      [
        'From: Dana Wu <dana@customer.example>',
        'To: support@example.com',
        'Subject: Screenshot of the error',
        'Message-ID: <html-e2e@customer.example>',
        'Date: Sat, 16 Mar 2024 11:30:00 +0000',
        'MIME-Version: 1.0',
        'Content-Type: multipart/related; boundary="rel"',
        '',
        '--rel',
        'Content-Type: text/html; charset=utf-8',
        '',
        `<p>The app shows this error:</p><p><img src="cid:shot@customer.example" alt="inline shot" width="40" height="40"></p><p><img src="${trackerUrl}/pixel.png?who=dana" alt="tracker" width="40" height="40"></p><script>document.title='pwned'</script>`,
        '--rel',
        'Content-Type: image/png',
        'Content-ID: <shot@customer.example>',
        'Content-Disposition: inline; filename="shot.png"',
        'Content-Transfer-Encoding: base64',
        '',
        png,
        '--rel--',
        '',
      ].join('\r\n'),
    );
    await conversationOfMessage(gateway, '<html-e2e@customer.example>');

    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', ignoreHTTPSErrors: true })).newPage();
    // Every attempt to reach the image host, even one a CSP then blocks, shows here — from the start.
    const attempts: string[] = [];
    page.on('request', (request) => {
      if (request.url().startsWith(trackerUrl)) attempts.push(request.url());
    });
    await signIn(page, gateway.url);
    await page.getByTestId('conversation-item').first().click();
    const message = page.getByTestId('conversation-view').getByTestId('message').filter({ hasText: 'The app shows this error:' });
    await message.waitFor();

    await message.getByTestId('email-html-toggle').click();
    const frameElement = page.locator('[data-testid="email-html-frame"]');
    // The inline image, fetched with the agent's session, is passed into the frame as a data: URL.
    await expect.poll(async () => (await frameElement.getAttribute('srcdoc')) ?? '', { timeout: 10_000 }).toContain(`src="data:image/png;base64,${png}"`);
    const frame = page.frameLocator('[data-testid="email-html-frame"]');
    await expect.poll(async () => (await frame.locator('img[alt="inline shot"]').getAttribute('src')) ?? '', { timeout: 10_000 }).toMatch(/^data:image\/png;base64,/);
    await page.waitForTimeout(1_000);
    expect(await frame.locator('img[alt="inline shot"]').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
    // The remote image has no address to load, nothing asked for it, and the mail's script did not run.
    expect(await frame.locator('img[alt="tracker"]').getAttribute('src')).toBeNull();
    expect(attempts).toEqual([]);
    expect(hits).toEqual([]);
    expect(await frame.locator('body').evaluate(() => document.title)).not.toBe('pwned');
    await screenshot(page, 'email-html-remote-blocked');

    await message.getByTestId('email-remote-images').click();
    await expect.poll(() => attempts, { timeout: 10_000 }).toEqual([`${trackerUrl}/pixel.png?who=dana`]);
    await expect.poll(() => hits, { timeout: 10_000 }).toEqual(['/pixel.png?who=dana']);
  });
});
