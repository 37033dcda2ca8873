import type { Lang } from '../language.js';
import { redact as redactSecrets } from '../safety/redact.js';

/**
 * What the draft endpoint sends to a third party is redacted here, and only here. Two passes:
 *
 * 1. wallet safety's redaction again (`src/desk/safety/redact.ts`): stored texts are already free
 *    of recovery phrases and keys (they were removed at the door), so this catches what an older
 *    version's rules missed, and anything else that reaches a prompt (an article's example);
 * 2. the contact's personal data: emails, phone numbers, the contact's name and handles.
 *
 * Transaction hashes, addresses and amounts are kept (DESIGN §10: they are what support works
 * with, and a draft may need to name "your transfer 0x5c50…"). They are public on-chain data, and
 * with the name, email and phone masked they are not tied to a person in what leaves.
 */

/** Who the conversation is with, as far as masking needs to know. */
export interface ContactFacts {
  readonly name: string;
  readonly email?: string | undefined;
  /** Platform handles (`@wangfang`, an X screen name). */
  readonly handles: readonly string[];
}

export type PiiKind = 'name' | 'email' | 'phone';

/** The markers the model sees instead; the prompt tells it to keep them as they are. */
export const MARKERS: Record<Lang, Record<PiiKind, string>> = {
  en: { name: '[customer name]', email: '[email]', phone: '[phone]' },
  zh: { name: '[客户姓名]', email: '[邮箱]', phone: '[电话]' },
};

/** Names a contact gets when the platform told us none (`src/store/contacts.ts` displayName). */
const PLACEHOLDER_NAMES = new Set(['customer', 'visitor', 'user', 'unknown']);

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

/**
 * Phone numbers, written the ways customers write them. Each is bounded by characters that cannot
 * continue a hex hash, a base58 address or a decimal amount, so those are never cut into.
 * Deliberately not: bare digit runs (block numbers, order ids, amounts) and dates.
 */
const NOT_BEFORE = '(?<![A-Za-z0-9+]|\\d[.,])';
const NOT_AFTER = '(?![A-Za-z0-9]|[.,]\\d)';
const PHONES: readonly RegExp[] = [
  // International: +86 138 0013 8000, +1 (415) 555-2671, +44 20 7946 0958.
  new RegExp(`(?<![A-Za-z0-9+])\\+\\d[\\d ().-]{5,22}\\d${NOT_AFTER}`, 'g'),
  // Mainland mobile: 13800138000, 138-0013-8000, 138 0013 8000.
  new RegExp(`${NOT_BEFORE}1[3-9]\\d(?:[ -]?\\d{4}){2}${NOT_AFTER}`, 'g'),
  // Area code in parentheses: (415) 555-2671, (010) 6552 9988.
  new RegExp(`${NOT_BEFORE}\\(\\d{2,4}\\) ?\\d{3,4}[ -]?\\d{3,4}${NOT_AFTER}`, 'g'),
  // Dashed groups ending in four digits: 415-555-2671 (a date ends in two).
  new RegExp(`${NOT_BEFORE}\\d{3,4}-\\d{3,4}-\\d{4}${NOT_AFTER}`, 'g'),
  // Mainland landline: 010-12345678, 0755-8765432.
  new RegExp(`${NOT_BEFORE}0\\d{2,3}-\\d{7,8}${NOT_AFTER}`, 'g'),
  // Whatever follows a phone label: "phone: 4155552671", "手机号 13800138000", "WhatsApp 07911 123456".
  /(?<=(?:phone|tel|telephone|mobile|cell|whatsapp|signal|wechat|电话|手机|手机号|手机号码|联系电话|联系方式|微信)(?: ?(?:number|no\.?|#))?[\s:：是为]{0,3})\+?\d[\d ().-]{4,20}\d(?![A-Za-z0-9])/giu,
];

const digitCount = (text: string): number => text.replace(/\D/g, '').length;

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A term matched as a whole word where it is written in letters that have words (not Han). */
function termPattern(term: string): string {
  const wordy = /^[\p{Script=Latin}\p{N}]/u.test(term);
  const wordyEnd = /[\p{Script=Latin}\p{N}]$/u.test(term);
  return `${wordy ? '(?<![\\p{Script=Latin}\\p{N}_])' : ''}${escape(term)}${wordyEnd ? '(?![\\p{Script=Latin}\\p{N}_])' : ''}`;
}

/** The contact's name and its parts, their handles with and without `@`: longest first. */
export function identifyingTerms(contact: ContactFacts): string[] {
  const terms = new Set<string>();
  const name = contact.name.trim();
  if (name && !PLACEHOLDER_NAMES.has(name.toLowerCase()) && !name.includes('@')) {
    terms.add(name);
    for (const part of name.split(/[\s,.·・]+/u)) if ([...part].length >= 2) terms.add(part);
  }
  for (const handle of contact.handles) {
    const bare = handle.trim().replace(/^@/, '');
    if ([...bare].length >= 3) {
      terms.add(`@${bare}`);
      terms.add(bare);
    }
  }
  return [...terms].sort((a, b) => b.length - a.length);
}

export interface Masker {
  /** The text with secrets removed and the contact's personal data replaced by markers. */
  (text: string): string;
}

/** A masker for one conversation: its contact, in the language of the markers. */
export function createMasker(contact: ContactFacts, lang: Lang): Masker {
  const markers = MARKERS[lang];
  const terms = identifyingTerms(contact);
  const namePattern = terms.length > 0 ? new RegExp(terms.map(termPattern).join('|'), 'giu') : undefined;
  const email = contact.email?.trim();
  // The contact's own address even where it is not shaped like one we would recognise.
  const ownEmail = email ? new RegExp(escape(email), 'gi') : undefined;
  return (input) => {
    let text = redactSecrets(input, lang).text;
    // Emails before names: "wang.fang@example.com" must go whole, not as "[customer name]@…".
    if (ownEmail) text = text.replace(ownEmail, markers.email);
    text = text.replace(EMAIL, markers.email);
    for (const pattern of PHONES) text = text.replace(pattern, (match) => (digitCount(match) >= 7 && digitCount(match) <= 15 ? markers.phone : match));
    if (namePattern) text = text.replace(namePattern, markers.name);
    return text;
  };
}

/**
 * The model's answer as the agent gets it: the name marker back to the contact's name (the
 * draft stays on this server; greeting the customer by name is what the agent would type).
 */
export function restoreName(text: string, contact: ContactFacts): string {
  const name = contact.name.trim();
  if (!name || PLACEHOLDER_NAMES.has(name.toLowerCase()) || name.includes('@')) return text;
  return text.replaceAll(MARKERS.en.name, name).replaceAll(MARKERS.zh.name, name);
}
