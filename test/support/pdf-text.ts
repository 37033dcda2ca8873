import { inflateSync } from 'node:zlib';

/**
 * The text of a PDF as pdfkit writes it, for assertions: every stream is inflated, the fonts'
 * ToUnicode CMaps (bfchar/bfrange, PDF 1.7 §9.10.3) map the glyph codes of the content streams'
 * `TJ`/`Tj` hex strings back to characters. Enough for our own files, not a general PDF reader.
 */
export function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const streams: string[] = [];
  for (const match of raw.matchAll(/<<([\s\S]*?)>>\s*stream\r?\n/g)) {
    const start = match.index + match[0].length;
    const end = raw.indexOf('endstream', start);
    const bytes = pdf.subarray(start, end);
    streams.push(/\/FlateDecode/.test(match[1]!) ? inflateSync(bytes).toString('latin1') : bytes.toString('latin1'));
  }
  const map = new Map<string, string>();
  const utf16 = (hex: string) => Buffer.from(hex, 'hex').swap16().toString('utf16le');
  for (const cmap of streams.filter((s) => s.includes('begincmap'))) {
    for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
      for (const [, code, uni] of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) map.set(code!.toLowerCase(), utf16(uni!));
    }
    for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
      for (const [, from, to, rest] of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]+>)/g)) {
        const first = parseInt(from!, 16);
        const last = parseInt(to!, 16);
        const targets = rest!.startsWith('[') ? [...rest!.matchAll(/<([0-9a-fA-F]+)>/g)].map((m) => m[1]!) : undefined;
        for (let code = first; code <= last; code += 1) {
          const key = code.toString(16).padStart(from!.length, '0');
          const uni = targets ? targets[code - first] : (parseInt(rest!.slice(1, -1), 16) + code - first).toString(16).padStart(4, '0');
          if (uni) map.set(key, utf16(uni));
        }
      }
    }
  }
  const lines: string[] = [];
  for (const content of streams.filter((s) => /\bT[Jj]\b/.test(s))) {
    for (const op of content.matchAll(/\[([^\]]*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g)) {
      const hexes = op[1] !== undefined ? [...op[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((m) => m[1]!) : [op[2]!];
      lines.push(hexes.map((hex) => (hex.match(/.{4}/g) ?? []).map((code) => map.get(code.toLowerCase()) ?? '\ufffd').join('')).join(''));
    }
  }
  return lines.join('\n');
}
