import { Marked, type MarkedToken, type Token } from 'marked';
import sanitizeHtml from 'sanitize-html';

/**
 * Article bodies are Markdown written by admins, shown to customers on the public help center
 * and sent on channels without HTML. Markdown allows raw HTML, so what marked renders is only
 * trusted after sanitize-html kept the tags an article needs: no script, no style, no event
 * handlers, no `javascript:` or `data:` links, no frames or forms. Even an admin's account can be
 * taken over; the help center is the one page of ours every customer may open.
 */

// One instance of our own: `marked.use()` elsewhere must not change how articles render.
const marked = new Marked({ gfm: true, breaks: false, async: false });

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ['h2', 'h3', 'h4', 'p', 'br', 'hr', 'ul', 'ol', 'li', 'strong', 'em', 'del', 'code', 'pre', 'blockquote', 'a', 'img', 'table', 'thead', 'tbody', 'tr', 'th', 'td'],
  allowedAttributes: { a: ['href', 'title', 'rel'], img: ['src', 'alt', 'title'], th: ['align'], td: ['align'], ol: ['start'] },
  allowedSchemes: ['https', 'http', 'mailto'],
  allowedSchemesByTag: { img: ['https'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    // The page's title is the one h1; an article's own headings go under it.
    h1: 'h2',
    h5: 'h4',
    h6: 'h4',
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener noreferrer nofollow' } }),
  },
};

/** An article body as HTML safe to put in our pages. */
export function renderMarkdown(markdown: string): string {
  return sanitizeHtml(marked.parse(markdown, { async: false }), SANITIZE);
}

const textOfHtml = (html: string): string => sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} });

/** Markdown's character references (`&amp;`) as the characters they stand for, in plain text. */
const decodeEntities = (text: string): string =>
  text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|#39|apos|nbsp);/gi, (whole, code: string) => {
    const lower = code.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(Number.parseInt(lower.slice(2), 16));
    if (lower.startsWith('#')) return String.fromCodePoint(Number.parseInt(lower.slice(1), 10));
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' } as Record<string, string>)[lower] ?? whole;
  });

/** Only addresses a customer can safely open are written out (never `javascript:` or `data:`). */
const safeHref = (href: string): boolean => /^(https?:\/\/|mailto:)/i.test(href.trim());

function inline(tokens: readonly Token[] | undefined): string {
  return (tokens ?? []).map((t) => inlineToken(t as MarkedToken)).join('');
}

function inlineToken(token: MarkedToken): string {
  switch (token.type) {
    case 'link': {
      const label = inline(token.tokens).trim();
      if (!safeHref(token.href)) return label;
      // An autolink's text is its address: said once.
      if (!label || label === token.href || `mailto:${label}` === token.href) return token.href;
      return `${label} (${token.href})`;
    }
    case 'image':
      if (!safeHref(token.href)) return decodeEntities(token.text);
      return token.text ? `${decodeEntities(token.text)} (${token.href})` : token.href;
    case 'strong':
    case 'em':
    case 'del':
      return inline(token.tokens);
    case 'codespan':
      return decodeEntities(token.text);
    case 'br':
      return '\n';
    case 'escape':
      return token.text;
    case 'html':
      return textOfHtml(token.text);
    case 'text':
      return token.tokens ? inline(token.tokens) : decodeEntities(token.text);
    default:
      return 'tokens' in token && Array.isArray(token.tokens) ? inline(token.tokens) : 'text' in token && typeof token.text === 'string' ? decodeEntities(token.text) : '';
  }
}

function block(token: MarkedToken, depth: number): string {
  switch (token.type) {
    case 'heading':
    case 'paragraph':
      return inline(token.tokens);
    case 'text':
      return token.tokens ? inline(token.tokens) : decodeEntities(token.text);
    case 'code':
      return token.text;
    case 'blockquote':
      return blocks(token.tokens, depth)
        .split('\n')
        .map((line) => `> ${line}`)
        .join('\n');
    case 'list': {
      const start = typeof token.start === 'number' ? token.start : 1;
      const indent = '  '.repeat(depth);
      return token.items
        .map((item, i) => {
          const marker = token.ordered ? `${start + i}.` : '-';
          const text = blocks(item.tokens, depth + 1).replace(/\n{2,}/g, '\n');
          const [first = '', ...rest] = text.split('\n');
          return [`${indent}${marker} ${item.task ? (item.checked ? '[x] ' : '[ ] ') : ''}${first.trimStart()}`, ...rest].join('\n');
        })
        .join('\n');
    }
    case 'table':
      return [token.header, ...token.rows].map((row) => row.map((cell) => inline(cell.tokens).trim()).join(' | ')).join('\n');
    case 'hr':
      return '———';
    case 'html':
      return textOfHtml(token.text).trim();
    case 'space':
      return '';
    default:
      return inlineToken(token);
  }
}

function blocks(tokens: readonly Token[], depth: number): string {
  return tokens
    .map((t) => block(t as MarkedToken, depth))
    .filter((text) => text.trim() !== '')
    .join('\n\n');
}

/**
 * An article body as readable plain text, for channels without HTML (and for the search index):
 * paragraphs and list items kept on their own lines, links as "text (url)", no markup.
 */
export function plainText(markdown: string): string {
  return blocks(marked.lexer(markdown), 0)
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
