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
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function compileTerms(terms: readonly string[]): TermMatcher {
  const unique = [...new Set(terms.map((t) => t.trim().toLowerCase()).filter(Boolean))].sort((a, b) => b.length - a.length);
  if (unique.length === 0) return { all: () => [] };
  const parts = unique.map((term) => {
    const wild = term.endsWith('*');
    const body = escape(wild ? term.slice(0, -1) : term).replace(/\s+/g, '\\s+');
    // Latin terms start at a word boundary (so "hack" is not inside "shack"); Chinese ones match anywhere.
    const latinStart = /^[a-z0-9]/.test(term) ? '(?<![\\p{L}\\p{N}])' : '';
    const latinEnd = /[a-z0-9]$/.test(wild ? term.slice(0, -1) : term) ? (wild ? '\\p{L}*' : '(?![\\p{L}\\p{N}])') : '';
    return `${latinStart}${body}${latinEnd}`;
  });
  const pattern = new RegExp(parts.join('|'), 'giu');
  return {
    all(text) {
      return [...text.matchAll(pattern)].map((m) => ({ start: m.index, end: m.index + m[0].length, term: m[0].toLowerCase() }));
    },
  };
}
