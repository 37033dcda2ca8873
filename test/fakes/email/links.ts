import sanitizeHtml from 'sanitize-html';

/**
 * What a person (or a mail client) finds in an HTML page or mail: its links and forms, read with
 * the same HTML parser the adapter sanitises with, attributes and text decoded as a browser would.
 */

export interface HtmlLink {
  readonly href: string;
  /** The link's visible text, entities decoded. */
  readonly text: string;
  readonly attributes: Readonly<Record<string, string>>;
}

export interface HtmlForm {
  readonly method: string;
  /** As written (may be relative or empty: the page's own address). */
  readonly action: string;
  /** The fields a browser submits, in document order: named inputs, textareas, and the first named submit button. */
  readonly fields: readonly [string, string][];
}

/** Every element the parser sees, in document order, with its attributes (to prove markup stayed text). */
export function htmlElements(html: string): { name: string; attributes: Readonly<Record<string, string>> }[] {
  const elements: { name: string; attributes: Record<string, string> }[] = [];
  walk(html, { open: (name, attributes) => elements.push({ name, attributes }), close: () => undefined, text: () => undefined });
  return elements;
}

export function htmlLinks(html: string): HtmlLink[] {
  const links: HtmlLink[] = [];
  let open: { href: string; text: string; attributes: Record<string, string> } | undefined;
  walk(html, {
    open(name, attributes) {
      if (name === 'a' && attributes.href !== undefined) open = { href: attributes.href, text: '', attributes };
    },
    close(name) {
      if (name === 'a' && open) {
        links.push({ ...open, text: open.text.replace(/\s+/g, ' ').trim() });
        open = undefined;
      }
    },
    text(text) {
      if (open) open.text += text;
    },
  });
  return links;
}

export function htmlForms(html: string): HtmlForm[] {
  const forms: HtmlForm[] = [];
  let form: { method: string; action: string; fields: [string, string][]; submitted: boolean } | undefined;
  let textarea: { name: string; value: string } | undefined;
  walk(html, {
    open(name, attributes) {
      if (name === 'form') form = { method: (attributes.method ?? 'get').toLowerCase(), action: attributes.action ?? '', fields: [], submitted: false };
      if (!form) return;
      const type = (attributes.type ?? (name === 'button' ? 'submit' : 'text')).toLowerCase();
      if (name === 'textarea' && attributes.name) textarea = { name: attributes.name, value: '' };
      if ((name !== 'input' && name !== 'button') || attributes.disabled !== undefined) return;
      if (type === 'submit' || (name === 'input' && type === 'image')) {
        // The button a person presses: the first one; its name and value go along when it has a name.
        if (!form.submitted && attributes.name) form.fields.push([attributes.name, attributes.value ?? '']);
        form.submitted = true;
      } else if (name === 'input' && attributes.name && !['button', 'reset', 'file'].includes(type)) {
        if ((type !== 'checkbox' && type !== 'radio') || attributes.checked !== undefined) form.fields.push([attributes.name, attributes.value ?? (type === 'checkbox' || type === 'radio' ? 'on' : '')]);
      }
    },
    close(name) {
      if (name === 'textarea' && textarea && form) {
        form.fields.push([textarea.name, textarea.value]);
        textarea = undefined;
      }
      if (name === 'form' && form) {
        forms.push({ method: form.method, action: form.action, fields: form.fields });
        form = undefined;
      }
    },
    text(text) {
      if (textarea) textarea.value += text;
    },
  });
  return forms;
}

interface Visitor {
  open(name: string, attributes: Record<string, string>): void;
  close(name: string): void;
  text(text: string): void;
}

function walk(html: string, visitor: Visitor): void {
  sanitizeHtml(html, {
    allowedTags: [],
    allowedAttributes: {},
    nonTextTags: ['script', 'style', 'title', 'head', 'template', 'noscript'],
    onOpenTag: (name, attributes) => visitor.open(name, attributes),
    onCloseTag: (name) => visitor.close(name),
    textFilter: (text) => {
      visitor.text(decode(text));
      return text;
    },
  });
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity[0] !== '#') return NAMED[entity.toLowerCase()] ?? whole;
    const code = entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/**
 * Follows a link the way a person in a browser does when the page asks to confirm: GET it (what a
 * mail scanner's prefetch also does — it must change nothing), then submit the page's
 * `<form method="post">` with its fields as `application/x-www-form-urlencoded`, carrying the
 * cookies the page set and the Origin a browser sends. A second visit that finds the answer already
 * given (409) ends there. Returns the final response's status and page.
 */
export async function followAndConfirm(url: string): Promise<{ status: number; page: string }> {
  const shown = await fetch(url, { redirect: 'follow', headers: { accept: 'text/html' } });
  const html = await shown.text();
  // A link clicked again opens "already answered" (409): the person reads it and is done.
  if (shown.status === 409) return { status: shown.status, page: html };
  if (!shown.ok) throw new Error(`GET ${url} answered ${shown.status}: ${html.slice(0, 200)}`);
  const form = htmlForms(html).find((f) => f.method === 'post');
  if (!form) throw new Error(`GET ${url} showed no <form method="post">: ${html.slice(0, 200)}`);
  const target = new URL(form.action || shown.url, shown.url);
  const cookies = shown.headers.getSetCookie().map((cookie) => cookie.split(';')[0]!).join('; ');
  const posted = await fetch(target, {
    method: 'POST',
    redirect: 'follow',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'text/html',
      origin: new URL(shown.url).origin,
      referer: shown.url,
      ...(cookies ? { cookie: cookies } : {}),
    },
    body: new URLSearchParams([...form.fields]).toString(),
  });
  const page = await posted.text();
  if (!posted.ok) throw new Error(`POST ${target.href} answered ${posted.status}: ${page.slice(0, 200)}`);
  return { status: posted.status, page };
}
