/**
 * Measures the unspaced-Chinese recovery-phrase detector: how many natural Chinese paragraphs it
 * flags, how many generated phrases it finds (alone and inside messages), and how fast it is.
 * Deterministic (seeded). Not a test: `npx tsx test/unit/desk/safety/zh-measure.ts [phrases per
 * list and length, default 2000]`. What it printed is written down at PROSE_SCORE in src/desk/safety/phrases.ts.
 */
import { performance } from 'node:perf_hooks';
import { entropyToMnemonic } from '@scure/bip39';
import { wordlist as simplified } from '@scure/bip39/wordlists/simplified-chinese.js';
import { wordlist as traditional } from '@scure/bip39/wordlists/traditional-chinese.js';
import { findPhrases, PROSE_SCORE, proseScorer } from '../../../../src/desk/safety/phrases.js';
import { type Corpus, ordinaryZh, phraseFrames, systemZh, zhProse } from './zh-corpus.js';

const perCell = Number(process.argv[2] ?? 2000);

/** xorshift32: reproducible entropy (for measuring, not for wallets). */
let state = 0x5a17_c0de;
const nextByte = (): number => {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) & 0xff;
};

console.log('## Natural Chinese: paragraphs with anything taken for a phrase\n');
const natural: Corpus[] = [...zhProse(), ordinaryZh()];
const heldOut = systemZh();
for (const [title, corpora] of [['in the repository', natural], ['held out (shipped with the OS image)', heldOut]] as const) {
  let flagged = 0;
  let total = 0;
  for (const corpus of corpora) {
    const hits = corpus.texts.flatMap((text) => {
      const found = findPhrases(text);
      return found.length > 0 ? [found.map((m) => text.slice(m.start, m.end)).join(' / ')] : [];
    });
    flagged += hits.length;
    total += corpus.texts.length;
    console.log(`${hits.length}/${corpus.texts.length}  ${corpus.name}${hits.length > 0 ? `\n    e.g. ${hits.slice(0, 4).join(' | ')}` : ''}`);
  }
  console.log(`total ${title}: ${flagged}/${total}\n`);
}

console.log(`## Generated phrases, unspaced: found whole (${perCell} per list and length, each in every frame)\n`);
const lengths = [12, 15, 18, 21, 24];
const missedBy = new Map<string, number>(phraseFrames.map((f) => [f.name, 0]));
const missedLength = new Map<string, number>();
let cases = 0;
let missed = 0;
let extra = 0;
for (const [listName, list] of [['simplified', simplified], ['traditional', traditional]] as const) {
  for (const words of lengths) {
    let cellMissed = 0;
    for (let i = 0; i < perCell; i++) {
      const phrase = entropyToMnemonic(Uint8Array.from({ length: (words * 4) / 3 }, nextByte), list).replaceAll(' ', '');
      for (const { name, frame } of phraseFrames) {
        const text = frame(phrase);
        const at = text.indexOf(phrase);
        const spans = findPhrases(text);
        cases++;
        const covered = (i: number): boolean => spans.some((s) => s.start <= i && i < s.end);
        if (![...phrase].every((_, k) => covered(at + k))) {
          missed++;
          cellMissed++;
          missedBy.set(name, missedBy.get(name)! + 1);
        }
        // Characters of the message taken with the phrase (a chance-valid window overlapping it).
        extra += spans.reduce((sum, s) => sum + Math.max(0, Math.min(s.end, at) - s.start) + Math.max(0, s.end - Math.max(s.start, at + phrase.length)), 0);
      }
    }
    missedLength.set(`${listName} ${words}`, cellMissed);
  }
}
console.log(`found ${cases - missed}/${cases} (${(((cases - missed) / cases) * 100).toFixed(3)} %)`);
console.log(`missed by list and length: ${[...missedLength].map(([k, v]) => `${k}: ${v}`).join(', ')}`);
console.log(`missed by frame: ${[...missedBy].map(([k, v]) => `${k}: ${v}`).join(', ')}`);
console.log(`message characters removed along with a phrase: ${(extra / cases).toFixed(2)} per message\n`);

console.log(`## Prose score (proseScorer) by phrase length: generated phrases in context (${perCell * 2 * phraseFrames.length} per length) vs every natural window\n`);
const inOneList = (chars: readonly string[]): boolean => [simplified, traditional].some((list) => chars.every((c) => list.includes(c)));
const listChars = [new Set(simplified), new Set(traditional)];
const allInList = (chars: readonly string[]): boolean => listChars.some((list) => chars.every((c) => list.has(c)));
const naturalScores = new Map<string, Map<number, number[]>>();
for (const [title, corpora] of [['repository', natural], ['held out', heldOut]] as const) {
  const byLength = new Map<number, number[]>(lengths.map((n) => [n, []]));
  for (const corpus of corpora) {
    for (const text of corpus.texts) {
      for (const run of text.match(/\p{Script=Han}{12,}/gu) ?? []) {
        const chars = [...run];
        const score = proseScorer(run);
        for (const n of lengths) for (let from = 0; from + n <= chars.length; from++) if (allInList(chars.slice(from, from + n))) byLength.get(n)!.push(score(from, from + n));
      }
    }
  }
  naturalScores.set(title, byLength);
}
const quantile = (sorted: Float64Array, q: number): string => (sorted.length === 0 ? '-' : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(3));
for (const n of lengths) {
  const scores: number[] = [];
  for (const list of [simplified, traditional]) {
    for (let i = 0; i < perCell; i++) {
      const phrase = entropyToMnemonic(Uint8Array.from({ length: (n * 4) / 3 }, nextByte), list).replaceAll(' ', '');
      if (!inOneList([...phrase])) throw new Error('a generated phrase outside its list');
      for (const { frame } of phraseFrames) {
        const text = frame(phrase);
        const at = text.indexOf(phrase);
        // The run of Chinese the phrase is in, as the detector sees it.
        const run = (text.match(/\p{Script=Han}+/gu) ?? []).find((r) => r.includes(phrase))!;
        scores.push(proseScorer(run)(run.indexOf(phrase), run.indexOf(phrase) + n));
        if (at < 0) throw new Error('frame lost the phrase');
      }
    }
  }
  const r = Float64Array.from(scores).sort();
  const parts = [`n=${n}  phrases p99 ${quantile(r, 0.99)} p99.9 ${quantile(r, 0.999)} p99.99 ${quantile(r, 0.9999)} max ${quantile(r, 1)}, ${r.filter((x) => x >= PROSE_SCORE).length} at or above ${PROSE_SCORE}`];
  for (const [title, byLength] of naturalScores) {
    const v = Float64Array.from(byLength.get(n)!).sort();
    parts.push(`${title} (${v.length} windows) min ${quantile(v, 0)} p0.01 ${quantile(v, 0.0001)} p0.1 ${quantile(v, 0.001)} p1 ${quantile(v, 0.01)}, ${v.filter((x) => x < PROSE_SCORE).length} below ${PROSE_SCORE}`);
  }
  console.log(parts.join('\n      '));
}
console.log('');

console.log('## Speed: findPhrases, ms per 1000 messages (best of 5)\n');
const kbArticle = zhProse()[0]!.texts.join('\n');
const workloads: [string, readonly string[]][] = [
  ['typical zh support messages (ordinary.jsonl)', ordinaryZh().texts],
  ['zh knowledge-base paragraphs', zhProse()[0]!.texts],
  [`a whole zh help center as one message (${kbArticle.length} characters)`, [kbArticle]],
  ['long unpunctuated zh messages with a phrase', phraseFrames.slice(-1).map((f) => f.frame(entropyToMnemonic(new Uint8Array(32).fill(3), simplified).replaceAll(' ', '')))],
];
for (const [name, texts] of workloads) {
  const rounds = Math.max(1, Math.ceil(2000 / texts.length));
  let best = Infinity;
  for (let run = 0; run < 5; run++) {
    const t0 = performance.now();
    for (let r = 0; r < rounds; r++) for (const text of texts) findPhrases(text);
    best = Math.min(best, performance.now() - t0);
  }
  console.log(`${((best / (rounds * texts.length)) * 1000).toFixed(1).padStart(8)} ms  ${name}`);
}

// The worst cases: one unbroken run of 100,000 characters (the longest message text), of random
// list characters (every window a candidate, each one hashed) and of natural Chinese.
let seed = 7;
const randomRun = Array.from({ length: 100_000 }, () => simplified[(seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 2048]!).join('');
const naturalRun = [...natural, ...heldOut]
  .flatMap((c) => c.texts)
  .join('')
  .replace(/\P{Script=Han}/gu, '')
  .slice(0, 100_000);
for (const [name, text] of [
  ['100,000 random list characters, no punctuation', randomRun],
  [`${naturalRun.length.toLocaleString('en')} natural characters, punctuation removed`, naturalRun],
] as const) {
  const t0 = performance.now();
  findPhrases(text);
  console.log(`${(performance.now() - t0).toFixed(1).padStart(8)} ms  one message: ${name}`);
}
