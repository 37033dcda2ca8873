import { escapeHtml } from '../../domain/html.js';
import type { Lang } from '../language.js';
import { scoreWord } from './wording.js';

/**
 * The small pages a rating link opens (server-rendered, no script: the CSP forbids any). A GET
 * only shows the confirm form — mail scanners open links before people do, so opening one must
 * record nothing; the form's POST records the score (and an optional comment).
 */

export type PageKind = 'confirm' | 'thanks' | 'already' | 'expired' | 'invalid';

export const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";


const words = {
  en: {
    title: 'Rate our help',
    confirm: (n: number, word: string) => `You chose ${n}/5 (${word}).`,
    commentLabel: 'Anything you would like to add? (optional)',
    send: 'Send my rating',
    thanks: 'Thank you! Your rating was recorded.',
    already: 'This survey was already answered. Thank you!',
    expired: 'This survey link has expired.',
    invalid: 'This link is not valid.',
  },
  zh: {
    title: '为我们的服务评分',
    confirm: (n: number, word: string) => `您选择了 ${n}/5（${word}）。`,
    commentLabel: '还有什么想告诉我们的吗？（可选）',
    send: '提交评分',
    thanks: '谢谢！您的评分已记录。',
    already: '此调查已完成评分，谢谢！',
    expired: '此评分链接已过期。',
    invalid: '此链接无效。',
  },
} as const;

const STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f5f6f8;color:#1d2433}main{max-width:28rem;margin:12vh auto;padding:2rem;background:#fff;border-radius:12px;box-shadow:0 1px 4px #0002}' +
  'h1{font-size:1.25rem;margin:0 0 1rem}.stars{font-size:2rem;color:#f5a623;letter-spacing:.2rem}textarea{width:100%;box-sizing:border-box;min-height:6rem;font:inherit;padding:.5rem;margin:.5rem 0 1rem}' +
  'button{font:inherit;padding:.6rem 1.4rem;border:0;border-radius:8px;background:#2f6fed;color:#fff;cursor:pointer}';

export function renderPage(kind: PageKind, lang: Lang, rating?: number): string {
  const w = words[lang];
  let body: string;
  switch (kind) {
    case 'confirm': {
      const n = rating ?? 0;
      body =
        `<p class="stars" aria-hidden="true">${'★'.repeat(n)}${'☆'.repeat(5 - n)}</p>` +
        `<p>${escapeHtml(w.confirm(n, scoreWord(lang, n)))}</p>` +
        `<form method="post"><label for="comment">${escapeHtml(w.commentLabel)}</label>` +
        `<textarea id="comment" name="comment" maxlength="2000"></textarea>` +
        `<button type="submit">${escapeHtml(w.send)}</button></form>`;
      break;
    }
    case 'thanks':
      body = `<p>${escapeHtml(w.thanks)}</p>`;
      break;
    default:
      body = `<p>${escapeHtml(w[kind])}</p>`;
  }
  return `<!doctype html><html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(w.title)}</title><style>${STYLE}</style></head><body><main><h1>${escapeHtml(w.title)}</h1>${body}</main></body></html>`;
}
