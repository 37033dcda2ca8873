/**
 * Measures the unspaced-Chinese recovery-phrase detector: how many natural Chinese paragraphs it
 * flags, how many generated phrases it finds (alone and inside messages), and how fast it is.
 * Deterministic (seeded). Not a test: `npx tsx test/unit/desk/safety/zh-measure.ts [phrases per
 * list and length, default 2000]`. The numbers are in the header of src/desk/safety/phrases.ts.
 */
import { performance } from 'node:perf_hooks';
import { entropyToMnemonic } from '@scure/bip39';
import { wordlist as simplified } from '@scure/bip39/wordlists/simplified-chinese.js';
import { wordlist as traditional } from '@scure/bip39/wordlists/traditional-chinese.js';
import { findPhrases } from '../../../../src/desk/safety/phrases.js';
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
