/*
 * The web chat widget: one dependency-free script (Vite bundles this folder and
 * `src/domain/uploads.ts` into dist/ui/widget/widget.js, served at GET /widget.js). It speaks the
 * widget API of `adapters/webchat/api.ts`, whose types it takes; nothing of the server reaches the
 * bundle but the shared upload limits.
 */
import type { BodyOf, ResponseOf } from '../../../api/route.js';
import { DEFAULT_ATTACHMENT_MAX_BYTES, UPLOAD_ACCEPT, uploadTypeOf, WIDGET_MAX_FILES, WIDGET_MAX_TEXT } from '../../../domain/uploads.js';
import type { widgetRoutes } from '../../../../adapters/webchat/api.js';
import { formatSize, h, icons, linkify, newId, svg } from './dom.js';
import { type Lang, texts } from './i18n.js';
import { CSS } from './styles.js';

type Routes = typeof widgetRoutes;
type Session = ResponseOf<Routes['widgetCreateSession']>;
type SessionBody = BodyOf<Routes['widgetCreateSession']>;
type ServerMessage = ResponseOf<Routes['widgetHistory']>['items'][number];
type MessageBody = BodyOf<Routes['widgetSendMessage']>;
type UploadedAttachment = ResponseOf<Routes['widgetUploadAttachment']>;
type PastConversation = ResponseOf<Routes['widgetConversations']>['items'][number];
/** A question's options as the server sends them (history: with `picked`; the live stream: without). */
type ShownChoice = Omit<NonNullable<ServerMessage['choice']>, 'picked'> & { readonly picked?: string | null };
type ChoiceOption = ShownChoice['options'][number];
/** What a tap posts back: which question, which option. */
type Pick = NonNullable<MessageBody['choice']>;

/** An attachment as a bubble shows it: the server's, or one the visitor just sent. */
interface ShownAttachment {
  readonly id: string;
  readonly name?: string | null;
  readonly mimeType?: string | null;
  readonly size?: number | null;
  readonly kind?: string;
  readonly url?: string | null;
}

/** A message the visitor wrote and the server has not confirmed: persisted, sent in order, retried. */
interface OutboxItem {
  readonly cid: string;
  readonly text: string;
  readonly at: string;
  first: number;
  tries: number;
  readonly atts: ShownAttachment[];
  /** A tap on a question's option: `text` is the option's label. */
  readonly choice?: Pick;
}

/** A file in the composer tray, uploading, uploaded (`id`) or refused (`err`). */
interface PendingFile {
  readonly file: File;
  readonly name: string;
  readonly mime: string;
  readonly size: number;
  readonly kind: 'image' | 'video' | 'file';
  readonly local: string;
  id?: string;
  err?: string | null;
  fatal?: boolean;
}

interface StoredSession {
  readonly token: string;
  readonly expiresAt: string;
  readonly visitorId: string;
  readonly welcome: string | null;
}

type RowState = 'sending' | 'sent' | 'failed' | 'error';

declare global {
  interface Window {
    Switchboard?: { readonly version: string; open(): void; close(): void; toggle(): void };
  }
}

const scriptElement = (document.currentScript ?? document.querySelector('script[src*="widget.js"]')) as HTMLScriptElement | null;
if (!window.Switchboard?.version && scriptElement?.src) boot(scriptElement);

function boot(script: HTMLScriptElement): void {
  const BASE = new URL(script.src, location.href).origin;
  const ds = script.dataset;
  const CH = ds.channel || 'web';
  const LANG: Lang = /^zh/i.test(ds.lang || navigator.language || '') ? 'zh' : 'en';
  const LOC = LANG === 'zh' ? 'zh-CN' : undefined;
  const P = (path: string): string => `/widget/${encodeURIComponent(CH)}${path}`;
  const T = texts[LANG];
  const TITLE = ds.title || T.title;
  // The help center in the visitor's language (`data-help`: another address, or "off").
  const HELP = ds.help === 'off' ? null : ds.help && /^https?:\/\//i.test(ds.help) ? ds.help : `${BASE}/help/${LANG}`;
  let maxBytes = DEFAULT_ATTACHMENT_MAX_BYTES;
  // Signed-in app users (a `userHash`) can look up their earlier conversations (issue 17).
  const IDENTIFIED = Boolean(ds.userId && ds.userHash);

  // ---- storage (per channel, and per identified user so two users on one browser never share) ----
  const KEY = `switchboard:${CH}:${ds.userId ? `u:${ds.userId}` : 'anon'}:`;
  const memory: Record<string, unknown> = {};
  const store = {
    get<V>(key: string): V | null {
      try {
        const value = localStorage.getItem(KEY + key);
        return value === null ? null : (JSON.parse(value) as V);
      } catch {
        return (memory[key] as V | undefined) ?? null;
      }
    },
    set(key: string, value: unknown): void {
      memory[key] = value;
      try {
        if (value === null || value === undefined) localStorage.removeItem(KEY + key);
        else localStorage.setItem(KEY + key, JSON.stringify(value));
      } catch {
        // private mode
      }
    },
  };

  const dayKey = (d: Date): string => d.toDateString();
  const hm = (d: Date): string => d.toLocaleTimeString(LOC, { hour: 'numeric', minute: '2-digit' });
  function dayLabel(d: Date): string {
    const t = new Date();
    if (dayKey(d) === dayKey(t)) return T.today;
    t.setDate(t.getDate() - 1);
    if (dayKey(d) === dayKey(t)) return T.yesterday;
    return d.toLocaleDateString(LOC, { month: 'short', day: 'numeric', ...(d.getFullYear() === t.getFullYear() ? {} : { year: 'numeric' }) });
  }
  async function errorMessage(r: Response): Promise<string> {
    if (r.status === 429) return T.busy;
    try {
      const body = (await r.json()) as { error?: { message?: unknown } } | null;
      if (body?.error?.message) return String(body.error.message);
    } catch {
      // not JSON
    }
    return `HTTP ${r.status}`;
  }

  // ---- state ----
  let root: HTMLElement | undefined;
  let shadow: ShadowRoot;
  let els: ReturnType<typeof mount>;
  let isOpen = false;
  let wantOpen = false;
  let started = false;
  let startErr = false;
  let startN = 0;
  let outbox: OutboxItem[] = store.get<OutboxItem[]>('o') ?? [];
  let readAt = store.get<string>('r');
  let latestOut = '';
  let lastId: string | null = null;
  let synced = false;
  let pinned = true;
  let prevRow: HTMLElement | null = null;
  let lastDay = '';
  let welcomeRow: HTMLElement | undefined;
  const mine = new Map<string, HTMLElement>(); // clientMessageId -> row
  const seen = new Set<string>(); // server message ids already shown
  const localUrls = new Map<string, string>(); // attachment id -> object URL of the file the visitor picked
  const blobs = new Map<string, Promise<string>>(); // attachment URL -> Promise<object URL>
  let pending: PendingFile[] = []; // attachments in the composer tray
  const answers = new Map<string, string>(); // choice id -> value picked (stored, or tapped here)
  const questions = new Map<string, ((picked: string | null) => void)[]>(); // choice id -> its rendered options
  let questionN = 0;

  // ---- API ----
  let sessionPromise: Promise<StoredSession> | null = null;
  let noProfile = false;
  function session(): Promise<StoredSession> {
    const s = store.get<StoredSession>('s');
    if (s?.token && Date.parse(s.expiresAt) - Date.now() > 60_000) return Promise.resolve(s);
    return (sessionPromise ??= newSession(false).finally(() => {
      sessionPromise = null;
    }));
  }
  async function newSession(bare: boolean): Promise<StoredSession> {
    const body: SessionBody = {};
    if (!bare && !noProfile) {
      if (ds.name) body.name = ds.name;
      if (ds.email) body.email = ds.email;
    }
    if (ds.userId && ds.userHash) Object.assign(body, { userId: ds.userId, userHash: ds.userHash });
    const r = await fetch(BASE + P('/session'), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), credentials: 'omit' });
    if (r.status === 400 && !bare && (body.name || body.email)) {
      noProfile = true; // a bad name or email from the host page
      return newSession(true);
    }
    if (!r.ok) throw new Error(await errorMessage(r));
    const j = (await r.json()) as Session;
    if (j.maxUploadBytes > 0) maxBytes = j.maxUploadBytes;
    const s: StoredSession = { token: j.token, expiresAt: j.expiresAt, visitorId: j.visitorId, welcome: j.welcomeMessage || null };
    if (store.get('v') !== j.visitorId) {
      lastId = null;
      store.set('v', j.visitorId);
    }
    store.set('s', s);
    welcome(s.welcome);
    return s;
  }
  async function api(method: string, path: string, body?: MessageBody | Blob | null, headers: Record<string, string> = {}, signal?: AbortSignal, again = false): Promise<Response> {
    const s = await session();
    const sent: Record<string, string> = { Authorization: `Bearer ${s.token}`, ...headers };
    let payload: BodyInit | null = null;
    if (body instanceof Blob) payload = body;
    else if (body) {
      payload = JSON.stringify(body);
      sent['Content-Type'] = 'application/json';
    }
    const r = await fetch(BASE + path, { method, headers: sent, body: payload, signal: signal ?? null, cache: 'no-store', credentials: 'omit' });
    if (r.status !== 401 || again) return r;
    if (store.get<StoredSession>('s')?.token === s.token) store.set('s', null);
    return api(method, path, body, headers, signal, true);
  }
  function blob(url: string | null | undefined): Promise<string> {
    const u = new URL(url ?? '', BASE);
    if (u.origin !== BASE || !u.pathname.startsWith('/widget/')) return Promise.reject(new Error('foreign URL'));
    let found = blobs.get(u.href);
    if (!found) {
      found = api('GET', u.pathname + u.search).then(async (r) => {
        if (!r.ok) throw new Error(String(r.status));
        return URL.createObjectURL(await r.blob());
      });
      found.catch(() => blobs.delete(u.href));
      blobs.set(u.href, found);
    }
    return found;
  }

  // ---- start: session, history, outbox, live stream ----
  async function start(): Promise<void> {
    if (started) return;
    started = true;
    try {
      await session();
    } catch {
      started = false;
      startErr = true;
      updateBanner();
      if (isOpen || outbox.length) setTimeout(() => !started && navigator.onLine !== false && void start(), Math.min(30_000, 1000 * 2 ** startN++));
      return;
    }
    startErr = false;
    startN = 0;
    updateBanner();
    await sync().catch(() => undefined);
    for (const item of outbox) if (!mine.has(item.cid)) ownRow(item, item.tries >= 3 ? 'failed' : 'sending');
    outbox = outbox.filter((i) => mine.get(i.cid)?.dataset.state !== 'sent');
    saveOutbox();
    void flush();
    void connect();
  }

  let syncQueue: Promise<void> = Promise.resolve();
  const sync = (): Promise<void> => (syncQueue = syncQueue.then(doSync, doSync));
  async function doSync(): Promise<void> {
    for (let page = 0; page < 20; page++) {
      const after = lastId;
      const r = await api('GET', P(`/messages?limit=100${after ? `&after=${encodeURIComponent(after)}` : ''}`));
      if (!r.ok) throw new Error(await errorMessage(r));
      const j = (await r.json()) as { items?: unknown };
      const items = Array.isArray(j.items) ? (j.items as ServerMessage[]) : [];
      for (const m of items) ingest(m, false);
      const newest = items.at(-1);
      if (newest) lastId = newest.id;
      if (!synced) {
        synced = true;
        if (readAt === null) store.set('r', (readAt = latestOut));
      }
      if (!after || items.length < 100) break;
    }
  }

  function ingest(m: ServerMessage | undefined, live: boolean): void {
    if (!m?.id || seen.has(m.id)) return;
    seen.add(m.id);
    const choice = m.choice as ShownChoice | undefined;
    if (choice && typeof choice.picked === 'string') answer(choice.id, choice.picked);
    const own = m.direction === 'inbound';
    const mineRow = own && m.clientMessageId ? mine.get(m.clientMessageId) : undefined;
    if (mineRow) {
      outbox = outbox.filter((i) => i.cid !== m.clientMessageId);
      saveOutbox();
      if (mineRow.dataset.state !== 'sent') setState(mineRow, 'sent');
      return;
    }
    const row = addRow({ dir: m.direction, name: m.author?.name, text: m.text || '', atts: m.attachments ?? [], at: m.createdAt, choice });
    if (own) {
      if (m.clientMessageId) mine.set(m.clientMessageId, row);
      setState(row, 'sent');
      return;
    }
    if (m.createdAt > latestOut) latestOut = m.createdAt;
    if (isOpen) markRead();
    else if (live || (readAt !== null && m.createdAt > readAt)) {
      // Another tab may have read it already.
      const unread = store.get<string[]>('u') ?? [];
      const read = store.get<string>('r');
      if (!unread.includes(m.id) && !(read && m.createdAt <= read)) store.set('u', unread.concat(m.id).slice(-99));
      updateBadge();
    }
  }

  // ---- live stream: fetch + ReadableStream SSE parser (EventSource cannot send headers) ----
  let controller: AbortController | null = null;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  let reconnects = 0;
  let streamUp = false;
  let failures = 0;
  async function connect(): Promise<void> {
    if (controller || !started || navigator.onLine === false) return;
    clearTimeout(reconnectTimer);
    const c = (controller = new AbortController());
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    const kick = (): void => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => c.abort(), 65_000); // heartbeats come every 25 s
    };
    try {
      const r = await api('GET', P('/events'), null, { Accept: 'text/event-stream' }, c.signal);
      if (!r.ok || !r.body) throw new Error(String(r.status));
      const reader = r.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      let event = '';
      let data: string[] = [];
      kick();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        kick();
        buffer += decoder.decode(value, { stream: true });
        const lines = buffer.split(/\r\n|\n|\r/);
        buffer = lines.pop() ?? '';
        for (const line of lines) {
          if (!line) {
            if (data.length) onEvent(event || 'message', data.join('\n'));
            event = '';
            data = [];
          } else if (line[0] !== ':') {
            const [, field, value = ''] = /^([^:]*):? ?(.*)$/.exec(line) ?? [];
            if (field === 'event') event = value;
            else if (field === 'data') data.push(value);
          }
        }
      }
    } catch {
      // network error, abort, or bad status: reconnect below
    }
    clearTimeout(watchdog);
    if (controller === c) controller = null;
    streamUp = false;
    failures++;
    updateBanner();
    clearTimeout(reconnectTimer);
    reconnectTimer = setTimeout(() => void connect(), Math.min(30_000, 1000 * 2 ** Math.min(reconnects++, 5)) * (0.5 + Math.random() * 0.5));
  }
  function onEvent(type: string, data: string): void {
    let parsed: { message?: ServerMessage } | null;
    try {
      parsed = JSON.parse(data) as { message?: ServerMessage } | null;
    } catch {
      return;
    }
    if (type === 'ready') {
      streamUp = true;
      failures = reconnects = 0;
      updateBanner();
      sync().catch(() => undefined); // catch up on anything missed while disconnected
    } else if (type === 'message' && parsed?.message) ingest(parsed.message, true);
  }

  // ---- outbox: ordered, persisted, retried with backoff; clientMessageId makes retries idempotent ----
  let flushing = false;
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  const saveOutbox = (): void => store.set('o', outbox.length ? outbox : null);
  async function flush(): Promise<void> {
    if (flushing) return;
    flushing = true;
    clearTimeout(flushTimer);
    try {
      while (outbox[0] && navigator.onLine !== false) {
        const item = outbox[0];
        const row = mine.get(item.cid);
        let r: Response | null = null;
        try {
          r = await api('POST', P('/messages'), { clientMessageId: item.cid, text: item.text, attachments: item.atts.map((a) => a.id), ...(item.choice ? { choice: item.choice } : {}) });
        } catch {
          // network error
        }
        if (r && (r.ok || (r.status !== 429 && r.status !== 408 && r.status < 500))) {
          // Taken, or refused for good (a retry would be refused again): either way it leaves the outbox.
          const message = r.ok ? '' : await errorMessage(r);
          outbox = outbox.filter((i) => i.cid !== item.cid);
          saveOutbox();
          if (row) setState(row, r.ok ? 'sent' : 'error', message);
          // A refused tap leaves its question open to answer again.
          if (!r.ok && item.choice) answer(item.choice.id, null);
          continue;
        }
        item.tries += 1;
        saveOutbox();
        const retryAfter = r ? Number.parseFloat(r.headers.get('Retry-After') ?? '') : Number.NaN;
        const wait = retryAfter > 0 ? Math.min(retryAfter, 600) * 1000 : Math.min(30_000, 1000 * 2 ** item.tries) * (0.75 + Math.random() * 0.5);
        if (row && (item.tries >= 3 || Date.now() - item.first > 15_000)) setState(row, 'failed');
        flushTimer = setTimeout(() => void flush(), wait);
        break;
      }
    } finally {
      flushing = false;
    }
  }
  function ownRow(item: OutboxItem, state: RowState): void {
    const row = addRow({ dir: 'inbound', text: item.text, atts: item.atts, at: item.at });
    row.dataset.cid = item.cid;
    mine.set(item.cid, row);
    setState(row, state);
    if (item.choice) answer(item.choice.id, item.choice.value);
  }
  function retry(cid: string | undefined): void {
    const item = outbox.find((i) => i.cid === cid);
    const row = cid ? mine.get(cid) : undefined;
    if (!item || !row) return;
    item.first = Date.now();
    item.tries = 0;
    setState(row, 'sending');
    clearTimeout(flushTimer);
    void flush();
  }

  // ---- questions with options: a tap is the visitor's message, sent through the outbox ----
  /** Records what was picked on question `id` (null: open again) and shows it wherever it is rendered. */
  function answer(id: string, value: string | null): void {
    if (value === null) answers.delete(id);
    else answers.set(id, value);
    for (const show of questions.get(id) ?? []) show(value);
  }
  function pick(id: string, option: ChoiceOption): void {
    if (answers.has(id)) return;
    const item: OutboxItem = { cid: newId(), text: option.label, at: new Date().toISOString(), first: Date.now(), tries: 0, atts: [], choice: { id, value: option.value } };
    answer(id, option.value);
    ownRow(item, 'sending');
    outbox.push(item);
    saveOutbox();
    scrollDown(true);
    if (!started) void start();
    else void flush();
  }
  /**
   * A question's options under its text: a 1…n scale as star buttons, anything else as buttons
   * with their labels. Each button's name is its label (the desk's words); the group is named by
   * the question's text. Arrow keys move between them; once picked they show the pick and are disabled.
   */
  function renderChoice(choice: ShownChoice, labelId: string | null): HTMLElement {
    const options = choice.options;
    const scale = options.length > 1 && options.length <= 10 && options.every((o, i) => o.value === String(i + 1));
    const group = h('div', { class: scale ? 'choice stars' : 'choice', role: 'group', 'aria-labelledby': labelId, 'data-testid': 'choice', 'data-choice': choice.id });
    const buttons = options.map((option, index) =>
      h('button', {
        type: 'button',
        class: 'opt',
        'aria-label': option.label,
        'aria-pressed': 'false',
        title: option.label,
        'data-testid': 'choice-option',
        'data-value': option.value,
        text: scale ? '★' : option.label,
        onclick: () => {
          if (shadow.activeElement && group.contains(shadow.activeElement)) els.list.focus({ preventScroll: true });
          pick(choice.id, option);
        },
        // A preview of the score while pointing or focusing, until one is picked.
        onpointerenter: () => scale && picked === null && paint(index + 1),
        onfocus: () => scale && picked === null && paint(index + 1),
      }),
    );
    let picked: string | null = null;
    const paint = (upTo: number): void => buttons.forEach((b, i) => b.classList.toggle('on', scale ? i < upTo : i === upTo - 1));
    const at = (): number => (picked === null ? 0 : options.findIndex((o) => o.value === picked) + 1);
    const show = (value: string | null): void => {
      picked = value;
      group.dataset.picked = value ?? '';
      buttons.forEach((b, i) => {
        b.disabled = value !== null;
        b.setAttribute('aria-pressed', String(i === at() - 1));
      });
      paint(at());
    };
    group.addEventListener('pointerleave', () => paint(at()));
    group.addEventListener('focusout', (e) => {
      if (!(e.relatedTarget instanceof Node && group.contains(e.relatedTarget))) paint(at());
    });
    group.addEventListener('keydown', (e) => {
      const from = buttons.indexOf(e.target as HTMLButtonElement);
      const to = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? from + 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? from - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? buttons.length - 1 : null;
      if (from < 0 || to === null) return;
      e.preventDefault();
      buttons[Math.max(0, Math.min(buttons.length - 1, to))]?.focus();
    });
    group.append(...buttons);
    questions.set(choice.id, [...(questions.get(choice.id) ?? []), show]);
    show(answers.get(choice.id) ?? (typeof choice.picked === 'string' ? choice.picked : null));
    return group;
  }

  function submit(): void {
    const text = els.input.value.trim();
    const ready = pending.filter((p) => p.id);
    if ((!text && !ready.length) || pending.some((p) => !p.id && !p.err)) return;
    if (text.length > WIDGET_MAX_TEXT) return notice(T.tooLong);
    const item: OutboxItem = {
      cid: newId(),
      text,
      at: new Date().toISOString(),
      first: Date.now(),
      tries: 0,
      atts: ready.map((p) => ({ id: p.id as string, name: p.name, mimeType: p.mime, size: p.size, kind: p.kind, url: P(`/attachments/${p.id}`) })),
    };
    ownRow(item, 'sending');
    outbox.push(item);
    saveOutbox();
    els.input.value = '';
    els.notice.hidden = true;
    pending = [];
    renderTray();
    grow();
    scrollDown(true);
    if (!started) void start();
    else void flush();
  }

  // ---- attachments ----
  function addFiles(files: readonly File[], pasted = false): void {
    for (const f of files) {
      if (pending.length >= WIDGET_MAX_FILES) {
        notice(T.tooMany);
        break;
      }
      const mime = uploadTypeOf(f);
      let name = f.name || 'file';
      if (pasted && (!f.name || /^image\.\w+$/i.test(f.name))) {
        const extension = mime ? (mime.split('/')[1] ?? 'png').replace('jpeg', 'jpg') : 'png';
        name = `screenshot-${new Date().toISOString().slice(0, 19).replace(/[T:]/g, '-')}.${extension}`;
      }
      if (!mime) {
        notice(T.badType(name));
        continue;
      }
      if (f.size > maxBytes) {
        notice(T.tooBig(name, formatSize(maxBytes)));
        continue;
      }
      if (!f.size) {
        notice(T.emptyFile(name));
        continue;
      }
      const kind = mime.startsWith('image/') ? 'image' : mime.startsWith('video/') ? 'video' : 'file';
      const p: PendingFile = { file: f, name, mime, size: f.size, kind, local: URL.createObjectURL(f) };
      pending.push(p);
      void upload(p);
    }
    renderTray();
  }
  async function upload(p: PendingFile): Promise<void> {
    p.err = null;
    try {
      const r = await api('POST', P('/attachments'), p.file, { 'Content-Type': p.mime, 'X-Filename': encodeURIComponent(p.name) });
      p.fatal = r.status === 413 || r.status === 415;
      if (r.ok) {
        p.id = ((await r.json()) as UploadedAttachment).id;
        localUrls.set(p.id, p.local);
      } else p.err = r.status === 413 ? T.tooBig(p.name, formatSize(maxBytes)) : r.status === 415 ? T.badType(p.name) : await errorMessage(r);
    } catch {
      p.err = T.upFail(p.name);
    }
    if (p.err) notice(p.err);
    if (pending.includes(p)) renderTray();
  }
  function renderTray(): void {
    els.tray.replaceChildren(
      ...pending.map((p) =>
        h(
          'div',
          {
            class: `chip${p.err ? ' bad' : p.id ? '' : ' up'}`,
            title: p.err || p.name,
            onclick: () => {
              if (p.err && !p.fatal) {
                void upload(p);
                renderTray();
              }
            },
          },
          p.kind === 'image' ? h('img', { src: p.local, alt: '' }) : h('span', { class: 'fi', html: svg(icons.file) }),
          h('span', { class: 'cn', text: p.name }),
          h('button', {
            type: 'button',
            class: 'rm',
            'aria-label': `${T.remove}: ${p.name}`,
            html: svg(icons.x),
            onclick: (e: MouseEvent) => {
              e.stopPropagation();
              pending = pending.filter((x) => x !== p);
              renderTray();
            },
          }),
        ),
      ),
    );
    els.tray.hidden = !pending.length;
    updateSend();
  }
  function renderAttachment(a: ShownAttachment): HTMLElement {
    const mime = a.mimeType || '';
    const local = localUrls.get(a.id);
    if (a.kind === 'image' || mime.startsWith('image/')) {
      const img = h('img', { class: 'img', alt: a.name || T.image });
      const button = h('button', { type: 'button', class: 'imgb', 'aria-label': a.name || T.image, onclick: () => img.src && lightbox(img.src, a.name) }, img);
      img.onload = () => {
        button.classList.add('ld');
        if (pinned) scrollDown(true);
      };
      if (local) img.src = local;
      else
        blob(a.url).then(
          (u) => {
            img.src = u;
          },
          () => button.classList.add('broken'),
        );
      return button;
    }
    return h(
      'button',
      { type: 'button', class: 'file', title: a.name || '', onclick: () => void download(a, local) },
      h('span', { html: svg(icons.file) }),
      h('span', { class: 'fm' }, h('span', { class: 'fn', text: a.name || 'file' }), a.size ? h('span', { class: 'fs', text: formatSize(a.size) }) : null),
    );
  }
  async function download(a: ShownAttachment, local: string | undefined): Promise<void> {
    try {
      h('a', { href: local || (await blob(a.url)), download: a.name || 'file' }).click();
    } catch {
      notice(T.dlFail);
    }
  }
  function lightbox(src: string, name: string | null | undefined): void {
    const img = els.lightbox.firstChild as HTMLImageElement;
    img.src = src;
    img.alt = name || T.image;
    els.lightbox.hidden = false;
    els.lightbox.focus();
  }

  // ---- rendering ----
  function welcome(text: string | null): void {
    if (!text || !root) return;
    const bubble = h('div', { class: 'bubble' });
    linkify(bubble, text);
    welcomeRow?.remove();
    welcomeRow = h('div', { class: 'row them', 'data-testid': 'welcome-message' }, h('div', { class: 'who', text: TITLE }), bubble);
    els.list.prepend(welcomeRow);
  }
  function addRow({
    dir,
    name,
    text,
    atts,
    at,
    choice,
  }: {
    dir: string;
    name?: string | undefined;
    text: string;
    atts: readonly ShownAttachment[];
    at?: string;
    choice?: ShownChoice | undefined;
  }): HTMLElement {
    let d = new Date(at || Date.now());
    if (Number.isNaN(d.getTime())) d = new Date();
    if (dayKey(d) !== lastDay) {
      lastDay = dayKey(d);
      els.list.append(h('div', { class: 'sep', role: 'separator' }, h('span', { text: dayLabel(d) })));
      prevRow = null;
    }
    const own = dir === 'inbound';
    const who = own ? '' : name || TITLE;
    const row = h('div', { class: `row ${own ? 'me' : 'them'}`, 'data-testid': 'message', 'data-direction': own ? 'inbound' : 'outbound', 'data-who': who });
    if (!own && !(prevRow && prevRow.dataset.who === who)) row.append(h('div', { class: 'who', text: who }));
    const bubble = h('div', { class: 'bubble' });
    const asks = !own && Boolean(choice?.options.length);
    const textId = text && asks ? `sb-q${++questionN}` : null;
    if (text) linkify(bubble.appendChild(h('div', { class: 'txt', id: textId })), text);
    for (const a of atts) bubble.append(renderAttachment(a));
    if (asks && choice) bubble.append(renderChoice(choice, textId));
    if (!text && atts.length && atts.every((a) => a.kind === 'image' || /^image\//.test(a.mimeType || ''))) bubble.classList.add('media');
    const meta = h('div', { class: 'meta' }, h('time', { datetime: d.toISOString(), text: hm(d) }));
    row.append(bubble, meta);
    if (own) {
      const status = h('span', { class: 'st', 'data-testid': 'message-status' });
      const tap = (): void => {
        if (row.dataset.state === 'failed') retry(row.dataset.cid);
      };
      status.addEventListener('click', tap);
      status.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          tap();
        }
      });
      bubble.addEventListener('click', (e) => {
        if (!(e.target instanceof Element && e.target.closest('a,button'))) tap();
      });
      meta.append(status);
      row.append(h('div', { class: 'err' }));
    }
    els.list.append(row);
    prevRow = row;
    scrollDown(own);
    return row;
  }
  function setState(row: HTMLElement, state: RowState, error?: string): void {
    row.dataset.state = state;
    const status = row.querySelector<HTMLElement>('.st');
    if (status) {
      status.textContent = T[state];
      if (state === 'failed') {
        status.setAttribute('role', 'button');
        status.tabIndex = 0;
      } else {
        status.removeAttribute('role');
        status.removeAttribute('tabindex');
      }
    }
    const errorLine = row.querySelector('.err');
    if (errorLine) errorLine.textContent = error || '';
  }
  function scrollDown(force: boolean): void {
    if (force || pinned) els.list.scrollTop = els.list.scrollHeight;
  }
  let noticeTimer: ReturnType<typeof setTimeout> | undefined;
  function notice(text: string): void {
    els.notice.textContent = text;
    els.notice.hidden = false;
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(() => {
      els.notice.hidden = true;
    }, 8000);
  }
  function updateBanner(): void {
    if (!root) return;
    const text =
      navigator.onLine === false ? T.offline : startErr && (isOpen || outbox.length) ? T.startErr : started && !streamUp && failures >= 2 ? T.reconnecting : '';
    els.banner.textContent = text;
    els.banner.hidden = !text;
  }
  function updateBadge(): void {
    if (!root) return;
    const n = (store.get<string[]>('u') ?? []).length;
    els.badge.textContent = n > 9 ? '9+' : String(n);
    els.badge.hidden = !n || isOpen;
    els.launcher.setAttribute('aria-label', isOpen ? T.close : n ? `${T.open} (${T.unread(n)})` : T.open);
  }
  function markRead(): void {
    if (latestOut && (readAt === null || latestOut > readAt)) {
      readAt = latestOut;
      store.set('r', readAt);
    }
    if ((store.get<string[]>('u') ?? []).length) store.set('u', null);
    updateBadge();
  }
  function updateSend(): void {
    els.send.disabled = !(els.input.value.trim() || pending.some((p) => p.id)) || pending.some((p) => !p.id && !p.err);
  }
  function grow(): void {
    els.input.style.height = 'auto';
    els.input.style.height = `${Math.min(els.input.scrollHeight, 140)}px`;
    updateSend();
  }

  // ---- history of an identified user: their conversations, each readable again ----
  let recN = 0; // the latest request wins when the visitor clicks quickly
  function recItems(...kids: HTMLElement[]): void {
    els.recList.replaceChildren(...kids);
    els.recList.scrollTop = 0;
  }
  async function showHistory(): Promise<void> {
    const n = ++recN;
    els.records.hidden = false;
    els.recTitle.textContent = T.historyTitle;
    els.recNote.hidden = true;
    els.recBack.focus({ preventScroll: true });
    let items: PastConversation[];
    try {
      const r = await api('GET', P('/conversations'));
      if (!r.ok) throw new Error(await errorMessage(r));
      items = ((await r.json()) as { items: PastConversation[] }).items;
    } catch {
      if (n === recN) recItems(h('p', { class: 'ro', text: T.historyFail }));
      return;
    }
    if (n !== recN) return;
    if (!items.length) return recItems(h('p', { class: 'ro', text: T.noHistory }));
    recItems(
      ...items.map((c) => {
        const d = new Date(c.lastMessageAt);
        return h(
          'button',
          { type: 'button', class: 'ri', 'data-testid': 'past-conversation', 'data-conversation': c.id, onclick: () => (c.readOnly ? void showPast(c) : hideHistory()) },
          h(
            'span',
            { class: 'rd' },
            h('span', { text: `${dayLabel(d)} ${hm(d)}` }),
            h('span', { class: c.readOnly ? 'tag done' : 'tag', text: c.readOnly ? (c.status === 'resolved' ? T.closed : T.history) : T.current }),
          ),
          h('span', { class: 'rp', text: c.subject || c.preview || '…' }),
        );
      }),
    );
  }
  async function showPast(c: PastConversation): Promise<void> {
    const n = ++recN;
    els.recTitle.textContent = c.subject || dayLabel(new Date(c.createdAt));
    let items: ServerMessage[];
    try {
      const r = await api('GET', P(`/messages?limit=200&conversation=${encodeURIComponent(c.id)}`));
      if (!r.ok) throw new Error(await errorMessage(r));
      items = ((await r.json()) as { items: ServerMessage[] }).items;
    } catch {
      if (n === recN) recItems(h('p', { class: 'ro', text: T.historyFail }));
      return;
    }
    if (n !== recN) return;
    recItems(
      ...items.map((m) => {
        const own = m.direction === 'inbound';
        const bubble = h('div', { class: 'bubble' });
        if (m.text) linkify(bubble.appendChild(h('div', { class: 'txt' })), m.text);
        for (const a of m.attachments ?? []) bubble.append(renderAttachment(a));
        const d = new Date(m.createdAt);
        return h(
          'div',
          { class: `row ${own ? 'me' : 'them'}`, 'data-testid': 'past-message', 'data-direction': m.direction },
          own ? null : h('div', { class: 'who', text: m.author?.name || TITLE }),
          bubble,
          h('div', { class: 'meta' }, h('time', { datetime: d.toISOString(), text: `${dayLabel(d)} ${hm(d)}` })),
        );
      }),
    );
    els.recNote.hidden = false;
  }
  function hideHistory(): void {
    recN++;
    els.records.hidden = true;
    els.input.focus({ preventScroll: true });
  }
  const recBack = (): void => {
    if (els.recNote.hidden) hideHistory();
    else void showHistory();
  };

  // ---- open / close ----
  function open(): void {
    if (!root) {
      wantOpen = true;
      return;
    }
    if (isOpen) return;
    isOpen = true;
    els.w.classList.add('open');
    els.launcher.setAttribute('aria-expanded', 'true');
    markRead();
    updateBanner();
    if (!started) void start();
    scrollDown(true);
    els.input.focus({ preventScroll: true });
    requestAnimationFrame(() => {
      if (isOpen && shadow.activeElement !== els.input) els.input.focus({ preventScroll: true });
      scrollDown(true);
    });
  }
  function close(): void {
    if (!root) {
      wantOpen = false;
      return;
    }
    if (!isOpen) return;
    isOpen = false;
    els.w.classList.remove('open');
    els.launcher.setAttribute('aria-expanded', 'false');
    els.lightbox.hidden = true;
    updateBadge();
    if (shadow.activeElement) els.launcher.focus({ preventScroll: true });
  }
  const toggle = (): void => (isOpen ? close() : open());

  /** The accent colour (`data-color`, any CSS colour) and a text colour readable on it. */
  function accentColors(): [string, string] {
    const probe = h('i');
    probe.style.color = '#4f46e5';
    if (ds.color) probe.style.color = ds.color;
    shadow.append(probe);
    const computed = getComputedStyle(probe).color;
    probe.remove();
    const [r = 79, g = 70, b = 229] = (computed.match(/[\d.]+/g) ?? ['79', '70', '229']).map(Number);
    const linear = (v: number): number => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    const luminance = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
    return [`rgb(${r},${g},${b})`, luminance > 0.45 ? '#111827' : '#fff'];
  }

  function mount() {
    const host = h('div', { 'data-switchboard-widget': '' });
    shadow = host.attachShadow({ mode: 'open' });
    document.body.append(host);
    shadow.innerHTML = `<style>${CSS}</style>`;
    const [accent, fg] = accentColors();
    const launcher = h('button', {
      type: 'button',
      class: 'launch',
      'data-testid': 'launcher',
      'aria-label': T.open,
      'aria-expanded': 'false',
      'aria-controls': 'sb-panel',
      html: svg(icons.chat, 'ic-chat', true) + svg(icons.down, 'ic-x'),
      onclick: toggle,
    });
    const badge = h('span', { class: 'badge', 'data-testid': 'unread-badge', 'aria-hidden': 'true', hidden: true });
    launcher.append(badge);
    const banner = h('div', { class: 'bn', 'data-testid': 'offline-banner', role: 'status', hidden: true });
    const list = h('div', { class: 'list', 'data-testid': 'message-list', role: 'log', 'aria-live': 'polite', 'data-empty': T.empty, tabindex: '0' });
    list.addEventListener(
      'scroll',
      () => {
        pinned = list.scrollHeight - list.scrollTop - list.clientHeight < 60;
      },
      { passive: true },
    );
    const tray = h('div', { class: 'tray', hidden: true });
    const noticeLine = h('div', {
      class: 'nt',
      role: 'alert',
      hidden: true,
      onclick: () => {
        noticeLine.hidden = true;
      },
    });
    const input = h('textarea', {
      rows: 1,
      placeholder: T.ph,
      'aria-label': T.ph,
      'data-testid': 'composer-input',
      maxlength: String(WIDGET_MAX_TEXT),
      enterkeyhint: 'send',
      oninput: grow,
      onkeydown: (e: KeyboardEvent) => {
        if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
          e.preventDefault();
          submit();
        }
      },
      onpaste: (e: ClipboardEvent) => {
        // Pasted screenshots; text with an image rendition (Word, Excel) stays text.
        const clipboard = e.clipboardData;
        if (clipboard?.files.length && !clipboard.getData('text/plain')) {
          e.preventDefault();
          addFiles([...clipboard.files], true);
        }
      },
    });
    const fileInput = h('input', {
      type: 'file',
      multiple: true,
      hidden: true,
      tabindex: '-1',
      'data-testid': 'file-input',
      accept: UPLOAD_ACCEPT,
      onchange: () => {
        addFiles([...(fileInput.files ?? [])]);
        fileInput.value = '';
      },
    });
    const send = h('button', { type: 'submit', class: 'send', 'aria-label': T.send, title: T.send, 'data-testid': 'send-button', disabled: true, html: svg(icons.up) });
    const form = h(
      'form',
      {
        class: 'comp',
        onsubmit: (e: SubmitEvent) => {
          e.preventDefault();
          submit();
        },
      },
      h('button', { type: 'button', class: 'ib', 'aria-label': T.attach, title: T.attach, 'data-testid': 'attach-button', html: svg(icons.clip), onclick: () => fileInput.click() }),
      input,
      send,
      fileInput,
    );
    const lightboxView = h(
      'div',
      {
        class: 'lb',
        role: 'button',
        tabindex: '-1',
        'aria-label': T.closeImg,
        hidden: true,
        onclick: () => {
          lightboxView.hidden = true;
          input.focus();
        },
      },
      h('img'),
    );
    const recTitle = h('h3');
    const recBackButton = h('button', { type: 'button', class: 'rb', 'data-testid': 'history-back', text: `← ${T.back}`, onclick: () => recBack() });
    const recList = h('div', { class: 'rl', 'data-testid': 'history-list', role: 'list' });
    const recNote = h('div', { class: 'ro', 'data-testid': 'history-read-only', text: T.readOnly, hidden: true });
    const records = h('div', { class: 'rec', 'data-testid': 'history', hidden: true }, h('div', { class: 'rh' }, recBackButton, recTitle), recList, recNote);
    const panel = h(
      'div',
      { class: 'panel', id: 'sb-panel', role: 'dialog', 'aria-modal': 'false', 'aria-label': TITLE, 'data-testid': 'panel' },
      h(
        'div',
        { class: 'hd' },
        h('div', { class: 'av', html: svg(icons.head) }),
        h('div', { class: 'ht' }, h('h2', { text: TITLE }), h('div', { class: 'sub', text: T.sub })),
        IDENTIFIED
          ? h('button', { type: 'button', class: 'hl', title: T.historyTitle, 'data-testid': 'history-button', onclick: () => void showHistory() }, h('span', { text: T.history }))
          : null,
        HELP ? h('a', { class: 'hl', href: HELP, target: '_blank', rel: 'noopener', title: T.helpTitle, 'data-testid': 'help-link', html: svg(icons.help) }, h('span', { text: T.help })) : null,
        h('button', { type: 'button', class: 'x', 'aria-label': T.close, title: T.close, 'data-testid': 'close-button', html: svg(icons.x), onclick: close }),
      ),
      banner,
      list,
      h('div', { class: 'foot' }, tray, noticeLine, form),
      h('div', { class: 'safe', 'data-testid': 'safety-note' }, h('span', { html: svg(icons.shield) }), h('span', { text: T.safety })),
      records,
      lightboxView,
    );
    const onEscape = (e: KeyboardEvent): void => {
      if (e.key !== 'Escape') return;
      e.stopPropagation();
      if (!lightboxView.hidden) {
        lightboxView.hidden = true;
        input.focus();
      } else if (!records.hidden) recBack();
      else close();
    };
    panel.addEventListener('keydown', onEscape);
    launcher.addEventListener('keydown', onEscape);
    let dragDepth = 0; // drag & drop files onto the panel
    for (const type of ['dragenter', 'dragleave', 'dragover', 'drop'] as const) {
      panel.addEventListener(type, (e) => {
        if (!e.dataTransfer || ![...e.dataTransfer.types].includes('Files')) return;
        e.preventDefault();
        dragDepth = type === 'drop' ? 0 : Math.max(0, dragDepth + (type === 'dragenter' ? 1 : 0) - (type === 'dragleave' ? 1 : 0));
        panel.classList.toggle('drag', dragDepth > 0);
        if (type === 'drop') addFiles([...e.dataTransfer.files]);
      });
    }
    const w = h('div', { class: 'w', lang: LANG === 'zh' ? 'zh-CN' : 'en', style: `--a:${accent};--f:${fg}` }, panel, launcher);
    shadow.append(w);
    root = host;
    return { launcher, badge, banner, list, tray, notice: noticeLine, input, file: fileInput, send, lightbox: lightboxView, panel, w, records, recTitle, recList, recNote, recBack: recBackButton };
  }

  function init(): void {
    if (document.querySelector('[data-switchboard-widget]')) return;
    els = mount();
    const s = store.get<StoredSession>('s');
    if (s?.welcome) welcome(s.welcome);
    updateBadge();
    window.addEventListener('online', () => {
      updateBanner();
      if (!started) {
        if (isOpen || outbox.length || store.get('s')) void start();
      } else {
        void connect();
        void flush();
      }
    });
    window.addEventListener('offline', () => {
      updateBanner();
      controller?.abort();
    });
    window.addEventListener('storage', (e) => {
      if (e.key === `${KEY}u`) updateBadge();
    });
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden && started && !controller) void connect();
    });
    if (s?.token || outbox.length) void start();
    if (wantOpen || /[?&]sbopen=1(&|$)/.test(location.search)) open();
    updateBanner();
  }

  window.Switchboard = Object.freeze({ version: '1', open: () => open(), close: () => close(), toggle: () => toggle() });
  if (document.body) init();
  else document.addEventListener('DOMContentLoaded', init, { once: true });
}
