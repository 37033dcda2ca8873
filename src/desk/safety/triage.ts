import { compileTerms, type LanguageRules, type TermMatcher } from './rules.js';

/**
 * Urgent triage (DESIGN §10): a customer reporting theft, a hacked account, a drained wallet, an
 * unauthorized transfer or a scam must reach a person at once. Over-triage is cheap (an agent
 * lowers the priority); a missed theft report is not.
 */
export function triageMatcher(rules: readonly LanguageRules[], extraTerms: readonly string[]): TermMatcher {
  return compileTerms([...rules.flatMap((r) => r.triage), ...extraTerms]);
}

/** The first term the text matches, or undefined. */
export function urgentTerm(matcher: TermMatcher, text: string): string | undefined {
  return matcher.first(text);
}
