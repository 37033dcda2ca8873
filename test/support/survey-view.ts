import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { escapeHtml } from '../../src/domain/html.js';
import { projectRoot } from '../../src/runtime/paths.js';

/**
 * Draws a survey as the customer's app shows it — from exactly what the platform's fake received
 * (the text, and the buttons' or menu items' captions) — in Chromium, and saves the picture as
 * `test/e2e/screenshots/csat-<kind>.png` for the README. It is a drawing of the platform's
 * payload, not the platform's own app; the web chat and email have real screenshots of their own.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const screenshotDir = join(projectRoot, 'test', 'e2e', 'screenshots');


interface Look {
  readonly app: string;
  readonly page: string;
  readonly bubble: string;
  readonly option: string;
  /** How the options sit: a grid of buttons, a list of links, or none (typed). */
  readonly layout: 'buttons' | 'menu' | 'typed';
}

const looks: Readonly<Record<string, Look>> = {
  telegram: {
    app: 'Telegram',
    page: 'background:#8fb3d1',
    bubble: 'background:#fff;border-radius:12px 12px 12px 4px;color:#000',
    option: 'background:#5a8bb8cc;color:#fff;border-radius:8px;padding:8px 0;text-align:center;flex:1',
    layout: 'buttons',
  },
  discord: {
    app: 'Discord',
    page: 'background:#313338',
    bubble: 'background:transparent;color:#dbdee1',
    option: 'background:#4e5058;color:#fff;border-radius:4px;padding:6px 14px',
    layout: 'buttons',
  },
  wechat: {
    app: '微信 WeChat',
    page: 'background:#ededed',
    bubble: 'background:#fff;border-radius:6px;color:#111',
    option: 'color:#576b95;padding:4px 0',
    layout: 'menu',
  },
  x: { app: 'X', page: 'background:#000', bubble: 'background:#2f3336;border-radius:18px 18px 18px 4px;color:#e7e9ea', option: '', layout: 'typed' },
};

export async function captureSurvey(kind: string, survey: { text: string; options: readonly string[]; labels?: readonly string[] | undefined; html?: string | undefined }): Promise<void> {
  if (survey.html !== undefined) return shoot(kind, mailPage(survey.html), 'a[data-choice-value]', survey.options.length, { width: 640, height: 420 });
  const look = looks[kind];
  if (!look) return;
  const labels = survey.labels ?? survey.options;
  const options =
    look.layout === 'typed'
      ? ''
      : `<div class="options ${look.layout}">${labels.map((label) => `<div class="option" style="${look.option}">${escapeHtml(label)}</div>`).join('')}</div>`;
  const html = `<!doctype html><html><head><meta charset="utf-8"><style>
    body{margin:0;font:15px/1.45 system-ui,'Noto Sans CJK SC',sans-serif;${look.page};min-height:100vh}
    header{padding:10px 16px;font-weight:600;background:#0003;color:#fff}
    .chat{padding:16px;max-width:420px}
    .bubble{padding:10px 12px;white-space:pre-wrap;${look.bubble}}
    .options.buttons{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px}
    .options.menu{display:flex;flex-direction:column;margin-top:8px}
    small{display:block;opacity:.6;margin-top:16px;color:#fff}
  </style></head><body><header>${escapeHtml(look.app)} · Switchboard support</header><div class="chat">
    <div class="bubble">${escapeHtml(survey.text)}${look.layout === 'menu' ? options : ''}</div>
    ${look.layout === 'buttons' ? options : ''}
    <small>Drawn from what the ${escapeHtml(look.app)} fake received in the contract test.</small>
  </div></body></html>`;
  return shoot(kind, html, look.layout === 'typed' ? undefined : '.option', survey.options.length, { width: 460, height: 360 });
}

/** The mail's own HTML as its client shows it, in a page that runs nothing and loads nothing. */
const mailPage = (html: string): string =>
  `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><style>body{margin:0;padding:16px;font:15px/1.45 system-ui,sans-serif;background:#fff}</style></head><body>${html}</body></html>`;

async function shoot(kind: string, html: string, optionSelector: string | undefined, options: number, viewport: { width: number; height: number }): Promise<void> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  try {
    const page = await browser.newPage({ viewport });
    await page.setContent(html);
    const shown = optionSelector ? await page.locator(optionSelector).count() : options;
    if (shown !== options) throw new Error(`the ${kind} survey drawing shows ${shown} options, not ${options}`);
    mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, `csat-${kind}.png`) });
  } finally {
    await browser.close();
  }
}
