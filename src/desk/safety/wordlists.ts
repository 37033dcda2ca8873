import { wordlist as english } from '@scure/bip39/wordlists/english.js';
import { wordlist as simplified } from '@scure/bip39/wordlists/simplified-chinese.js';
import { wordlist as traditional } from '@scure/bip39/wordlists/traditional-chinese.js';

/**
 * The BIP39 wordlists wallets use for recovery phrases (助记词), from @scure/bip39 (the
 * audited lists of the BIP repository, not copies of ours): English words, and single Chinese
 * characters in simplified and traditional form.
 */
export interface Wordlist {
  readonly name: 'english' | 'simplified-chinese' | 'traditional-chinese';
  readonly words: readonly string[];
  readonly index: ReadonlyMap<string, number>;
}

const build = (name: Wordlist['name'], words: readonly string[]): Wordlist => ({ name, words, index: new Map(words.map((w, i) => [w, i])) });

export const englishList = build('english', english);
export const chineseLists: readonly Wordlist[] = [build('simplified-chinese', simplified), build('traditional-chinese', traditional)];

/** English words by their first four letters: in BIP39 these are unique, which wallets rely on to accept abbreviations. */
export const englishByPrefix: ReadonlyMap<string, string> = new Map(english.map((w) => [w.slice(0, 4), w]));

/** Characters of either Chinese list. */
export const chineseCharacters: ReadonlySet<string> = new Set(chineseLists.flatMap((l) => l.words));
