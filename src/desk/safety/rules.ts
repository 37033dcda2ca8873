import en from './rules/en.json' with { type: 'json' };
import zh from './rules/zh.json' with { type: 'json' };

/**
 * The safety rules as data — a file per language in `rules/` (triage terms, and what an unsafe
 * reply says) — so a support lead reads and extends them without reading code; admins add terms
 * in the desk settings. Terms match case-insensitively; English ones at word starts, with `*`
 * for "any ending"; Chinese ones anywhere.
 */
export interface LanguageRules {
  readonly language: string;
  readonly triage: readonly string[];
  readonly guard: { readonly asks: readonly string[]; readonly secrets: readonly string[]; readonly negations: readonly string[] };
  /** What the desk says: the customer's warning per secret group, the agent's refusal per reason, the footer. */
  readonly messages: Readonly<Record<MessageKey, string>>;
}

export type MessageKey = 'warning.recovery-phrase' | 'warning.private-key' | 'refusal.asks-for-secret' | 'refusal.contains-secret' | 'footer';

export const builtInRules: readonly LanguageRules[] = [en as LanguageRules, zh as LanguageRules];

/** The rules of a language the desk speaks (`en`, `zh`). */
export const rulesFor = (language: string): LanguageRules => builtInRules.find((r) => r.language === language) ?? builtInRules[0]!;

/** A term list compiled to one regular expression; each match says where and which term. */
export interface TermMatcher {
  all(text: string): { start: number; end: number; term: string }[];
  /** The first term found, or undefined: one search, no list built (what triage asks on every message). */
  first(text: string): string | undefined;
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function compileTerms(terms: readonly string[]): TermMatcher {
  const unique = [...new Set(terms.map((t) => t.trim().toLowerCase()).filter(Boolean))].sort((a, b) => b.length - a.length);
  if (unique.length === 0) return { all: () => [], first: () => undefined };
  const body = (term: string): string => escape(term).replace(/\s+/g, '\\s+');
  // Latin terms start at a word boundary (so "hack" is not inside "shack") and end at one unless
  // they end in `*`; Chinese ones match anywhere. One boundary check for all, not one per term.
  const latin = unique.filter((t) => /^[a-z0-9]/.test(t));
  const whole = latin.filter((t) => !t.endsWith('*') && /[a-z0-9]$/.test(t)).map(body);
  const open = latin.filter((t) => t.endsWith('*') || !/[a-z0-9]$/.test(t)).map((t) => (t.endsWith('*') ? `${body(t.slice(0, -1))}\\p{L}*` : body(t)));
  const other = unique.filter((t) => !/^[a-z0-9]/.test(t)).map((t) => (t.endsWith('*') ? body(t.slice(0, -1)) : body(t)));
  const latinParts = [...(whole.length > 0 ? [`(?:${whole.join('|')})(?![\\p{L}\\p{N}])`] : []), ...open];
  const parts = [...(latinParts.length > 0 ? [`(?<![\\p{L}\\p{N}])(?:${latinParts.join('|')})`] : []), ...other];
  // Matched against the lower-cased text (same length for the scripts of the rules), without the
  // slower case-insensitive flag.
  const pattern = new RegExp(parts.join('|'), 'gu');
  const once = new RegExp(pattern.source, 'u');
  const onceIgnoringCase = new RegExp(pattern.source, 'iu');
  return {
    first(text) {
      const lower = text.toLowerCase();
      const match = lower.length === text.length ? once.exec(lower) : onceIgnoringCase.exec(text);
      return match?.[0].toLowerCase();
    },
    all(text) {
      const lower = text.toLowerCase();
      if (lower.length !== text.length) return [...text.matchAll(new RegExp(pattern.source, 'giu'))].map((m) => ({ start: m.index, end: m.index + m[0].length, term: m[0].toLowerCase() }));
      return [...lower.matchAll(pattern)].map((m) => ({ start: m.index, end: m.index + m[0].length, term: m[0] }));
    },
  };
}
