import { createHash } from 'node:crypto';
import { escapeHtml } from '../../domain/html.js';
import type { Lang } from '../language.js';

/**
 * The public help center's pages (issue 16): server-rendered HTML, one inline style sheet and no
 * script at all, so they load at once on a phone and the CSP can forbid everything else. Article
 * bodies arrive here already sanitized (`renderMarkdown`); every other string is escaped here.
 */

const STYLE =
  ':root{color-scheme:light;--ink:#1d2433;--muted:#5b6475;--line:#e3e6ec;--accent:#2f6fed}' +
  'body{font:16px/1.6 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#f5f6f8;color:var(--ink)}' +
  'header{background:#fff;border-bottom:1px solid var(--line)}.bar{max-width:46rem;margin:0 auto;padding:1rem 1.25rem;display:flex;flex-wrap:wrap;gap:.75rem;align-items:center;justify-content:space-between}' +
  '.brand{font-weight:600;color:var(--ink);text-decoration:none;font-size:1.15rem}nav a{color:var(--muted);margin-left:.75rem}' +
  'main{max-width:46rem;margin:1.5rem auto;padding:0 1.25rem 3rem}form.search{display:flex;gap:.5rem;margin:0 0 1.5rem}' +
  'form.search input{flex:1;min-width:0;font:inherit;padding:.6rem .8rem;border:1px solid var(--line);border-radius:8px;background:#fff}' +
  'form.search button{font:inherit;padding:.6rem 1.2rem;border:0;border-radius:8px;background:var(--accent);color:#fff}' +
  'section,article{background:#fff;border-radius:12px;box-shadow:0 1px 3px #0001;padding:1.25rem 1.5rem;margin-bottom:1rem}' +
  'h1{font-size:1.5rem;line-height:1.3;margin:.25rem 0 1rem}h2{font-size:1.15rem;margin:1.25rem 0 .5rem}section h2{margin-top:0}' +
  'ul.list{list-style:none;padding:0;margin:0}ul.list li{padding:.45rem 0;border-top:1px solid var(--line)}ul.list li:first-child{border-top:0}' +
  'a{color:var(--accent)}.snippet{color:var(--muted);font-size:.92rem;margin:.15rem 0 0}.note{background:#fff8e1;border-radius:8px;padding:.6rem .9rem;color:#6b5200}' +
  '.meta{color:var(--muted);font-size:.85rem;margin-top:1.5rem}.tag{display:inline-block;background:#eef2fb;border-radius:999px;padding:0 .6rem;margin-right:.3rem;font-size:.8rem}' +
  'pre{background:#f2f4f7;padding:.75rem;border-radius:8px;overflow:auto}code{font-size:.92em}blockquote{margin:0;padding-left:1rem;border-left:3px solid var(--line);color:var(--muted)}' +
  'table{border-collapse:collapse}th,td{border:1px solid var(--line);padding:.3rem .6rem}img{max-width:100%}.other{color:var(--muted);font-size:.8rem}';

/**
 * No script, nothing from elsewhere but an article's https images; the style sheet by its hash
 * (not `'unsafe-inline'`), forms only to ourselves, never framed.
 */
export const HELP_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; img-src 'self' https:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;

export const words = {
  en: {
    helpCenter: 'Help center',
    searchLabel: 'Search the help center',
    searchPlaceholder: 'Describe your question, e.g. "transfer pending"',
    search: 'Search',
    results: (n: number, q: string) => (n === 1 ? `1 article for “${q}”` : `${n} articles for “${q}”`),
    noResults: (q: string) => `No article matches “${q}”. Try other words, or contact support from the app.`,
    other: 'Other topics',
    empty: 'There are no articles yet.',
    updated: 'Updated',
    back: 'All articles',
    fallback: 'This article is not available in English yet; it is shown in Chinese.',
    otherLang: '中文',
    inOther: '(中文)',
    notFound: 'This page does not exist',
    notFoundText: 'The article may have been moved or archived. Search the help center instead:',
    safety: 'Official support will never ask for your recovery phrase or private key.',
  },
  zh: {
    helpCenter: '帮助中心',
    searchLabel: '搜索帮助中心',
    searchPlaceholder: '描述您的问题，例如“转账未到账”',
    search: '搜索',
    results: (n: number, q: string) => `找到 ${n} 篇与“${q}”相关的文章`,
    noResults: (q: string) => `没有找到与“${q}”相关的文章。请换个说法试试，或在应用内联系客服。`,
    other: '其他',
    empty: '暂无文章。',
    updated: '更新于',
    back: '全部文章',
    fallback: '本文暂无中文版本，以下为英文原文。',
    otherLang: 'English',
    inOther: '(English)',
    notFound: '页面不存在',
    notFoundText: '该文章可能已被移动或下架。您可以搜索帮助中心：',
    safety: '官方客服绝不会索要您的助记词或私钥。',
  },
} as const;

const htmlLang = (lang: Lang): string => (lang === 'zh' ? 'zh-CN' : 'en');

/** Where the pages live under the public address (a gateway behind a path prefix keeps its prefix). */
export interface PageBase {
  readonly prefix: string;
}

export const helpPath = (base: PageBase, lang: Lang, slug?: string): string => `${base.prefix}/help/${lang}${slug === undefined ? '' : `/${encodeURIComponent(slug)}`}`;

function layout(base: PageBase, lang: Lang, title: string, content: string, otherLangPath: string, query = ''): string {
  const w = words[lang];
  const other: Lang = lang === 'zh' ? 'en' : 'zh';
  return (
    `<!doctype html><html lang="${htmlLang(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>` +
    `<header><div class="bar"><a class="brand" href="${escapeHtml(helpPath(base, lang))}">${escapeHtml(w.helpCenter)}</a>` +
    `<nav><a href="${escapeHtml(otherLangPath)}" lang="${htmlLang(other)}" hreflang="${htmlLang(other)}">${escapeHtml(w.otherLang)}</a></nav></div></header>` +
    `<main><form class="search" method="get" action="${escapeHtml(helpPath(base, lang))}" role="search">` +
    `<input type="search" name="q" maxlength="500" value="${escapeHtml(query)}" aria-label="${escapeHtml(w.searchLabel)}" placeholder="${escapeHtml(w.searchPlaceholder)}">` +
    `<button type="submit">${escapeHtml(w.search)}</button></form>${content}` +
    `<p class="meta">${escapeHtml(w.safety)}</p></main></body></html>`
  );
}

/** An article as a list entry: in the page's language, or marked as in the other. */
export interface ListedArticle {
  readonly slug: string;
  readonly lang: Lang;
  readonly title: string;
  readonly snippet?: string;
}

const entry = (base: PageBase, page: Lang, a: ListedArticle): string =>
  `<li><a href="${escapeHtml(helpPath(base, page, a.slug))}"${a.lang === page ? '' : ` lang="${htmlLang(a.lang)}"`}>${escapeHtml(a.title)}</a>` +
  (a.lang === page ? '' : ` <span class="other">${escapeHtml(words[page].inOther)}</span>`) +
  (a.snippet ? `<p class="snippet"${a.lang === page ? '' : ` lang="${htmlLang(a.lang)}"`}>${escapeHtml(a.snippet)}</p>` : '') +
  '</li>';

/** The home page: topics (first tag of each article) with their articles. */
export function renderHome(base: PageBase, lang: Lang, groups: readonly { topic: string | null; articles: readonly ListedArticle[] }[]): string {
  const w = words[lang];
  const content =
    groups.length === 0
      ? `<section><p>${escapeHtml(w.empty)}</p></section>`
      : groups
          .map((g) => `<section><h2>${escapeHtml(g.topic ?? w.other)}</h2><ul class="list">${g.articles.map((a) => entry(base, lang, a)).join('')}</ul></section>`)
          .join('');
  return layout(base, lang, w.helpCenter, `<h1>${escapeHtml(w.helpCenter)}</h1>${content}`, helpPath(base, lang === 'zh' ? 'en' : 'zh'));
}

export function renderResults(base: PageBase, lang: Lang, query: string, hits: readonly ListedArticle[]): string {
  const w = words[lang];
  const other: Lang = lang === 'zh' ? 'en' : 'zh';
  const content =
    hits.length === 0
      ? `<section><p>${escapeHtml(w.noResults(query))}</p></section>`
      : `<section><h2>${escapeHtml(w.results(hits.length, query))}</h2><ul class="list">${hits.map((a) => entry(base, lang, a)).join('')}</ul></section>`;
  return layout(base, lang, `${query} · ${w.helpCenter}`, content, `${helpPath(base, other)}?q=${encodeURIComponent(query)}`, query);
}

export interface ShownArticle {
  readonly slug: string;
  /** The language of the content shown (the other one when the article lacks the page's). */
  readonly lang: Lang;
  readonly title: string;
  /** Sanitized HTML. */
  readonly html: string;
  readonly tags: readonly string[];
  readonly updatedAt: Date;
}

export function renderArticle(base: PageBase, page: Lang, article: ShownArticle): string {
  const w = words[page];
  const date = new Intl.DateTimeFormat(htmlLang(page), { dateStyle: 'medium', timeZone: 'UTC' }).format(article.updatedAt);
  const foreign = article.lang !== page ? ` lang="${htmlLang(article.lang)}"` : '';
  const content =
    `<p><a href="${escapeHtml(helpPath(base, page))}">← ${escapeHtml(w.back)}</a></p>` +
    (foreign ? `<p class="note">${escapeHtml(w.fallback)}</p>` : '') +
    `<article${foreign}><h1>${escapeHtml(article.title)}</h1>${article.html}` +
    `<p class="meta">${article.tags.map((t) => `<span class="tag">${escapeHtml(t)}</span>`).join('')}<span${foreign ? ` lang="${htmlLang(page)}"` : ''}>${escapeHtml(w.updated)} ${escapeHtml(date)}</span></p></article>`;
  return layout(base, page, `${article.title} · ${w.helpCenter}`, content, helpPath(base, page === 'zh' ? 'en' : 'zh', article.slug));
}

export function renderNotFound(base: PageBase, lang: Lang): string {
  const w = words[lang];
  return layout(base, lang, w.notFound, `<section><h1>${escapeHtml(w.notFound)}</h1><p>${escapeHtml(w.notFoundText)}</p></section>`, helpPath(base, lang === 'zh' ? 'en' : 'zh'));
}

/** The help center's language for a visitor: `?lang=` when it names one, else `Accept-Language`, else English. */
export function chooseLang(asked: string | undefined, acceptLanguage: string | undefined): Lang {
  const named = langOf(asked);
  if (named) return named;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { lang: langOf(tag.trim()), q: q === undefined ? 1 : Number(q), i };
    })
    .filter((r): r is { lang: Lang; q: number; i: number } => r.lang !== undefined && r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return ranked[0]?.lang ?? 'en';
}

/** `zh`, `zh-CN`, `zh-Hans-CN`, `en-GB`… as the help center's languages. */
export function langOf(tag: string | undefined): Lang | undefined {
  const primary = tag?.trim().toLowerCase().split(/[-_]/)[0];
  return primary === 'zh' || primary === 'en' ? primary : undefined;
}
