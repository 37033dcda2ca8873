import { escapeHtml } from '../../domain/html.js';
import { splitMarkers, type Transcript, type TranscriptEntry } from './transcript.js';
import { formatDate, words } from './wording.js';

/** The inbox's logo mark (`src/ui/inbox/src/favicon.svg`), inline so the file stands alone. */
export const LOGO_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="32" height="32" aria-hidden="true"><rect width="32" height="32" rx="8" fill="#4f46e5"/><path d="M9 10.5h6.5c2 0 2.5 1 3.5 2.5l1 2c.8 1.5 1.5 2.5 3.5 2.5M9 21.5h6.5c2 0 2.5-1 3.5-2.5M20 13c.8-1.5 1.5-2.5 3.5-2.5" stroke="#fff" stroke-width="2.2" fill="none" stroke-linecap="round"/><circle cx="8.5" cy="10.5" r="2" fill="#c7d2fe"/><circle cx="8.5" cy="21.5" r="2" fill="#c7d2fe"/></svg>';

const STYLE = `
body{margin:0;background:#f4f4f7;color:#1f2330;font:15px/1.5 -apple-system,"Segoe UI","PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif}
main{max-width:720px;margin:0 auto;padding:24px 16px}
header{display:flex;gap:12px;align-items:center;border-bottom:2px solid #4f46e5;padding-bottom:12px}
header h1{font-size:20px;margin:0}header .brand{font-weight:600;color:#4f46e5}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:12px 0 20px;color:#4b5063}
dl.facts dt{font-weight:600}dl.facts dd{margin:0}
.msg{background:#fff;border-radius:10px;padding:10px 14px;margin:10px 0;max-width:85%;box-shadow:0 1px 2px rgba(0,0,0,.06)}
.msg.customer{margin-left:auto;background:#eef0ff}
.who{font-size:13px;color:#6b7080}.who b{color:#1f2330}
.text{white-space:pre-wrap;overflow-wrap:anywhere}
.files{font-size:13px;color:#4b5063;margin-top:4px}
mark.removed{background:#fde68a;color:#78350f;border-radius:4px;padding:0 3px}
.why{font-size:13px;color:#92400e;margin-top:4px}
footer{margin-top:24px;font-size:12px;color:#6b7080;border-top:1px solid #d9dbe3;padding-top:8px}
`;

function textHtml(text: string, marker: string): string {
  return splitMarkers(text)
    .map((part) => (part.marker ? `<mark class="removed" title="${escapeHtml(part.text)}">${escapeHtml(marker)}</mark>` : escapeHtml(part.text)))
    .join('');
}

function entryHtml(entry: TranscriptEntry, t: Transcript): string {
  const w = words[t.lang];
  const who = entry.from === 'customer' ? w.you : entry.from === 'bot' ? w.bot : `${entry.name} · ${w.support}`;
  // A redaction whose marker is not in the text (a secret inside a file) still gets the visible marker.
  const hasMarker = splitMarkers(entry.text).some((p) => p.marker);
  const removed =
    entry.redactions.length === 0
      ? ''
      : `<div class="why">${hasMarker ? '' : `<mark class="removed">${escapeHtml(w.removed)}</mark> `}${escapeHtml(w.removedWhy(entry.redactions))}</div>`;
  const files = entry.files.length === 0 ? '' : `<div class="files">${entry.files.map((f) => `📎 ${escapeHtml(w.file)}: ${escapeHtml(f)}`).join('<br>')}</div>`;
  return `<article class="msg ${entry.from}"><div class="who"><b>${escapeHtml(who)}</b> · <time datetime="${escapeHtml(entry.at)}">${escapeHtml(formatDate(entry.at, t.lang))}</time></div><div class="text">${textHtml(entry.text, w.removed)}</div>${files}${removed}</article>`;
}

/**
 * The transcript as one self-contained HTML file (no scripts, no remote resources: it is opened
 * from a mail or a download, offline). Every stored string is escaped: a customer's name or text
 * is data, never markup.
 */
export function renderHtml(t: Transcript): string {
  const w = words[t.lang];
  const facts: [string, string][] = [
    [w.channel, `${w.channelKinds[t.channel.kind]} · ${t.channel.name}`],
    ...(t.subject ? ([[w.subject, t.subject]] as [string, string][]) : []),
    [w.started, formatDate(t.startedAt, t.lang)],
    [w.generated, formatDate(t.generatedAt, t.lang)],
  ];
  return `<!doctype html>
<html lang="${t.lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(`${w.title} · ${t.customerName}`)}</title><style>${STYLE}</style></head>
<body><main>
<header>${LOGO_SVG}<div><div class="brand">Switchboard</div><h1>${escapeHtml(w.title)}</h1></div></header>
<dl class="facts">${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>
${t.entries.length === 0 ? `<p>${escapeHtml(w.empty)}</p>` : t.entries.map((e) => entryHtml(e, t)).join('\n')}
<footer>${escapeHtml(w.footer)}</footer>
</main></body></html>
`;
}
