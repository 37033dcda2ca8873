import { findSecrets } from './redact.js';
import { compileTerms, type LanguageRules, type TermMatcher } from './rules.js';

/** Why a reply was refused (the composer shows it; the agent cannot override it). */
export type UnsafeReason = 'asks-for-secret' | 'contains-secret';

export interface ReplyGuard {
  check(text: string, options: { private: boolean }): UnsafeReason | undefined;
}

/** How close an ask and a secret must stand to read as one request ("please send me your 助记词"). */
const ASK_BEFORE = 60;
const ASK_AFTER = 30;
/** How far before the request a negation still turns it into a warning ("never share your …"). */
const NEGATION_REACH = 40;

/**
 * The outbound guard (DESIGN §10): a reply that asks the customer for a recovery phrase, private
 * key, password or verification code — in any of the rule languages, also mixed — or that
 * contains a secret, is refused. A negation before the request makes it the advice support gives
 * ("never share your recovery phrase"). Internal notes may discuss such requests, but never hold
 * a secret. Admins' allowed phrasings are taken out of the text before it is checked.
 */
export function createReplyGuard(rules: readonly LanguageRules[], allowedPhrasings: readonly string[]): ReplyGuard {
  const asks = compileTerms(rules.flatMap((r) => r.guard.asks));
  const secrets = compileTerms(rules.flatMap((r) => r.guard.secrets));
  const negations = compileTerms(rules.flatMap((r) => r.guard.negations));
  const allowed = compileTerms(allowedPhrasings);
  return {
    check(text, options) {
      if (findSecrets(text).length > 0) return 'contains-secret';
      if (options.private) return undefined;
      const cleaned = blank(text, allowed);
      for (const sentence of sentences(cleaned)) if (asksForSecret(sentence, asks, secrets, negations)) return 'asks-for-secret';
      return undefined;
    },
  };
}

/** Allowed phrasings become spaces, so offsets elsewhere stay as they were. */
function blank(text: string, matcher: TermMatcher): string {
  let out = text;
  for (const m of matcher.all(text)) out = out.slice(0, m.start) + ' '.repeat(m.end - m.start) + out.slice(m.end);
  return out;
}

const sentences = (text: string): string[] => text.split(/(?<=[.!?。！？\n])/u);

function asksForSecret(sentence: string, asks: TermMatcher, secrets: TermMatcher, negations: TermMatcher): boolean {
  const found = secrets.all(sentence);
  if (found.length === 0) return false;
  const requests = asks.all(sentence);
  const negated = negations.all(sentence);
  return found.some((secret) =>
    requests.some((ask) => {
      const before = ask.end <= secret.start && secret.start - ask.end <= ASK_BEFORE;
      const after = secret.end <= ask.start && ask.start - secret.end <= ASK_AFTER;
      if (!before && !after) return false;
      const first = Math.min(ask.start, secret.start);
      const last = Math.max(ask.end, secret.end);
      // A negation shortly before the request, or inside it ("send a screenshot, never your password").
      return !negated.some((n) => (n.end <= first && first - n.end <= NEGATION_REACH) || (n.start >= first && n.end <= last));
    }),
  );
}
