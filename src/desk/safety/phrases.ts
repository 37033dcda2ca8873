import { hash } from 'node:crypto';
import { PHRASE_LENGTHS, validChecksum } from './checksum.js';
import { walletWords } from './lexicon.js';
import { chineseCharacters, chineseLists, englishByPrefix, englishList } from './wordlists.js';

/** Where a recovery phrase sits in a text, and how many of its words were seen. */
export interface PhraseMatch {
  readonly start: number;
  readonly end: number;
  readonly words: number;
}

interface Token {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly han: boolean;
}

/** A phrase with one word missing still exposes the rest: 11 of 12 is enough to act on. */
const MIN_WORDS = 11;
/** Phrase lengths, longest first, and the shortest. */
const LONGEST_FIRST = [...PHRASE_LENGTHS].sort((a, b) => b - a);
const MIN_PHRASE = Math.min(...PHRASE_LENGTHS);
/** Mistyped words a run may hold: a customer copying 12–24 words makes one or two slips, not more. */
const MAX_TYPOS = 2;
/**
 * Share of characters that ICU's dictionary segmenter puts into words of two or more characters,
 * for Chinese characters set apart by separators. Random BIP39 characters stay below ~0.5
 * (measured on 2,000 generated phrases per list: p99 0.17–0.33, max 0.5); Chinese sentences made
 * of the same common characters are above ~0.65.
 */
const SENTENCE_COVERAGE = 0.55;
/**
 * Unspaced Chinese: below this prose score (proseScorer) a checksum-valid window is taken for a
 * phrase. Chosen from test/unit/desk/safety/zh-measure.ts, per phrase length 12/15/18/21/24:
 * - generated phrases, scored in their message (8,000 per length, each in 8 frames): p99
 *   0.35/0.34/0.32/0.31/0.29, p99.9 0.45/0.42/0.39/0.38/0.34, max 0.55/0.50/0.43/0.46/0.42;
 * - every natural window of the repository's Chinese (support text, 4,610 windows): min
 *   0.56/0.61/0.64/0.78/0.81;
 * - every natural window of 95,000 held-out program-translation strings (70,777 windows; jargon
 *   such as 助记符, 数组表达式 that ICU knows least): min 0.33/0.51/0.56/0.58/0.61, p0.1
 *   0.48/0.54/0.59/0.59/0.61.
 * Only 12-character windows overlap. At 0.5 two phrases in 8,000 of 12 characters read as prose
 * and are missed, none longer (99.997 % found overall); 61 of the 45,000 held-out 12-windows
 * fall below it, a sixteenth of which has a valid checksum: 3 of 95,000 strings flagged. Support
 * text keeps a margin of 0.06 above it. A higher threshold catches the last 12-character phrases
 * only by flagging held-out prose more than twice as often (0.55: 161 windows below).
 */
export const PROSE_SCORE = 0.5;

const TOKEN = /[A-Za-z]+|\p{Script=Han}/gu;
/**
 * What may stand between two words of one phrase: spaces, punctuation, and numbering ("1.", "12)")
 * — not other words, and not long numbers.
 */
const SEPARATOR = /^(?:[\s,，、;；:：.。!！?？\-–—_|/\\()（）[\]【】{}"'“”‘’`*#•·~=>]|(?<!\d)\d{1,2}(?!\d))*$/u;

/**
 * Punctuation that ends a phrase: sentence ends, colons, dashes. Numbering ("1.", "12)", "3:")
 * is taken out first, so "1. abandon 2. ability" still joins; "shopping list: coffee, … — sorry"
 * does not make one run of the list and the apology.
 */
const NUMBERING = /(?<!\d)\d{1,2}[.:)）]?(?!\d)/gu;
const BREAK = /[.。!！?？:：—–]/u;
const joinsWords = (gap: string): boolean => gap.length > 0 && SEPARATOR.test(gap) && !BREAK.test(gap.replace(NUMBERING, ' '));

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/** How much of a run of Chinese characters reads as words: low for random characters (see SENTENCE_COVERAGE). */
export function wordCoverage(han: string): number {
  let inWords = 0;
  for (const piece of segmenter.segment(han)) if (piece.isWordLike && piece.segment.length > 1) inWords += piece.segment.length;
  return han.length === 0 ? 0 : inWords / [...han].length;
}

/**
 * Position of each Chinese list character in the lists' order. Both lists are in order of how
 * often the characters occur in Chinese, most frequent first (的 一 是 在 不 了 …; in natural text
 * the first 100 make about 30–40 % of the characters, against 5 % of a random phrase's).
 */
const chineseRank = new Map<string, number>(chineseLists[0]!.words.map((c, i) => [c, i]));
for (const list of chineseLists) list.words.forEach((c, i) => chineseRank.set(c, Math.min(i, chineseRank.get(c) ?? i)));
const LIST_BITS = Math.log2(2048);

/** Wallet words ICU lacks, by their first character. */
const walletWordsByFirst = new Map<string, string[]>();
for (const word of walletWords) walletWordsByFirst.set(word[0]!, [...(walletWordsByFirst.get(word[0]!) ?? []), word]);

/**
 * ICU's dictionary segmenter slows down with the length of an unbroken run of Chinese, about
 * quadratically (64,000 characters: 0.7 s): long runs are segmented in pieces, each with some
 * characters of context on both sides — more than a dictionary word is long.
 */
const SEGMENT_PIECE = 256;
const SEGMENT_CONTEXT = 16;

/**
 * Running sums of each character's prose weight (see proseScore) over a run: entry i is the sum
 * over characters 0 … i-1, so any window's score is two look-ups.
 */
function proseSums(chars: readonly string[]): Float64Array {
  const inWord = new Uint8Array(chars.length);
  for (let core = 0; core < chars.length; core += SEGMENT_PIECE) {
    const from = Math.max(0, core - SEGMENT_CONTEXT);
    const to = Math.min(chars.length, core + SEGMENT_PIECE + SEGMENT_CONTEXT);
    const coreEnd = Math.min(chars.length, core + SEGMENT_PIECE);
    const piece = chars.slice(from, to);
    const text = piece.join('');
    // Segments come in UTF-16 offsets; characters outside the BMP take two.
    const charAt = new Int32Array(text.length + 1);
    for (let i = 0, at = 0; i < piece.length; at += piece[i]!.length, i++) charAt.fill(from + i, at, at + piece[i]!.length);
    charAt[text.length] = to;
    const mark = (start: number, end: number): void => void inWord.fill(1, Math.max(core, charAt[start]!), Math.min(coreEnd, charAt[end]!));
    for (const segment of segmenter.segment(text)) if (segment.isWordLike && segment.segment.length > 1) mark(segment.index, segment.index + segment.segment.length);
    for (let at = 0; at < text.length; at++) {
      for (const word of walletWordsByFirst.get(text[at]!) ?? []) if (text.startsWith(word, at)) mark(at, at + word.length);
    }
  }
  const sums = new Float64Array(chars.length + 1);
  for (let i = 0; i < chars.length; i++) {
    const rank = chineseRank.get(chars[i]!);
    sums[i + 1] = sums[i]! + (inWord[i] ? 1 : rank === undefined ? 0 : 1 - Math.log2(rank + 1) / LIST_BITS);
  }
  return sums;
}

/**
 * How much the characters [from, to) of an unspaced run of Chinese read as prose, 0 to 1: the mean
 * of each character's weight, 1 inside a word of two or more characters — as ICU segments the
 * WHOLE run, so a window cut mid-word keeps its edge words, or a wallet word ICU lacks
 * (lexicon.ts) — and otherwise 1 − log2(rank + 1) / 11 by the character's frequency rank: 的 1,
 * the 100th character 0.4, the 2048th 0. Outside words that is a log-likelihood ratio of
 * Zipf-distributed prose against the uniform draw from 2048 characters a phrase is: prose uses a
 * few characters often (的了是在我), a phrase each as rarely as any other. The run is segmented
 * once; each window is then two look-ups. See PROSE_SCORE for what it measures on both.
 */
export function proseScorer(run: string): (from: number, to: number) => number {
  const sums = proseSums([...run]);
  return (from, to) => (to > from ? (sums[to]! - sums[from]!) / (to - from) : 0);
}

/**
 * validChecksum for the window [from, from + n) of a run given as word indices, without building
 * strings: the unspaced search checks windows at every offset of a run, and a phrase inside a long
 * message brings a hundred of them (≈1 µs each here against ≈6 µs).
 */
function checksumAt(indices: Int16Array, from: number, n: number, entropy: Uint8Array): boolean {
  const checksumBits = n / 3;
  const entropyBytes = (n * 11 - checksumBits) / 8;
  let acc = 0;
  let bits = 0;
  let k = 0;
  for (let i = from; i < from + n; i++) {
    acc = (acc << 11) | indices[i]!;
    bits += 11;
    while (bits >= 8 && k < entropyBytes) {
      bits -= 8;
      entropy[k++] = (acc >>> bits) & 0xff;
      acc &= (1 << bits) - 1;
    }
  }
  // What is left are the checksum bits: the first bits of SHA-256 over the entropy.
  return acc === hash('sha256', entropy.subarray(0, entropyBytes), 'buffer')[0]! >>> (8 - checksumBits);
}

/**
 * Windows of an unspaced Chinese run that are a phrase: every character from one list, a prose
 * score below PROSE_SCORE and a valid checksum — checked in that order, cheapest first, so prose
 * rarely reaches the hash. Any length of run: a phrase pasted into a long unpunctuated message is
 * still a phrase (the old limit of 64 characters missed every one). The cost stays linear: the
 * longest message text, 100,000 characters in one run, takes about 0.23 s as Chinese prose and
 * 0.75 s as random list characters, where every window is hashed.
 */
function unspacedWindows(chars: readonly string[]): { from: number; to: number }[] {
  // Per list, each character's index (-1: not in it) and running counts of characters not in it:
  // a window is all in the list when the count does not change across it.
  const perList = chineseLists.map((list) => {
    const indices = new Int16Array(chars.length);
    const missing = new Int32Array(chars.length + 1);
    for (let i = 0; i < chars.length; i++) {
      indices[i] = list.index.get(chars[i]!) ?? -1;
      missing[i + 1] = missing[i]! + (indices[i]! < 0 ? 1 : 0);
    }
    return { indices, missing };
  });
  const entropy = new Uint8Array(32);
  let sums: Float64Array | undefined;
  const out: { from: number; to: number }[] = [];
  for (const n of PHRASE_LENGTHS) {
    for (let from = 0, to = n; to <= chars.length; from++, to++) {
      if (!perList.some(({ missing }) => missing[to] === missing[from])) continue;
      sums ??= proseSums(chars);
      if ((sums[to]! - sums[from]!) / n >= PROSE_SCORE) continue;
      if (perList.some(({ indices, missing }) => missing[to] === missing[from] && checksumAt(indices, from, n, entropy))) out.push({ from, to });
    }
  }
  return out;
}

/** Every BIP39 English word with one letter left out, for finding words one edit away without scanning the list. */
const oneLetterShort = new Set(englishList.words.flatMap((w) => [...w].map((_, i) => w.slice(0, i) + w.slice(i + 1))));

/**
 * A mistyped BIP39 English word: its unique 4-letter prefix (wallets accept those), or one edit
 * away — a letter inserted, left out, replaced, or two neighbours swapped.
 */
function nearEnglish(word: string): boolean {
  if (word.length >= 4 && englishByPrefix.has(word.slice(0, 4))) return true;
  // Three-letter words ("the", "was") are one edit from too many list words to mean anything.
  if (word.length < 4) return false;
  // An extra letter: the word without it is a list word. A missing letter: the word is a list word without one.
  if (oneLetterShort.has(word)) return true;
  for (let i = 0; i < word.length; i++) {
    const without = word.slice(0, i) + word.slice(i + 1);
    // Extra letter, or a replaced one (both one letter short of the same list word).
    if (englishList.index.has(without) || oneLetterShort.has(without)) return true;
    if (i + 1 < word.length && englishList.index.has(word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2))) return true;
  }
  return false;
}

/**
 * Runs of list words that hold at least MIN_WORDS of them, allowing mistyped words (`near`) and,
 * one in twelve, something else entirely — a stray word, a typo beyond one edit.
 */
function runsOfWords(tokens: readonly Token[], isWord: (t: Token) => boolean, near: (t: Token) => boolean): { from: number; to: number; words: number }[] {
  const out: { from: number; to: number; words: number }[] = [];
  const word = tokens.map(isWord);
  if (word.filter(Boolean).length < MIN_WORDS - 1) return out;
  const nearCache = new Map<number, boolean>();
  const isNear = (i: number): boolean => {
    let known = nearCache.get(i);
    if (known === undefined) nearCache.set(i, (known = near(tokens[i]!)));
    return known;
  };
  let i = 0;
  while (i < tokens.length) {
    if (!word[i]) {
      i++;
      continue;
    }
    let j = i;
    let words = 1;
    let typos = 0;
    let holes = 0;
    while (j + 1 < tokens.length) {
      const next = j + 1;
      if (word[next]) {
        words++;
        j = next;
      } else if (typos < MAX_TYPOS && next + 1 < tokens.length && (word[next + 1] || isNear(next + 1)) && isNear(next)) {
        typos++;
        j = next;
      } else if (next + 1 < tokens.length && word[next + 1] && holes < Math.max(1, Math.round((words + typos + holes + 1) / 12))) {
        holes++;
        j = next;
      } else break;
    }
    let from = i;
    let to = j;
    // A mistyped first or last word belongs to the phrase too.
    if (from > 0 && isNear(from - 1)) from--;
    if (to + 1 < tokens.length && isNear(to + 1)) to++;
    const total = to - from + 1 - holes;
    if (words >= MIN_WORDS || (words >= MIN_WORDS - 1 && total >= MIN_WORDS)) out.push({ from, to, words: to - from + 1 });
    i = j + 1;
  }
  return out;
}

/**
 * The checksum-valid phrase in a run that covers nearly all of it ("my seed: <12 words> please
 * help" has list words around the phrase): its first word and length.
 */
function phraseWindow(words: readonly string[], lists: typeof chineseLists): { start: number; length: number } | undefined {
  for (const n of LONGEST_FIRST) {
    if (n > words.length || n < words.length - 3) continue;
    for (let start = 0; start + n <= words.length; start++) {
      if (lists.some((list) => validChecksum(words.slice(start, start + n), list))) return { start, length: n };
    }
  }
  return undefined;
}

/** List words next to a valid phrase that are kept visible ("wallet 1:", "my words:"), at most this many. */
const KEEP_AROUND = 2;

/**
 * Checksum-valid phrases anywhere in a run, left to right, longest first, not overlapping: a
 * phrase pasted twice, or followed by more list words, is a run the phrase covers only part of.
 */
function validWindows(words: readonly string[], lists: typeof chineseLists): { start: number; length: number }[] {
  const out: { start: number; length: number }[] = [];
  let start = 0;
  next: while (start + MIN_PHRASE <= words.length) {
    for (const n of LONGEST_FIRST) {
      if (start + n <= words.length && lists.some((list) => validChecksum(words.slice(start, start + n), list))) {
        out.push({ start, length: n });
        start += n;
        continue next;
      }
    }
    start++;
  }
  return out;
}

/**
 * The spans removed for a run: the valid phrase inside it when at most KEEP_AROUND words stand
 * outside it; else the whole run. A window valid by chance (1 in 16) inside a mistyped phrase
 * thus leaves at most two of its words visible, never the rest. A run too repetitive to be one
 * phrase with a slip (fewer than MIN_WORDS different words) still loses every valid phrase in it.
 */
function spansOf(run: readonly Token[], from: number, to: number, words: number, lists: typeof chineseLists, isWord: (t: Token) => boolean): PhraseMatch[] {
  const texts = run.slice(from, to + 1).map((t) => t.text);
  const window = phraseWindow(texts, lists);
  const at = (w: { start: number; length: number }): PhraseMatch => ({ start: run[from + w.start]!.start, end: run[from + w.start + w.length - 1]!.end, words: w.length });
  if (window && to - from + 1 - window.length <= KEEP_AROUND) return [at(window)];
  // Without a valid checksum it is a phrase with a slip — which still has 11 different list words
  // (prose and lists of common words repeat theirs: "also … the network fee … also …").
  if (!window && new Set(run.slice(from, to + 1).filter(isWord).map((t) => t.text)).size < MIN_WORDS) return validWindows(texts, lists).map(at);
  return [{ start: run[from]!.start, end: run[to]!.end, words: window?.length ?? words }];
}

/** Windows that overlap, grouped (sorted by start). */
function overlapping<W extends { from: number; to: number }>(windows: W[]): W[][] {
  const clusters: W[][] = [];
  let end = -1;
  for (const window of [...windows].sort((a, b) => a.from - b.from)) {
    if (window.from < end) clusters.at(-1)!.push(window);
    else clusters.push([window]);
    end = Math.max(end, window.to);
  }
  return clusters;
}

/** Consecutive tokens joined by separators only (no other text between them). */
function groups(text: string, tokens: readonly Token[], joins: (a: Token, b: Token, gap: string) => boolean): Token[][] {
  const out: Token[][] = [];
  let current: Token[] = [];
  for (const token of tokens) {
    const previous = current.at(-1);
    if (previous && joins(previous, token, text.slice(previous.end, token.start))) current.push(token);
    else {
      if (current.length > 0) out.push(current);
      current = [token];
    }
  }
  if (current.length > 0) out.push(current);
  return out;
}

/**
 * Whether the text has enough candidates for any phrase: MIN_WORDS - 1 runs of 3–9 ASCII letters
 * (list words have 3–8, a typo one more) or as many Han characters. One pass over the characters,
 * no allocation: most messages stop here, before the tokenizer and the wordlists are touched.
 */
function mayHoldPhrase(text: string): boolean {
  let words = 0;
  let han = 0;
  let run = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0;
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) {
      run++;
      continue;
    }
    if (run >= 3 && run <= 9) words++;
    run = 0;
    if (c >= 0x2e80) han++;
    if (words >= MIN_WORDS - 1 || han >= MIN_WORDS - 1) return true;
  }
  return false;
}

/**
 * BIP39 recovery phrases in free text: English words and Chinese characters from the wallets'
 * wordlists, separated by spaces, commas, newlines or numbering — also with one word mistyped or
 * missing (11 of 12 words have exposed the wallet all the same) — and Chinese written without
 * spaces when the run is a complete, checksum-valid phrase of random characters.
 */
export function findPhrases(text: string): PhraseMatch[] {
  if (!mayHoldPhrase(text)) return [];
  const tokens: Token[] = [];
  for (const m of text.matchAll(TOKEN)) tokens.push({ text: m[0].toLowerCase(), start: m.index, end: m.index + m[0].length, han: m[0].length === 1 && m[0] > '\u2e7f' });
  if (tokens.length < MIN_WORDS) return [];
  const found: PhraseMatch[] = [];

  // English: words joined by separators.
  for (const run of groups(text, tokens, (a, b, gap) => !a.han && !b.han && joinsWords(gap))) {
    if (run.length < MIN_WORDS) continue;
    const isWord = (t: Token): boolean => englishList.index.has(t.text);
    for (const { from, to, words } of runsOfWords(run, isWord, (t) => nearEnglish(t.text))) {
      found.push(...spansOf(run, from, to, words, [englishList], isWord));
    }
  }

  // Chinese characters each set apart by separators ("的 一 是 …", "1.的 2.一 …").
  for (const run of groups(text, tokens, (a, b, gap) => a.han && b.han && joinsWords(gap))) {
    if (run.length < MIN_WORDS) continue;
    const isWord = (t: Token): boolean => chineseCharacters.has(t.text);
    for (const { from, to, words } of runsOfWords(run, isWord, () => false)) {
      const chars = run.slice(from, to + 1).map((t) => t.text);
      if (wordCoverage(chars.join('')) >= SENTENCE_COVERAGE) continue;
      found.push(...spansOf(run, from, to, words, chineseLists, isWord));
    }
  }

  // Chinese without separators: complete phrases with a valid checksum, of random characters.
  // One window in 16 has a valid checksum by chance, so a real phrase comes with overlapping
  // windows; all of them go (a few words before the phrase may go with it — which window is the
  // phrase cannot be told apart reliably, and leaving part of a phrase visible is worse).
  for (const run of groups(text, tokens, (a, b, gap) => a.han && b.han && gap.length === 0)) {
    if (run.length < MIN_PHRASE) continue;
    const windows = unspacedWindows(run.map((t) => t.text));
    for (const cluster of overlapping(windows)) {
      // A long run of random characters makes clusters of thousands of windows: no spreading into Math.min.
      const from = cluster.reduce((min, w) => Math.min(min, w.from), Infinity);
      const to = cluster.reduce((max, w) => Math.max(max, w.to), 0);
      const words = cluster.reduce((min, w) => Math.min(min, w.to - w.from), Infinity);
      found.push({ start: run[from]!.start, end: run[to - 1]!.end, words });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}
