/*! Switchboard chat widget — plain browser JavaScript, no dependencies. Served at GET /widget.js. */
(() => {
  'use strict';
  if (window.Switchboard && window.Switchboard.version) return;
  const script = document.currentScript || document.querySelector('script[src*="widget.js"]');
  if (!script || !script.src) return;
  const BASE = new URL(script.src, location.href).origin;
  const ds = script.dataset;
  const CH = ds.channel || 'web';
  const LANG = /^zh/i.test(ds.lang || navigator.language || '') ? 'zh' : 'en';
  const LOC = LANG === 'zh' ? 'zh-CN' : undefined;
  const P = (p) => `/widget/${encodeURIComponent(CH)}${p}`;

  const I18N = {
    en: {
      title: 'Support', sub: 'We usually reply in a few minutes', ph: 'Write a message…', send: 'Send message',
      attach: 'Attach a file', open: 'Open support chat', close: 'Close chat', unread: (n) => `${n} unread`,
      safety: 'We will never ask for your recovery phrase or private key.', sending: 'Sending…', sent: 'Sent ✓',
      failed: 'Failed – tap to retry', error: 'Not sent', offline: "You're offline. Messages will be sent when you reconnect.",
      reconnecting: 'Reconnecting…', startErr: "Can't reach support right now. Retrying…", empty: 'Ask us anything — we’re here to help.',
      today: 'Today', yesterday: 'Yesterday', remove: 'Remove attachment', image: 'Image', closeImg: 'Close image',
      tooBig: (n, m) => `“${n}” is too large (max ${m}).`, tooMany: 'You can attach up to 5 files per message.',
      badType: (n) => `“${n}” can’t be sent. Allowed: images (PNG, JPEG, GIF, WebP), PDF, MP4, ZIP, TXT, CSV, JSON.`,
      emptyFile: (n) => `“${n}” is empty.`, upFail: (n) => `Couldn’t upload “${n}”. Tap it to try again.`,
      busy: 'Too many requests — please wait a moment.', dlFail: 'Couldn’t download the file.', tooLong: 'Messages can be at most 5000 characters.',
    },
    zh: {
      title: '在线客服', sub: '我们通常在几分钟内回复', ph: '输入消息…', send: '发送消息',
      attach: '添加附件', open: '打开客服聊天', close: '关闭聊天', unread: (n) => `${n} 条未读`,
      safety: '我们绝不会索要您的助记词或私钥。', sending: '发送中…', sent: '已发送 ✓',
      failed: '发送失败 – 点击重试', error: '未发送', offline: '网络已断开，恢复连接后将自动发送消息。',
      reconnecting: '正在重新连接…', startErr: '暂时无法连接客服，正在重试…', empty: '有任何问题，尽管问我们。',
      today: '今天', yesterday: '昨天', remove: '移除附件', image: '图片', closeImg: '关闭图片',
      tooBig: (n, m) => `“${n}”过大（上限 ${m}）。`, tooMany: '每条消息最多添加 5 个附件。',
      badType: (n) => `无法发送“${n}”。支持：图片（PNG、JPEG、GIF、WebP）、PDF、MP4、ZIP、TXT、CSV、JSON。`,
      emptyFile: (n) => `“${n}”是空文件。`, upFail: (n) => `“${n}”上传失败，点击重试。`,
      busy: '请求过于频繁，请稍后再试。', dlFail: '文件下载失败。', tooLong: '每条消息最多 5000 个字符。',
    },
  };
  const T = I18N[LANG];
  const TITLE = ds.title || T.title;
  const EXT = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', pdf: 'application/pdf', mp4: 'video/mp4', zip: 'application/zip', txt: 'text/plain', csv: 'text/csv', json: 'application/json' };
  const MIMES = new Set(Object.values(EXT));
  let maxBytes = 10 * 1024 * 1024;

  // ---- storage (per channel, and per identified user so two users on one browser never share) ----
  const KEY = `switchboard:${CH}:${ds.userId ? 'u:' + ds.userId : 'anon'}:`;
  const mem = {};
  const store = {
    get: (k) => { try { const v = localStorage.getItem(KEY + k); return v == null ? null : JSON.parse(v); } catch { return mem[k] ?? null; } },
    set: (k, v) => { mem[k] = v; try { v == null ? localStorage.removeItem(KEY + k) : localStorage.setItem(KEY + k, JSON.stringify(v)); } catch { /* private mode */ } },
  };

  // ---- tiny DOM helpers; message content only ever goes through textContent / text nodes ----
  function h(tag, attrs, ...kids) {
    const el = document.createElement(tag);
    for (const k in attrs) {
      const v = attrs[k];
      if (v == null || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k === 'html') el.innerHTML = v; // static, trusted markup (icons) only
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : v);
    }
    for (const c of kids) if (c != null) el.append(c);
    return el;
  }
  const svg = (d, cls = '', fill = false) =>
    `<svg class="${cls}" viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="${fill ? 'currentColor' : 'none'}" stroke="${fill ? 'none' : 'currentColor'}" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">${d}</svg>`;
  const IC = {
    chat: '<path d="M12 3C6.9 3 3 6.5 3 10.9c0 2.4 1.2 4.6 3.1 6.1-.1 1.2-.6 2.6-1.6 3.6-.2.2 0 .6.3.6 2.1-.1 3.9-.9 5.1-1.9.7.2 1.4.3 2.1.3 5.1 0 9-3.5 9-7.9S17.1 3 12 3z"/>',
    down: '<path d="M6 9l6 6 6-6"/>', x: '<path d="M6 6l12 12M18 6L6 18"/>', up: '<path d="M12 19V5M5.5 11.5L12 5l6.5 6.5"/>',
    clip: '<path d="M20.5 11.3l-8.2 8.2a5.2 5.2 0 0 1-7.4-7.4l8.2-8.2a3.5 3.5 0 0 1 4.9 4.9l-8.2 8.2a1.7 1.7 0 0 1-2.5-2.5l7.6-7.6"/>',
    shield: '<path d="M12 3l7.5 3v5.5c0 4.4-3.1 8.2-7.5 9.5-4.4-1.3-7.5-5.1-7.5-9.5V6z"/><path d="M9 12l2.2 2.2L15.5 10"/>',
    file: '<path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z"/><path d="M14 3v5h5M9 13h6M9 17h4"/>',
    head: '<path d="M4 14v-2a8 8 0 0 1 16 0v2"/><rect x="3" y="13" width="4" height="6" rx="1.5"/><rect x="17" y="13" width="4" height="6" rx="1.5"/><path d="M19 19c0 1.5-2 2.5-5 2.5"/>',
  };
  const fmtSize = (n) => (n < 1024 ? `${n} B` : n < 1048576 ? `${Math.round(n / 1024)} KB` : `${(n / 1048576).toFixed(n < 10485760 ? 1 : 0)} MB`);
  const dkey = (d) => d.toDateString();
  const hm = (d) => d.toLocaleTimeString(LOC, { hour: 'numeric', minute: '2-digit' });
  function dayLabel(d) {
    const t = new Date();
    if (dkey(d) === dkey(t)) return T.today;
    t.setDate(t.getDate() - 1);
    if (dkey(d) === dkey(t)) return T.yesterday;
    return d.toLocaleDateString(LOC, { month: 'short', day: 'numeric', year: d.getFullYear() === t.getFullYear() ? undefined : 'numeric' });
  }
  const ABC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const newId = () => Array.from(crypto.getRandomValues(new Uint8Array(22)), (b) => ABC[b & 63]).join('');
  const URL_RE = /\bhttps?:\/\/[^\s<>"'`\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+/gi;
  function linkify(el, text) {
    let i = 0;
    for (const m of text.matchAll(URL_RE)) {
      const url = m[0].replace(/[.,;:!?)\]}'"]+$/, '');
      let ok = false;
      try { ok = /^https?:$/.test(new URL(url).protocol); } catch { /* not a URL */ }
      el.append(text.slice(i, m.index), ok ? h('a', { href: url, target: '_blank', rel: 'noopener noreferrer nofollow', text: url }) : url);
      i = m.index + url.length;
    }
    el.append(text.slice(i));
  }
  async function errMsg(r) {
    if (r.status === 429) return T.busy;
    try { const j = await r.json(); if (j && j.error && j.error.message) return String(j.error.message); } catch { /* not JSON */ }
    return `HTTP ${r.status}`;
  }

  // ---- state ----
  let root, sr, els = {}, isOpen = false, wantOpen = false, started = false, startErr = false, startN = 0;
  let outbox = store.get('o') || [];
  let readAt = store.get('r'), latestOut = '', lastId = null, synced = false, pinned = true, prevRow = null, lastDay = '';
  const mine = new Map(); // clientMessageId -> row
  const seen = new Set(); // server message ids already shown
  const localUrls = new Map(); // attachment id -> object URL of the file the visitor picked
  const blobs = new Map(); // attachment URL -> Promise<object URL>
  let pending = []; // attachments in the composer tray

  // ---- API ----
  let sessP = null, noProfile = false;
  function session() {
    const s = store.get('s');
    if (s && s.token && Date.parse(s.expiresAt) - Date.now() > 60000) return Promise.resolve(s);
    return sessP || (sessP = newSession(false).finally(() => { sessP = null; }));
  }
  async function newSession(bare) {
    const body = {};
    if (!bare && !noProfile) for (const k of ['name', 'email']) if (ds[k]) body[k] = ds[k];
    if (ds.userId && ds.userHash) Object.assign(body, { userId: ds.userId, userHash: ds.userHash });
    const r = await fetch(BASE + P('/session'), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), credentials: 'omit' });
    if (r.status === 400 && !bare && (body.name || body.email)) return newSession((noProfile = true)); // bad name/email from the host page
    if (!r.ok) throw new Error(await errMsg(r));
    const j = await r.json();
    if (j.maxUploadBytes > 0) maxBytes = j.maxUploadBytes;
    const s = { token: j.token, expiresAt: j.expiresAt, visitorId: j.visitorId, welcome: j.welcomeMessage || null };
    if (store.get('v') !== j.visitorId) { lastId = null; store.set('v', j.visitorId); }
    store.set('s', s);
    welcome(s.welcome);
    return s;
  }
  async function api(method, path, body, headers, signal, again) {
    const s = await session();
    const hd = Object.assign({ Authorization: `Bearer ${s.token}` }, headers);
    let b = body;
    if (body && !(body instanceof Blob)) { b = JSON.stringify(body); hd['Content-Type'] = 'application/json'; }
    const r = await fetch(BASE + path, { method, headers: hd, body: b, signal, cache: 'no-store', credentials: 'omit' });
    if (r.status !== 401 || again) return r;
    if ((store.get('s') || {}).token === s.token) store.set('s', null);
    return api(method, path, body, headers, signal, true);
  }
  function blob(url) {
    const u = new URL(url, BASE);
    if (u.origin !== BASE || !u.pathname.startsWith('/widget/')) return Promise.reject(new Error('foreign URL'));
    if (!blobs.has(u.href)) {
      const p = api('GET', u.pathname + u.search).then(async (r) => { if (!r.ok) throw new Error(r.status); return URL.createObjectURL(await r.blob()); });
      p.catch(() => blobs.delete(u.href));
      blobs.set(u.href, p);
    }
    return blobs.get(u.href);
  }

  // ---- start: session, history, outbox, live stream ----
  async function start() {
    if (started) return;
    started = true;
    try {
      await session();
    } catch {
      started = false;
      startErr = true;
      updBanner();
      if (isOpen || outbox.length) setTimeout(() => !started && navigator.onLine !== false && start(), Math.min(30000, 1000 * 2 ** startN++));
      return;
    }
    startErr = false;
    startN = 0;
    updBanner();
    await sync().catch(() => {});
    for (const item of outbox) if (!mine.has(item.cid)) ownRow(item, item.tries >= 3 ? 'failed' : 'sending');
    outbox = outbox.filter((i) => mine.get(i.cid).dataset.state !== 'sent');
    saveOutbox();
    flush();
    connect();
  }

  let syncQ = Promise.resolve();
  const sync = () => (syncQ = syncQ.then(doSync, doSync));
  async function doSync() {
    for (let page = 0; page < 20; page++) {
      const after = lastId;
      const r = await api('GET', P(`/messages?limit=100${after ? `&after=${encodeURIComponent(after)}` : ''}`));
      if (!r.ok) throw new Error(await errMsg(r));
      const j = await r.json();
      const items = Array.isArray(j.items) ? j.items : [];
      for (const m of items) ingest(m, false);
      if (items.length) lastId = items[items.length - 1].id;
      if (!synced && (synced = true) && readAt == null) store.set('r', (readAt = latestOut));
      if (!after || items.length < 100) break;
    }
  }

  function ingest(m, live) {
    if (!m || !m.id || seen.has(m.id)) return;
    seen.add(m.id);
    const own = m.direction === 'inbound';
    if (own && m.clientMessageId && mine.has(m.clientMessageId)) {
      const row = mine.get(m.clientMessageId);
      outbox = outbox.filter((i) => i.cid !== m.clientMessageId);
      saveOutbox();
      if (row.dataset.state !== 'sent') setState(row, 'sent');
      return;
    }
    const row = addRow({ dir: m.direction, name: m.author && m.author.name, text: m.text || '', atts: m.attachments || [], at: m.createdAt });
    if (own) {
      if (m.clientMessageId) mine.set(m.clientMessageId, row);
      setState(row, 'sent');
      return;
    }
    if (m.createdAt > latestOut) latestOut = m.createdAt;
    if (isOpen) markRead();
    else if (live || (readAt != null && m.createdAt > readAt)) {
      const u = store.get('u') || [], r = store.get('r'); // another tab may have read it already
      if (!u.includes(m.id) && !(r && m.createdAt <= r)) store.set('u', u.concat(m.id).slice(-99));
      updBadge();
    }
  }

  // ---- live stream: fetch + ReadableStream SSE parser (EventSource cannot send headers) ----
  let ctl = null, rcT, rcN = 0, streamUp = false, failures = 0;
  async function connect() {
    if (ctl || !started || navigator.onLine === false) return;
    clearTimeout(rcT);
    const c = (ctl = new AbortController());
    let wd;
    const kick = () => { clearTimeout(wd); wd = setTimeout(() => c.abort(), 65000); }; // heartbeats come every 25 s
    try {
      const r = await api('GET', P('/events'), null, { Accept: 'text/event-stream' }, c.signal);
      if (!r.ok || !r.body) throw new Error(String(r.status));
      const reader = r.body.getReader();
      const dec = new TextDecoder();
      let buf = '', ev = '', data = [];
      kick();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        kick();
        buf += dec.decode(value, { stream: true });
        const lines = buf.split(/\r\n|\n|\r/);
        buf = lines.pop();
        for (const line of lines) {
          if (!line) {
            if (data.length) onEvent(ev || 'message', data.join('\n'));
            ev = '';
            data = [];
          } else if (line[0] !== ':') {
            const [, f, v = ''] = /^([^:]*):? ?(.*)$/.exec(line);
            if (f === 'event') ev = v;
            else if (f === 'data') data.push(v);
          }
        }
      }
    } catch { /* network error, abort, or bad status: reconnect below */ }
    clearTimeout(wd);
    if (ctl === c) ctl = null;
    streamUp = false;
    failures++;
    updBanner();
    clearTimeout(rcT);
    rcT = setTimeout(connect, Math.min(30000, 1000 * 2 ** Math.min(rcN++, 5)) * (0.5 + Math.random() * 0.5));
  }
  function onEvent(type, data) {
    let d;
    try { d = JSON.parse(data); } catch { return; }
    if (type === 'ready') {
      streamUp = true;
      failures = rcN = 0;
      updBanner();
      sync().catch(() => {}); // catch up on anything missed while disconnected
    } else if (type === 'message' && d && d.message) ingest(d.message, true);
  }

  // ---- outbox: ordered, persisted, retried with backoff; clientMessageId makes retries idempotent ----
  let flushing = false, flushT;
  const saveOutbox = () => store.set('o', outbox.length ? outbox : null);
  async function flush() {
    if (flushing) return;
    flushing = true;
    clearTimeout(flushT);
    try {
      while (outbox.length && navigator.onLine !== false) {
        const item = outbox[0];
        const row = mine.get(item.cid);
        let r = null;
        try {
          r = await api('POST', P('/messages'), { clientMessageId: item.cid, text: item.text, attachments: item.atts.map((a) => a.id) });
        } catch { /* network error */ }
        const drop = () => { outbox = outbox.filter((i) => i.cid !== item.cid); saveOutbox(); };
        if (r && (r.ok || (r.status !== 429 && r.status !== 408 && r.status < 500))) {
          const msg = r.ok ? '' : await errMsg(r);
          drop();
          if (row) setState(row, r.ok ? 'sent' : 'error', msg);
          continue;
        }
        item.tries = (item.tries || 0) + 1;
        saveOutbox();
        const ra = r && parseFloat(r.headers.get('Retry-After') || '');
        const wait = ra > 0 ? Math.min(ra, 600) * 1000 : Math.min(30000, 1000 * 2 ** item.tries) * (0.75 + Math.random() * 0.5);
        if (row && (item.tries >= 3 || Date.now() - item.first > 15000)) setState(row, 'failed');
        flushT = setTimeout(flush, wait);
        break;
      }
    } finally {
      flushing = false;
    }
  }
  function ownRow(item, state) {
    const row = addRow({ dir: 'inbound', text: item.text, atts: item.atts, at: item.at });
    row.dataset.cid = item.cid;
    mine.set(item.cid, row);
    setState(row, state);
  }
  function retry(cid) {
    const item = outbox.find((i) => i.cid === cid);
    const row = mine.get(cid);
    if (!item || !row) return;
    item.first = Date.now();
    item.tries = 0;
    setState(row, 'sending');
    clearTimeout(flushT);
    flush();
  }

  function submit() {
    const text = els.input.value.trim();
    const ready = pending.filter((p) => p.id);
    if ((!text && !ready.length) || pending.some((p) => !p.id && !p.err)) return;
    if (text.length > 5000) return notice(T.tooLong);
    const item = {
      cid: newId(), text, at: new Date().toISOString(), first: Date.now(), tries: 0,
      atts: ready.map((p) => ({ id: p.id, name: p.name, mimeType: p.mime, size: p.size, kind: p.kind, url: P(`/attachments/${p.id}`) })),
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
    if (!started) start();
    else flush();
  }

  // ---- attachments ----
  function mimeOf(f) {
    let t = (f.type || '').toLowerCase().split(';')[0];
    if (t === 'application/x-zip-compressed') t = 'application/zip';
    if (MIMES.has(t)) return t;
    const ext = /\.([a-z0-9]+)$/i.exec(f.name || '');
    return ext ? EXT[ext[1].toLowerCase()] : undefined;
  }
  function addFiles(files, pasted) {
    for (const f of files) {
      if (pending.length >= 5) { notice(T.tooMany); break; }
      const mime = mimeOf(f);
      let name = f.name || 'file';
      if (pasted && (!f.name || /^image\.\w+$/i.test(f.name))) name = `screenshot-${new Date().toISOString().slice(0, 19).replace(/[T:]/g, '-')}.${mime ? mime.split('/')[1].replace('jpeg', 'jpg') : 'png'}`;
      if (!mime) { notice(T.badType(name)); continue; }
      if (f.size > maxBytes) { notice(T.tooBig(name, fmtSize(maxBytes))); continue; }
      if (!f.size) { notice(T.emptyFile(name)); continue; }
      const p = { file: f, name, mime, size: f.size, kind: mime.startsWith('image/') ? 'image' : mime.startsWith('video/') ? 'video' : 'file', local: URL.createObjectURL(f) };
      pending.push(p);
      upload(p);
    }
    renderTray();
  }
  async function upload(p) {
    p.err = null;
    try {
      const r = await api('POST', P('/attachments'), p.file, { 'Content-Type': p.mime, 'X-Filename': encodeURIComponent(p.name) });
      p.fatal = r.status === 413 || r.status === 415;
      if (r.ok) localUrls.set((p.id = (await r.json()).id), p.local);
      else p.err = r.status === 413 ? T.tooBig(p.name, fmtSize(maxBytes)) : r.status === 415 ? T.badType(p.name) : await errMsg(r);
    } catch {
      p.err = T.upFail(p.name);
    }
    if (p.err) notice(p.err);
    if (pending.includes(p)) renderTray();
  }
  function renderTray() {
    els.tray.replaceChildren(
      ...pending.map((p) => h(
        'div',
        { class: `chip${p.err ? ' bad' : p.id ? '' : ' up'}`, title: p.err || p.name, onclick: () => { if (p.err && !p.fatal) { upload(p); renderTray(); } } },
        p.kind === 'image' ? h('img', { src: p.local, alt: '' }) : h('span', { class: 'fi', html: svg(IC.file) }),
        h('span', { class: 'cn', text: p.name }),
        h('button', {
          type: 'button', class: 'rm', 'aria-label': `${T.remove}: ${p.name}`, html: svg(IC.x),
          onclick: (e) => { e.stopPropagation(); pending = pending.filter((x) => x !== p); renderTray(); },
        }),
      )),
    );
    els.tray.hidden = !pending.length;
    updSend();
  }
  function renderAtt(a) {
    const mime = a.mimeType || '';
    const local = localUrls.get(a.id);
    if (a.kind === 'image' || mime.startsWith('image/')) {
      const img = h('img', { class: 'img', alt: a.name || T.image });
      const btn = h('button', { type: 'button', class: 'imgb', 'aria-label': a.name || T.image, onclick: () => img.src && lightbox(img.src, a.name) }, img);
      img.onload = () => { btn.classList.add('ld'); if (pinned) scrollDown(true); };
      if (local) img.src = local;
      else blob(a.url).then((u) => { img.src = u; }, () => btn.classList.add('broken'));
      return btn;
    }
    return h(
      'button',
      { type: 'button', class: 'file', title: a.name || '', onclick: () => download(a, local) },
      h('span', { html: svg(IC.file) }),
      h('span', { class: 'fm' }, h('span', { class: 'fn', text: a.name || 'file' }), a.size ? h('span', { class: 'fs', text: fmtSize(a.size) }) : null),
    );
  }
  async function download(a, local) {
    try {
      h('a', { href: local || (await blob(a.url)), download: a.name || 'file' }).click();
    } catch {
      notice(T.dlFail);
    }
  }
  function lightbox(src, name) {
    const img = els.lb.firstChild;
    img.src = src;
    img.alt = name || T.image;
    els.lb.hidden = false;
    els.lb.focus();
  }

  // ---- rendering ----
  function welcome(text) {
    if (!text || !els.list) return;
    const b = h('div', { class: 'bubble' });
    linkify(b, text);
    if (els.welcome) els.welcome.remove();
    els.list.prepend((els.welcome = h('div', { class: 'row them', 'data-testid': 'welcome-message' }, h('div', { class: 'who', text: TITLE }), b)));
  }
  function addRow({ dir, name, text, atts, at }) {
    let d = new Date(at || Date.now());
    if (isNaN(d)) d = new Date();
    if (dkey(d) !== lastDay) {
      lastDay = dkey(d);
      els.list.append(h('div', { class: 'sep', role: 'separator' }, h('span', { text: dayLabel(d) })));
      prevRow = null;
    }
    const own = dir === 'inbound';
    const who = own ? '' : name || TITLE;
    const row = h('div', { class: `row ${own ? 'me' : 'them'}`, 'data-testid': 'message', 'data-direction': own ? 'inbound' : 'outbound', 'data-who': who });
    if (!own && !(prevRow && prevRow.dataset.who === who)) row.append(h('div', { class: 'who', text: who }));
    const b = h('div', { class: 'bubble' });
    if (text) linkify(b.appendChild(h('div', { class: 'txt' })), text);
    for (const a of atts) b.append(renderAtt(a));
    if (!text && atts.length && atts.every((a) => a.kind === 'image' || /^image\//.test(a.mimeType || ''))) b.classList.add('media');
    const meta = h('div', { class: 'meta' }, h('time', { datetime: d.toISOString(), text: hm(d) }));
    row.append(b, meta);
    if (own) {
      const st = h('span', { class: 'st', 'data-testid': 'message-status' });
      const tap = () => row.dataset.state === 'failed' && retry(row.dataset.cid);
      st.addEventListener('click', tap);
      st.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); tap(); } });
      b.addEventListener('click', (e) => { if (!e.target.closest('a,button')) tap(); });
      meta.append(st);
      row.append(h('div', { class: 'err' }));
    }
    els.list.append(row);
    prevRow = row;
    scrollDown(own);
    return row;
  }
  function setState(row, s, err) {
    row.dataset.state = s;
    const st = row.querySelector('.st');
    st.textContent = T[s];
    if (s === 'failed') { st.setAttribute('role', 'button'); st.tabIndex = 0; } else { st.removeAttribute('role'); st.removeAttribute('tabindex'); }
    row.querySelector('.err').textContent = err || '';
  }
  function scrollDown(force) {
    if (force || pinned) els.list.scrollTop = els.list.scrollHeight;
  }
  let noticeT;
  function notice(text) {
    els.notice.textContent = text;
    els.notice.hidden = false;
    clearTimeout(noticeT);
    noticeT = setTimeout(() => { els.notice.hidden = true; }, 8000);
  }
  function updBanner() {
    if (!els.banner) return;
    const t = navigator.onLine === false ? T.offline : startErr && (isOpen || outbox.length) ? T.startErr : started && !streamUp && failures >= 2 ? T.reconnecting : '';
    els.banner.textContent = t;
    els.banner.hidden = !t;
  }
  function updBadge() {
    if (!els.badge) return;
    const n = (store.get('u') || []).length;
    els.badge.textContent = n > 9 ? '9+' : String(n);
    els.badge.hidden = !n || isOpen;
    els.launcher.setAttribute('aria-label', isOpen ? T.close : n ? `${T.open} (${T.unread(n)})` : T.open);
  }
  function markRead() {
    if (latestOut && (readAt == null || latestOut > readAt)) { readAt = latestOut; store.set('r', readAt); }
    if ((store.get('u') || []).length) store.set('u', null);
    updBadge();
  }
  function updSend() {
    els.send.disabled = !(els.input.value.trim() || pending.some((p) => p.id)) || pending.some((p) => !p.id && !p.err);
  }
  function grow() {
    els.input.style.height = 'auto';
    els.input.style.height = `${Math.min(els.input.scrollHeight, 140)}px`;
    updSend();
  }

  // ---- open / close ----
  function open() {
    if (!root) { wantOpen = true; return; }
    if (isOpen) return;
    isOpen = true;
    els.w.classList.add('open');
    els.launcher.setAttribute('aria-expanded', 'true');
    markRead();
    updBanner();
    if (!started) start();
    scrollDown(true);
    els.input.focus({ preventScroll: true });
    requestAnimationFrame(() => { if (isOpen && sr.activeElement !== els.input) els.input.focus({ preventScroll: true }); scrollDown(true); });
  }
  function close() {
    if (!root) { wantOpen = false; return; }
    if (!isOpen) return;
    isOpen = false;
    els.w.classList.remove('open');
    els.launcher.setAttribute('aria-expanded', 'false');
    els.lb.hidden = true;
    updBadge();
    if (sr.activeElement) els.launcher.focus({ preventScroll: true });
  }
  const toggle = () => (isOpen ? close() : open());

  function accentColors() {
    const probe = h('i');
    probe.style.color = '#4f46e5';
    if (ds.color) probe.style.color = ds.color;
    sr.append(probe);
    const c = getComputedStyle(probe).color;
    probe.remove();
    const [r, g, b] = (c.match(/[\d.]+/g) || [79, 70, 229]).map(Number);
    const lin = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    const lum = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    return [`rgb(${r},${g},${b})`, lum > 0.45 ? '#111827' : '#fff'];
  }

  function mount() {
    root = h('div', { 'data-switchboard-widget': '' });
    sr = root.attachShadow({ mode: 'open' });
    document.body.append(root);
    sr.innerHTML = `<style>${CSS}</style>`;
    const [accent, fg] = accentColors();
    els.launcher = h('button', { type: 'button', class: 'launch', 'data-testid': 'launcher', 'aria-label': T.open, 'aria-expanded': 'false', 'aria-controls': 'sb-panel', html: svg(IC.chat, 'ic-chat', true) + svg(IC.down, 'ic-x'), onclick: toggle });
    els.badge = h('span', { class: 'badge', 'data-testid': 'unread-badge', 'aria-hidden': 'true', hidden: true });
    els.launcher.append(els.badge);
    els.banner = h('div', { class: 'bn', 'data-testid': 'offline-banner', role: 'status', hidden: true });
    els.list = h('div', { class: 'list', 'data-testid': 'message-list', role: 'log', 'aria-live': 'polite', 'data-empty': T.empty, tabindex: '0' });
    els.list.addEventListener('scroll', () => { const l = els.list; pinned = l.scrollHeight - l.scrollTop - l.clientHeight < 60; }, { passive: true });
    els.tray = h('div', { class: 'tray', hidden: true });
    els.notice = h('div', { class: 'nt', role: 'alert', hidden: true, onclick: () => { els.notice.hidden = true; } });
    els.input = h('textarea', {
      rows: 1, placeholder: T.ph, 'aria-label': T.ph, 'data-testid': 'composer-input', maxlength: '5000', enterkeyhint: 'send',
      oninput: grow,
      onkeydown: (e) => { if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) { e.preventDefault(); submit(); } },
      onpaste: (e) => {
        const cd = e.clipboardData; // pasted screenshots; text with an image rendition (Word, Excel) stays text
        if (cd && cd.files.length && !cd.getData('text/plain')) { e.preventDefault(); addFiles([...cd.files], true); }
      },
    });
    els.file = h('input', {
      type: 'file', multiple: true, hidden: true, tabindex: '-1', 'data-testid': 'file-input', accept: [...MIMES, ...Object.keys(EXT).map((x) => `.${x}`)].join(','),
      onchange: () => { addFiles([...els.file.files]); els.file.value = ''; },
    });
    els.send = h('button', { type: 'submit', class: 'send', 'aria-label': T.send, title: T.send, 'data-testid': 'send-button', disabled: true, html: svg(IC.up) });
    const form = h(
      'form',
      { class: 'comp', onsubmit: (e) => { e.preventDefault(); submit(); } },
      h('button', { type: 'button', class: 'ib', 'aria-label': T.attach, title: T.attach, 'data-testid': 'attach-button', html: svg(IC.clip), onclick: () => els.file.click() }),
      els.input, els.send, els.file,
    );
    els.lb = h('div', { class: 'lb', role: 'button', tabindex: '-1', 'aria-label': T.closeImg, hidden: true, onclick: () => { els.lb.hidden = true; els.input.focus(); } }, h('img'));
    els.panel = h(
      'div',
      { class: 'panel', id: 'sb-panel', role: 'dialog', 'aria-modal': 'false', 'aria-label': TITLE, 'data-testid': 'panel' },
      h('div', { class: 'hd' },
        h('div', { class: 'av', html: svg(IC.head) }),
        h('div', { class: 'ht' }, h('h2', { text: TITLE }), h('div', { class: 'sub', text: T.sub })),
        h('button', { type: 'button', class: 'x', 'aria-label': T.close, title: T.close, 'data-testid': 'close-button', html: svg(IC.x), onclick: close })),
      els.banner, els.list,
      h('div', { class: 'foot' }, els.tray, els.notice, form),
      h('div', { class: 'safe', 'data-testid': 'safety-note' }, h('span', { html: svg(IC.shield) }), h('span', { text: T.safety })),
      els.lb,
    );
    const onEsc = (e) => {
      if (e.key !== 'Escape') return;
      e.stopPropagation();
      if (!els.lb.hidden) { els.lb.hidden = true; els.input.focus(); } else close();
    };
    els.panel.addEventListener('keydown', onEsc);
    els.launcher.addEventListener('keydown', onEsc);
    let dragN = 0; // drag & drop files onto the panel
    for (const t of ['dragenter', 'dragleave', 'dragover', 'drop']) {
      els.panel.addEventListener(t, (e) => {
        if (![...e.dataTransfer.types].includes('Files')) return;
        e.preventDefault();
        dragN = t === 'drop' ? 0 : Math.max(0, dragN + (t === 'dragenter') - (t === 'dragleave'));
        els.panel.classList.toggle('drag', dragN > 0);
        if (t === 'drop') addFiles([...e.dataTransfer.files]);
      });
    }
    els.w = h('div', { class: 'w', lang: LANG === 'zh' ? 'zh-CN' : 'en', style: `--a:${accent};--f:${fg}` }, els.panel, els.launcher);
    sr.append(els.w);
  }

  function init() {
    if (document.querySelector('[data-switchboard-widget]')) return;
    mount();
    const s = store.get('s');
    if (s && s.welcome) welcome(s.welcome);
    updBadge();
    window.addEventListener('online', () => { updBanner(); if (!started) { if (isOpen || outbox.length || store.get('s')) start(); } else { connect(); flush(); } });
    window.addEventListener('offline', () => { updBanner(); if (ctl) ctl.abort(); });
    window.addEventListener('storage', (e) => { if (e.key === `${KEY}u`) updBadge(); });
    document.addEventListener('visibilitychange', () => { if (!document.hidden && started && !ctl) connect(); });
    if ((s && s.token) || outbox.length) start();
    if (wantOpen || /[?&]sbopen=1(&|$)/.test(location.search)) open();
    updBanner();
  }

  const CSS = `
:host{all:initial;position:fixed!important;z-index:2147483000;right:0;bottom:0}
*,*::before,*::after{box-sizing:border-box}
[hidden]{display:none!important}
.w{font:15px/1.45 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#1c2024;-webkit-font-smoothing:antialiased;-webkit-text-size-adjust:100%;text-align:left}
button{font:inherit;color:inherit;background:none;border:0;padding:0;margin:0;cursor:pointer;-webkit-tap-highlight-color:transparent}
button:disabled{cursor:default}
:focus{outline:none}
:focus-visible{outline:2px solid var(--a);outline-offset:2px}
svg{display:block;flex:none;width:22px;height:22px}
.launch{position:fixed;right:20px;bottom:calc(20px + env(safe-area-inset-bottom,0px));width:60px;height:60px;border-radius:50%;background:var(--a);color:var(--f);display:grid;place-items:center;box-shadow:0 4px 12px rgba(0,0,0,.15),0 12px 28px -8px rgba(0,0,0,.35);transition:transform .18s ease}
.launch:hover{transform:scale(1.06)}.launch:active{transform:scale(.95)}
.launch svg{grid-area:1/1;width:30px;height:30px;transition:opacity .18s,transform .22s}
.ic-x{opacity:0;transform:rotate(-90deg)}
.open .ic-chat{opacity:0;transform:rotate(90deg) scale(.5)}
.open .ic-x{opacity:1;transform:none}
.badge{position:absolute;top:-4px;right:-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#e5484d;color:#fff;font-size:12px;font-weight:700;line-height:18px;text-align:center;border:2px solid #fff}
.panel{position:fixed;right:20px;bottom:calc(92px + env(safe-area-inset-bottom,0px));width:380px;height:min(680px,calc(100vh - 116px));display:flex;flex-direction:column;background:#fff;border-radius:18px;overflow:hidden;box-shadow:0 24px 64px -12px rgba(16,24,40,.3),0 0 0 1px rgba(16,24,40,.06);opacity:0;visibility:hidden;transform:translateY(16px) scale(.98);transform-origin:100% 100%;transition:opacity .2s,transform .2s,visibility 0s .2s}
.open .panel{opacity:1;visibility:visible;transform:none;transition:opacity .2s,transform .2s}
.hd{display:flex;align-items:center;gap:12px;padding:16px 10px 16px 18px;background:var(--a);color:var(--f);flex:none}
.hd :focus-visible{outline-color:currentColor}
.av{width:42px;height:42px;border-radius:50%;display:grid;place-items:center;background:rgba(255,255,255,.18);box-shadow:inset 0 0 0 1px rgba(255,255,255,.25)}
.ht{min-width:0;flex:1}
h2{margin:0;font-size:16.5px;font-weight:650;line-height:1.3;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.sub{display:flex;align-items:center;gap:6px;font-size:13px;opacity:.9;margin-top:2px}
.sub::before{content:"";width:8px;height:8px;border-radius:50%;background:#3ddc84;box-shadow:0 0 0 2px rgba(255,255,255,.35);flex:none}
.x{width:38px;height:38px;border-radius:10px;display:grid;place-items:center;flex:none}
.x:hover{background:rgba(255,255,255,.16)}
.bn{padding:8px 14px;font-size:13px;background:#fff6e6;color:#8a4b00;border-bottom:1px solid #f8dfb5;text-align:center;flex:none}
.list{flex:1;overflow-y:auto;scrollbar-width:thin;scrollbar-color:#cdd1d8 transparent;overscroll-behavior:contain;padding:14px 14px 10px;background:#f5f6f8;display:flex;flex-direction:column}
.list:focus-visible{outline-offset:-2px}
.list:empty::before{content:attr(data-empty);margin:auto;color:#80868f;font-size:14px;text-align:center;padding:24px}
.sep{display:flex;align-items:center;gap:10px;margin:10px 2px 6px;color:#8b9099;font-size:12px}
.sep::before,.sep::after{content:"";flex:1;height:1px;background:#e2e4e8}
.row{display:flex;flex-direction:column;max-width:80%;margin-top:3px}
.me{align-self:flex-end;align-items:flex-end}
.them{align-self:flex-start;align-items:flex-start}
.who{font-size:12px;color:#6b7280;margin:8px 0 3px 4px;font-weight:600}
.bubble{padding:9px 13px;border-radius:18px;white-space:pre-wrap;overflow-wrap:anywhere;max-width:100%}
.them .bubble{background:#fff;border:1px solid #e8eaee;border-bottom-left-radius:6px;box-shadow:0 1px 2px rgba(16,24,40,.05)}
.me .bubble{background:var(--a);color:var(--f);border-bottom-right-radius:6px}
.bubble a{color:inherit;text-decoration:underline;text-underline-offset:2px}
.them .bubble a{color:#2456d3}
.bubble>*+*{margin-top:6px}
.media{padding:0!important;background:none!important;border:0!important;box-shadow:none!important}
.meta{display:flex;font-size:11.5px;color:#8b9099;margin:3px 6px 6px}
.me[data-state=sent]:has(+.me) .meta,.them:has(+.them) .meta{display:none}
.st:not(:empty)::before{content:"·";margin:0 5px;display:inline-block}
[data-state=failed] .st,[data-state=error] .st{color:#d9363e;font-weight:600}
[data-state=failed] .st,[data-state=failed] .bubble{cursor:pointer}
[data-state=failed] .st{text-decoration:underline}
[data-state=sending] .bubble{opacity:.8}
[data-state=failed] .bubble,[data-state=error] .bubble{opacity:.6}
.err{font-size:12px;color:#d9363e;margin:-2px 6px 6px;text-align:right;max-width:280px}
.err:empty{display:none}
.imgb{display:block;border-radius:14px;overflow:hidden;background:#e7e9ed;min-width:140px;min-height:100px;max-width:100%;cursor:zoom-in}
.imgb.ld{min-width:0;min-height:0;background:none}
.imgb.broken{cursor:default}
.img{display:block;max-width:100%;max-height:260px}
.file{display:flex;align-items:center;gap:10px;padding:8px 12px 8px 10px;border-radius:12px;background:rgba(16,24,40,.06);text-align:left;max-width:260px;width:100%}
.me .file{background:rgba(255,255,255,.18)}
.fm{min-width:0}
.fn{display:block;font-size:14px;font-weight:600;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.fs{display:block;font-size:12px;opacity:.75}
.foot{border-top:1px solid #eceef1;background:#fff;flex:none}
.tray{display:flex;gap:8px;padding:10px 12px 0;overflow-x:auto}
.chip{position:relative;display:flex;align-items:center;gap:8px;height:48px;padding:4px 32px 4px 4px;border:1px solid #e2e4e8;border-radius:12px;background:#fff;max-width:210px;flex:none;font-size:13px}
.chip img,.fi{width:38px;height:38px;border-radius:8px;object-fit:cover;display:grid;place-items:center;background:#f1f2f4;color:#6b7280;flex:none}
.cn{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.chip.up img,.chip.up .fi{opacity:.45}
.chip.up::after{content:"";position:absolute;left:15px;top:15px;width:16px;height:16px;border:2px solid rgba(16,24,40,.15);border-top-color:var(--a);border-radius:50%;animation:sp .8s linear infinite}
@keyframes sp{to{transform:rotate(1turn)}}
.chip.bad{border-color:#f3b9b9;background:#fff5f5;color:#b42318;cursor:pointer}
.rm{position:absolute;top:50%;right:6px;margin-top:-11px;width:22px;height:22px;border-radius:50%;background:#eef0f3;color:#4b5563;display:grid;place-items:center}
.rm svg{width:12px;height:12px;stroke-width:2.5}
.nt{margin:10px 12px 0;padding:8px 12px;border-radius:10px;background:#fff1f1;color:#b42318;font-size:13px;cursor:pointer}
.comp{display:flex;align-items:flex-end;gap:4px;padding:8px 10px 8px 6px}
textarea{flex:1;min-width:0;height:40px;resize:none;border:0;outline:0!important;background:none;font:inherit;font-size:16px;line-height:22px;max-height:140px;padding:9px 6px;margin:0;color:inherit;overflow-y:auto}
textarea::placeholder{color:#9aa0a8}
.ib{width:40px;height:40px;border-radius:10px;display:grid;place-items:center;color:#6b7280}
.ib:hover{background:#f1f2f4;color:#1c2024}
.send{width:40px;height:40px;border-radius:50%;display:grid;place-items:center;background:var(--a);color:var(--f);transition:opacity .15s,transform .15s}
.send:disabled{opacity:.3}
.send:not(:disabled):hover{transform:scale(1.06)}
.send svg{width:20px;height:20px;stroke-width:2.4}
.safe{display:flex;align-items:center;justify-content:center;gap:6px;padding:8px 14px 9px;font-size:12px;line-height:1.35;color:#4b5563;background:#f5faf7;border-top:1px solid #e3efe8;flex:none}
.safe svg{width:15px;height:15px;color:#15803d}
.lb{position:absolute;inset:0;z-index:3;display:grid;place-items:center;padding:20px;background:rgba(10,12,16,.9);cursor:zoom-out}
.lb img{max-width:100%;max-height:100%;border-radius:8px}
.drag .list{outline:2px dashed var(--a);outline-offset:-8px}
@media (max-width:479px){
.panel{inset:0;width:auto;height:auto;border-radius:0;transform:translateY(24px);padding:0 env(safe-area-inset-right,0px) 0 env(safe-area-inset-left,0px);background:#f5f6f8}
.hd{padding-top:calc(14px + env(safe-area-inset-top,0px))}
.safe{padding-bottom:calc(9px + env(safe-area-inset-bottom,0px))}
.open .launch{display:none}
.row{max-width:86%}
}
@media (prefers-reduced-motion:reduce){*{transition:none!important;animation-duration:0s!important}}`;

  window.Switchboard = Object.freeze({ version: '1', open: () => open(), close: () => close(), toggle: () => toggle() });
  if (document.body) init();
  else document.addEventListener('DOMContentLoaded', init, { once: true });
})();
