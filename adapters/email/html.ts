import sanitizeHtml from 'sanitize-html';
import { escapeHtml } from '../../src/domain/html.js';

/**
 * Customer HTML is shown to agents, so it is reduced to inert markup: no scripts, event handlers,
 * forms, frames, <style>/<link>, SVG, `background` attributes or CSS that could fetch anything.
 * Remote images keep their address only as `data-remote-src` (the inbox loads them when the agent
 * asks); inline `cid:` images become `data-cid` until the stored attachment's id replaces it.
 * The inbox renders the result in a sandboxed iframe with a CSP as a second wall.
 */

/** CSS values that cannot load or compute anything: no functions like url()/image()/expression(), no escapes. */
const SAFE_CSS = /^(?![\s\S]*(?:url|image|image-set|expression|element|cross-fade|paint|src|var|env|attr)\s*\()[^\\<>@]*$/i;
const STYLE_PROPERTIES = [
  'color', 'background', 'background-color', 'font', 'font-family', 'font-size', 'font-style', 'font-weight', 'text-align',
  'text-decoration', 'text-indent', 'text-transform', 'line-height', 'letter-spacing', 'white-space', 'word-break', 'word-wrap',
  'overflow-wrap', 'vertical-align', 'direction', 'margin', 'margin-top', 'margin-right', 'margin-bottom', 'margin-left',
  'padding', 'padding-top', 'padding-right', 'padding-bottom', 'padding-left', 'border', 'border-top', 'border-right',
  'border-bottom', 'border-left', 'border-color', 'border-style', 'border-width', 'border-radius', 'border-collapse',
  'border-spacing', 'width', 'height', 'max-width', 'min-width', 'max-height', 'min-height', 'display', 'list-style-type',
  'table-layout', 'float', 'clear',
];
const LAYOUT_ATTRIBUTES = ['align', 'valign', 'width', 'height', 'bgcolor', 'colspan', 'rowspan', 'cellpadding', 'cellspacing', 'border', 'dir', 'lang', 'title', 'style'];
const INLINE_IMAGE = /^data:image\/(?:png|gif|jpe?g|webp|bmp);base64,[a-z0-9+/=\s]+$/i;

const options: sanitizeHtml.IOptions = {
  allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img', 'font', 'center', 'del', 'ins'],
  allowedAttributes: {
    '*': LAYOUT_ATTRIBUTES,
    a: ['href', 'name', 'target', 'rel', ...LAYOUT_ATTRIBUTES],
    img: ['src', 'alt', 'data-remote-src', 'data-cid', ...LAYOUT_ATTRIBUTES],
    font: ['color', 'face', 'size', ...LAYOUT_ATTRIBUTES],
    ol: ['start', 'type', ...LAYOUT_ATTRIBUTES],
  },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['data'] },
  allowProtocolRelative: false,
  allowedStyles: { '*': Object.fromEntries(STYLE_PROPERTIES.map((property) => [property, [SAFE_CSS]])) },
  // Text of these is never content (Office mail puts <xml> and <title> in <head>).
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'head', 'xml', 'template'],
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, target: '_blank', rel: 'noopener noreferrer' } }),
    img: (tagName, attribs) => {
      const { src = '', ...rest } = attribs;
      const trimmed = src.trim();
      if (/^https?:\/\//i.test(trimmed)) return { tagName, attribs: { ...rest, 'data-remote-src': trimmed } };
      if (/^\/\//.test(trimmed)) return { tagName, attribs: { ...rest, 'data-remote-src': `https:${trimmed}` } };
      if (/^cid:/i.test(trimmed)) return { tagName, attribs: { ...rest, 'data-cid': safeDecode(trimmed.slice(4)) } };
      if (INLINE_IMAGE.test(trimmed)) return { tagName, attribs: { ...rest, src: trimmed } };
      return { tagName, attribs: rest };
    },
  },
};

export function sanitizeEmailHtml(html: string): string {
  return sanitizeHtml(html, options).trim();
}

/** Sanitised HTML shortened to `limit` characters, still well-formed, with a visible note. */
export function truncateHtml(html: string, limit: number, note: string): string {
  if (html.length <= limit) return html;
  const marker = `<p><em>${escapeHtml(note)}</em></p>`;
  let budget = limit - marker.length - 1_000;
  for (;;) {
    const cut = sanitizeEmailHtml(html.slice(0, Math.max(0, budget)));
    if (cut.length + marker.length <= limit) return cut + marker;
    budget -= 10_000;
  }
}

const BLOCKS = new Set(['p', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'ul', 'ol', 'tr', 'table', 'blockquote', 'pre', 'hr', 'center', 'section', 'article', 'header', 'footer', 'dl', 'dt', 'dd']);
const PARAGRAPHS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'ul', 'ol']);

/**
 * The text of (sanitised) HTML for mail that has no plain-text part: blocks become lines,
 * paragraphs blank lines, and blockquotes `>`-quoted lines — so the quoted history of an
 * HTML-only reply is recognised like that of a plain one.
 */
export function htmlToPlainText(html: string): string {
  const lines: string[] = [];
  let line = '';
  let depth = 0;
  let lineDepth = 0;
  let preformatted = 0;
  const endLine = (): void => {
    lines.push('> '.repeat(lineDepth) + line.trimEnd());
    line = '';
    lineDepth = depth;
  };
  const endBlock = (blank: boolean): void => {
    if (line.trim() !== '') endLine();
    if (blank && lines.length > 0 && lines.at(-1)!.replace(/^(?:> )*/, '') !== '') {
      line = '';
      endLine();
    }
    lineDepth = depth;
  };
  const append = (text: string): void => {
    if (line === '') lineDepth = depth;
    line += text;
  };
  sanitizeHtml(html, {
    allowedTags: [],
    allowedAttributes: {},
    nonTextTags: options.nonTextTags!,
    onOpenTag: (name, attribs) => {
      if (name === 'br') endLine();
      else if (name === 'blockquote') {
        endBlock(false);
        depth += 1;
        lineDepth = depth;
      } else if (BLOCKS.has(name)) endBlock(false);
      if (name === 'pre') preformatted += 1;
      if (name === 'li') append('- ');
      if (name === 'td' || name === 'th') append(line.trim() === '' || line.endsWith(' ') ? '' : ' ');
      if (name === 'img' && attribs.alt?.trim()) append(`[${attribs.alt.trim()}]`);
    },
    onCloseTag: (name) => {
      if (name === 'blockquote') {
        endBlock(false);
        depth = Math.max(0, depth - 1);
        lineDepth = depth;
      } else if (BLOCKS.has(name)) endBlock(PARAGRAPHS.has(name));
      if (name === 'pre') preformatted = Math.max(0, preformatted - 1);
    },
    textFilter: (text) => {
      const decoded = decodeEntities(text);
      if (preformatted > 0) {
        const parts = decoded.split('\n');
        parts.forEach((part, index) => {
          if (index > 0) endLine();
          append(part);
        });
      } else {
        const collapsed = decoded.replace(/[\s\u00a0]+/g, ' ');
        append(line === '' ? collapsed.trimStart() : collapsed);
      }
      return text;
    },
  });
  if (line.trim() !== '') endLine();
  return lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** The full plain text as HTML, when the text field shows only the new part of a plain-text reply. */
export function plainTextAsHtml(text: string): string {
  return `<div style="white-space: pre-wrap">${escapeHtml(text)}</div>`;
}

/**
 * An agent's plain-text reply as the HTML alternative: paragraphs, line breaks and links, every
 * character of the agent's text escaped.
 */
export function replyHtml(text: string): string {
  return htmlDocument(paragraphsHtml(text));
}

/** What `choiceHtml` needs of an option: its caption and the (signed) address that records it. */
export interface LinkOption {
  readonly value: string;
  readonly label: string;
  readonly url: string;
}

/**
 * A question's HTML alternative: the text as `replyHtml` writes it, then one row of buttons, one
 * per option, each a plain link to its address. Mail clients run no script, load no CSS files and
 * strip forms, so a button is a link styled inline inside a table cell: the border-drawn "bulletproof"
 * button that Outlook's Word engine paints as well as Gmail does (Outlook ignores padding on a link,
 * not its border), at least 44 px tall to be tappable. `data-choice-value` names the option the
 * link records (for machines reading the mail; no client shows it).
 */
export function choiceHtml(text: string, options: readonly LinkOption[]): string {
  const cells = options.map((option, index) => {
    const gap = index === 0 ? '' : '<td width="8" style="width:8px;font-size:0;line-height:0">&nbsp;</td>';
    const link =
      `<a href="${escapeHtml(option.url)}" target="_blank" data-choice-value="${escapeHtml(option.value)}" ` +
      `style="display:inline-block;border:10px solid ${BUTTON};border-left-width:14px;border-right-width:14px;border-radius:6px;` +
      `background-color:${BUTTON};color:#ffffff;font-family:Arial,Helvetica,sans-serif;font-size:16px;font-weight:bold;line-height:24px;` +
      `text-align:center;text-decoration:none;white-space:nowrap">${escapeHtml(option.label)}</a>`;
    return `${gap}<td align="center" valign="middle" bgcolor="${BUTTON}" style="border-radius:6px;background-color:${BUTTON}">${link}</td>`;
  });
  const row =
    '<table role="presentation" border="0" cellpadding="0" cellspacing="0" style="border-collapse:separate;margin:16px 0">' +
    `<tr>${cells.join('')}</tr></table>`;
  return htmlDocument(`${paragraphsHtml(text)}\n${row}`);
}

/** Dark enough for white text at WCAG AA on every client's background. */
const BUTTON = '#3730a3';

function paragraphsHtml(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .trim()
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${paragraph.split('\n').map(linkify).join('<br>\n')}</p>`)
    .join('\n');
}

const htmlDocument = (body: string): string => `<!doctype html><html><head><meta charset="utf-8"></head><body>${body}</body></html>`;

function linkify(line: string): string {
  let out = '';
  let last = 0;
  for (const match of line.matchAll(/\bhttps?:\/\/[^\s<>"']+/gi)) {
    // Sentence punctuation right after a link is not part of it.
    const url = match[0].replace(/[.,;:!?)\]}'"]+$/, '');
    out += escapeHtml(line.slice(last, match.index)) + `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`;
    last = match.index + url.length;
  }
  return out + escapeHtml(line.slice(last));
}


const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity[0] === '#') {
      const code = entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[entity.toLowerCase()] ?? whole;
  });
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export { escapeHtml };
