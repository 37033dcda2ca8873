/** Tiny DOM helpers. Message content only ever goes through textContent and text nodes. */

type Kid = Node | string | null | undefined;

/**
 * An element with attributes: `class`, `text` (textContent), `html` (static, trusted markup —
 * icons — only), `on<event>` listeners, and the rest as attributes (true = present, false or
 * null = absent).
 */
export function h<Tag extends keyof HTMLElementTagNameMap>(tag: Tag, attrs: Readonly<Record<string, unknown>> = {}, ...kids: Kid[]): HTMLElementTagNameMap[Tag] {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') element.className = String(value);
    else if (key === 'text') element.textContent = String(value);
    else if (key === 'html') element.innerHTML = String(value);
    else if (key.startsWith('on') && typeof value === 'function') element.addEventListener(key.slice(2), value as EventListener);
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  for (const kid of kids) if (kid !== null && kid !== undefined) element.append(kid);
  return element;
}

export const svg = (paths: string, className = '', fill = false): string =>
  `<svg class="${className}" viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="${fill ? 'currentColor' : 'none'}" stroke="${fill ? 'none' : 'currentColor'}" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">${paths}</svg>`;

export const icons = {
  chat: '<path d="M12 3C6.9 3 3 6.5 3 10.9c0 2.4 1.2 4.6 3.1 6.1-.1 1.2-.6 2.6-1.6 3.6-.2.2 0 .6.3.6 2.1-.1 3.9-.9 5.1-1.9.7.2 1.4.3 2.1.3 5.1 0 9-3.5 9-7.9S17.1 3 12 3z"/>',
  down: '<path d="M6 9l6 6 6-6"/>',
  x: '<path d="M6 6l12 12M18 6L6 18"/>',
  up: '<path d="M12 19V5M5.5 11.5L12 5l6.5 6.5"/>',
  clip: '<path d="M20.5 11.3l-8.2 8.2a5.2 5.2 0 0 1-7.4-7.4l8.2-8.2a3.5 3.5 0 0 1 4.9 4.9l-8.2 8.2a1.7 1.7 0 0 1-2.5-2.5l7.6-7.6"/>',
  shield: '<path d="M12 3l7.5 3v5.5c0 4.4-3.1 8.2-7.5 9.5-4.4-1.3-7.5-5.1-7.5-9.5V6z"/><path d="M9 12l2.2 2.2L15.5 10"/>',
  file: '<path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z"/><path d="M14 3v5h5M9 13h6M9 17h4"/>',
  help: '<circle cx="12" cy="12" r="9"/><path d="M9.6 9.2a2.5 2.5 0 0 1 4.8.9c0 1.7-2.4 2.2-2.4 3.6M12 17h.01"/>',
  head: '<path d="M4 14v-2a8 8 0 0 1 16 0v2"/><rect x="3" y="13" width="4" height="6" rx="1.5"/><rect x="17" y="13" width="4" height="6" rx="1.5"/><path d="M19 19c0 1.5-2 2.5-5 2.5"/>',
} as const;

export const formatSize = (n: number): string =>
  n < 1024 ? `${n} B` : n < 1048576 ? `${Math.round(n / 1024)} KB` : `${(n / 1048576).toFixed(n < 10485760 ? 1 : 0)} MB`;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** A client message id: 22 random URL-safe characters (the API takes 8–64). */
export const newId = (): string => Array.from(crypto.getRandomValues(new Uint8Array(22)), (b) => ALPHABET[b & 63]).join('');

const URL_RE = /\bhttps?:\/\/[^\s<>"'`\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+/gi;

/** Appends `text` to `element` with its http(s) links as links that open elsewhere, never as markup. */
export function linkify(element: HTMLElement, text: string): void {
  let at = 0;
  for (const match of text.matchAll(URL_RE)) {
    const url = match[0].replace(/[.,;:!?)\]}'"]+$/, '');
    let ok = false;
    try {
      ok = /^https?:$/.test(new URL(url).protocol);
    } catch {
      // not a URL
    }
    element.append(text.slice(at, match.index), ok ? h('a', { href: url, target: '_blank', rel: 'noopener noreferrer nofollow', text: url }) : url);
    at = match.index + url.length;
  }
  element.append(text.slice(at));
}
