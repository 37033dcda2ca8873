import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { splitMarkers, type Transcript, type TranscriptEntry } from './transcript.js';
import { formatDate, words } from './wording.js';

/**
 * Where a CJK font may be, first found wins: WenQuanYi Micro Hei (Debian/Ubuntu `fonts-wqy-microhei`,
 * what the Docker image installs), then Noto Sans CJK (`fonts-noto-cjk`, Fedora's
 * `google-noto-sans-cjk-ttc-fonts`). The family is the PostScript name inside the collection.
 */
export const CJK_FONT_CANDIDATES: readonly { path: string; family: string }[] = [
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', family: 'WenQuanYiMicroHei' },
  { path: '/usr/share/fonts/wqy-microhei/wqy-microhei.ttc', family: 'WenQuanYiMicroHei' },
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
];

export class MissingFontError extends Error {
  override readonly name = 'MissingFontError';
}

/** The first CJK font on this machine; throws naming the places looked at and the package to install. */
export function findCjkFont(candidates: readonly { path: string; family: string }[] = CJK_FONT_CANDIDATES): { path: string; family: string } {
  const found = candidates.find((c) => existsSync(c.path));
  if (!found) {
    throw new MissingFontError(
      `no CJK font for PDF transcripts (looked for ${candidates.map((c) => c.path).join(', ')}); install fonts-wqy-microhei (apt-get install fonts-wqy-microhei)`,
    );
  }
  return found;
}

const INDIGO = '#4f46e5';
const MUTED = '#6b7080';
const AMBER = '#92400e';

/** The logo mark of `html.ts`, drawn with the same SVG path at `size` points. */
function drawLogo(doc: PDFDocument, x: number, y: number, size: number): void {
  doc.save().translate(x, y).scale(size / 32);
  doc.roundedRect(0, 0, 32, 32, 8).fill(INDIGO);
  doc.path('M9 10.5h6.5c2 0 2.5 1 3.5 2.5l1 2c.8 1.5 1.5 2.5 3.5 2.5M9 21.5h6.5c2 0 2.5-1 3.5-2.5M20 13c.8-1.5 1.5-2.5 3.5-2.5').lineWidth(2.2).lineCap('round').stroke('#ffffff');
  doc.circle(8.5, 10.5, 2).fill('#c7d2fe');
  doc.circle(8.5, 21.5, 2).fill('#c7d2fe');
  doc.restore();
}

function entry(doc: PDFDocument, e: TranscriptEntry, t: Transcript): void {
  const w = words[t.lang];
  const who = e.from === 'customer' ? w.you : e.from === 'bot' ? w.bot : `${e.name} · ${w.support}`;
  doc.moveDown(0.6).fontSize(9).fillColor(e.from === 'customer' ? INDIGO : MUTED).text(`${who} · ${formatDate(e.at, t.lang)}`);
  doc.fontSize(11).fillColor('#1f2330');
  const parts = splitMarkers(e.text);
  if (parts.length === 0) doc.text(' ');
  parts.forEach((part, i) => {
    const continued = i < parts.length - 1;
    if (part.marker) doc.fillColor(AMBER).text(w.removed, { continued }).fillColor('#1f2330');
    else doc.text(part.text, { continued });
  });
  for (const file of e.files) doc.fontSize(9).fillColor(MUTED).text(`${w.file}: ${file}`);
  if (e.redactions.length > 0) {
    const marked = parts.some((p) => p.marker);
    doc.fontSize(9).fillColor(AMBER).text(`${marked ? '' : `${w.removed} `}${w.removedWhy(e.redactions)}`);
  }
}

/**
 * The transcript as a PDF: A4, the CJK font embedded (pdfkit subsets it to the glyphs used), so
 * Chinese renders on any reader. Resolves with the file's bytes.
 */
export function renderPdf(t: Transcript, font: { path: string; family: string } = findCjkFont()): Promise<Buffer> {
  const w = words[t.lang];
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    lang: t.lang === 'zh' ? 'zh-CN' : 'en',
    displayTitle: true,
    info: { Title: `${w.title} · ${t.customerName}`, Author: 'Switchboard', Creator: 'Switchboard', CreationDate: new Date(t.generatedAt) },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', font.path, font.family);
  doc.font('cjk');
  const left = doc.page.margins.left;
  const top = doc.page.margins.top;
  drawLogo(doc, left, top, 28);
  doc.fontSize(10).fillColor(INDIGO).text('Switchboard', left + 38, top + 1);
  doc.fontSize(16).fillColor('#1f2330').text(w.title, left + 38, top + 12);
  doc.x = left;
  doc.y = top + 44;
  doc.fontSize(10).fillColor(MUTED);
  doc.text(`${w.channel}: ${w.channelKinds[t.channel.kind]} · ${t.channel.name}`);
  if (t.subject) doc.text(`${w.subject}: ${t.subject}`);
  doc.text(`${w.started}: ${formatDate(t.startedAt, t.lang)}`);
  doc.text(`${w.generated}: ${formatDate(t.generatedAt, t.lang)}`);
  const width = doc.page.width - left - doc.page.margins.right;
  doc.moveDown(0.5).moveTo(left, doc.y).lineTo(left + width, doc.y).lineWidth(1).stroke(INDIGO);
  if (t.entries.length === 0) doc.moveDown().fontSize(11).fillColor('#1f2330').text(w.empty);
  for (const e of t.entries) entry(doc, e, t);
  doc.moveDown(2).fontSize(8).fillColor(MUTED).text(w.footer);
  doc.end();
  return done;
}
