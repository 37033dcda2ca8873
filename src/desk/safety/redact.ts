import type { Redaction, SecretKind } from '../../domain/message.js';
import { findKeys } from './keys.js';
import { type Lang, languageOf } from '../language.js';
import { findPhrases } from './phrases.js';

export { type Lang, languageOf };

const markers: Record<Lang, Record<SecretKind, string>> = {
  en: {
    'recovery-phrase': '[recovery phrase removed]',
    'private-key': '[private key removed]',
    wif: '[private key removed]',
    'extended-key': '[private key removed]',
    'solana-key': '[private key removed]',
    keystore: '[keystore file removed]',
  },
  zh: {
    'recovery-phrase': '[助记词已移除]',
    'private-key': '[私钥已移除]',
    wif: '[私钥已移除]',
    'extended-key': '[私钥已移除]',
    'solana-key': '[私钥已移除]',
    keystore: '[密钥库文件已移除]',
  },
};


interface Span {
  kind: SecretKind;
  start: number;
  end: number;
  words?: number;
}

/**
 * Every secret of the text, as spans that do not overlap (a key inside a keystore is the
 * keystore). Quick to say no: texts shorter than any secret, and texts without the characters
 * a secret needs, return at once.
 */
export function findSecrets(text: string): Span[] {
  // The shortest secret is twelve Chinese characters without spaces.
  if (text.length < 12) return [];
  const spans: Span[] = [...findPhrases(text).map((p) => ({ kind: 'recovery-phrase' as const, start: p.start, end: p.end, words: p.words })), ...findKeys(text)];
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Span[] = [];
  for (const span of spans) {
    const last = merged.at(-1);
    if (last && span.start < last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged;
}

/** The text with every secret replaced by a visible marker, and what was removed. */
export function redact(text: string, lang: Lang = languageOf(text)): { text: string; redactions: Redaction[] } {
  const spans = findSecrets(text);
  if (spans.length === 0) return { text, redactions: [] };
  let out = '';
  let at = 0;
  for (const span of spans) {
    out += text.slice(at, span.start) + markers[lang][span.kind];
    at = span.end;
  }
  out += text.slice(at);
  return { text: out, redactions: spans.map((s) => (s.words !== undefined ? { kind: s.kind, words: s.words } : { kind: s.kind })) };
}
