import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { plainText, renderMarkdown } from '../../src/desk/kb/markdown.js';
import { buildIndex, CONFIDENCE, MAX_QUERY_CHARS, type SearchDoc, stem, tokenize } from '../../src/desk/kb/search.js';
import { fixtureDocs, fixtureQuestions } from './kb-fixtures.js';

const index = buildIndex(fixtureDocs());
const heldOut = z
  .object({ heldOut: z.object({ en: z.array(z.object({ q: z.string(), slug: z.string() })), zh: z.array(z.object({ q: z.string(), slug: z.string() })) }) })
  .parse(parse(readFileSync(new URL('../fixtures/kb/questions.yaml', import.meta.url), 'utf8'))).heldOut;

const rank = (q: string, slug: string, lang: 'en' | 'zh'): number => index.search(q, { lang, limit: 10 }).findIndex((h) => h.doc.slug === slug);
const pct = (n: number, of: number): string => `${((100 * n) / of).toFixed(0)} % (${n}/${of})`;

describe('knowledge-base search on the help center fixtures (21 articles in zh and en)', () => {
  for (const lang of ['en', 'zh'] as const) {
    it(`finds the right article in the top 3 for at least 90 % of the ${lang} paraphrased questions`, () => {
      const questions = fixtureQuestions[lang];
      const ranks = questions.map(({ q, slug }) => rank(q, slug, lang));
      const top1 = ranks.filter((r) => r === 0).length;
      const top3 = ranks.filter((r) => r >= 0 && r < 3).length;
      const confident = questions.filter(({ q }) => index.search(q, { lang })[0]?.confident).length;
      const held = heldOut[lang].map(({ q, slug }) => rank(q, slug, lang));
      console.log(
        `[kb-search] ${lang}: top-1 ${pct(top1, questions.length)}, top-3 ${pct(top3, questions.length)}, confident ${pct(confident, questions.length)}; ` +
          `held-out top-1 ${pct(held.filter((r) => r === 0).length, held.length)}, top-3 ${pct(held.filter((r) => r >= 0 && r < 3).length, held.length)}`,
      );
      const misses = questions.filter((_, i) => ranks[i]! < 0 || ranks[i]! >= 3).map(({ q, slug }) => `${q} → want ${slug}`);
      expect(top3 / questions.length, misses.join('\n')).toBeGreaterThanOrEqual(0.9);
    });
  }

  it('never calls a greeting, a request for a person, a theft report or an off-topic question confident', () => {
    for (const q of fixtureQuestions.negative) {
      for (const lang of [undefined, 'en', 'zh'] as const) {
        const [top] = index.search(q, { lang });
        expect(top?.confident ?? false, `${q} (${lang ?? 'any'}) → ${top?.doc.slug}`).toBe(false);
      }
    }
  });

  it('is confident only when its top hit is the right article (fixtures and held-out questions)', () => {
    const all = [...fixtureQuestions.en, ...fixtureQuestions.zh, ...heldOut.en, ...heldOut.zh];
    const confident = all.filter(({ q }) => index.search(q)[0]?.confident);
    expect(confident.length).toBeGreaterThan(0);
    for (const { q, slug } of confident) expect(index.search(q)[0]!.doc.slug, q).toBe(slug);
    console.log(`[kb-search] confident answers: ${confident.length}/${all.length}, all right (coverage ≥ ${CONFIDENCE.coverage}, lead ≥ ${CONFIDENCE.lead})`);
  });

  it('answers in the language asked for, whatever the question is written in', () => {
    const zhHits = index.search('my transfer has not arrived', { lang: 'zh' });
    expect(zhHits[0]).toMatchObject({ doc: { slug: 'transfer-not-arrived', lang: 'zh' } });
    const enHits = index.search('转账还没到账', { lang: 'en' });
    expect(enHits[0]).toMatchObject({ doc: { slug: 'transfer-not-arrived', lang: 'en' } });
  });

  it('finds an article that lacks the asked language, after those that have it, in the language it has', () => {
    const only: SearchDoc = { id: 'x1', slug: 'cold-storage', lang: 'en', title: 'Hardware wallets and cold storage', body: 'Use a hardware wallet.', text: 'Use a hardware wallet.', tags: [], audience: 'public', channels: [] };
    const both = fixtureDocs();
    const small = buildIndex([...both, only]);
    const hits = small.search('hardware wallet cold storage', { lang: 'zh' });
    const at = hits.findIndex((h) => h.doc.slug === 'cold-storage');
    expect(at).toBeGreaterThanOrEqual(0);
    expect(hits[at]!.doc.lang).toBe('en');
    expect(hits.slice(0, at).every((h) => h.doc.lang === 'zh')).toBe(true);
  });

  it('leaves out what the filter does not allow', () => {
    const hits = index.search('recovery phrase backup', { filter: (d) => d.slug !== 'back-up-recovery-phrase' });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.map((h) => h.doc.slug)).not.toContain('back-up-recovery-phrase');
  });
});

describe('the tokenizer', () => {
  it('indexes Chinese as ICU words, character pairs and characters, without stop characters', () => {
    const { terms, chars } = tokenize('助记词怎么备份');
    expect(terms).toEqual(expect.arrayContaining(['助记', '记词', '备份']));
    // "怎么" splits the run: no pair spans it.
    expect(terms).not.toContain('词怎');
    expect(chars).toEqual(expect.arrayContaining(['助', '记', '词', '备', '份']));
    expect(tokenize('我的了吗').chars).toEqual([]);
  });

  it('folds English forms, aliases and typos to one term', () => {
    expect(stem('staking')).toBe(stem('stake'));
    expect(stem('approvals')).toBe(stem('approval'));
    expect(tokenize('my tx').terms).toEqual(['transaction']);
    expect(tokenize('ERC-20 or erc20').terms.filter((t) => t === 'erc20')).toHaveLength(2);
    expect(tokenize('i recieved it').terms).toEqual(tokenize('received').terms);
    expect(tokenize('hello, thanks, please').terms).toEqual([]);
  });

  it('adds what a Chinese variant stands for', () => {
    expect(tokenize('从币安提币').terms).toContain('交易所');
    expect(tokenize('电报上有人私聊').terms).toContain('telegram');
  });
});

describe('search properties', () => {
  const unicode = fc.string({ unit: 'binary', maxLength: 300 });
  const surrogates = fc.string({ unit: fc.integer({ min: 0xd7f0, max: 0xe010 }).map((c) => String.fromCharCode(c)), maxLength: 50 });

  it('never throws on arbitrary Unicode (lone surrogates included), and keeps its limit', () => {
    fc.assert(
      fc.property(fc.oneof(unicode, surrogates), fc.constantFrom(undefined, 'en' as const, 'zh' as const), fc.integer({ min: -5, max: 80 }), (q, lang, limit) => {
        const hits = index.search(q, { lang, limit });
        expect(hits.length).toBeLessThanOrEqual(Math.max(1, Math.min(50, limit)));
        expect(hits.slice(1).every((h) => !h.confident)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('finds nothing for an empty or blank query, and answers a huge one', () => {
    expect(index.search('')).toEqual([]);
    expect(index.search('   \n\t ')).toEqual([]);
    const huge = `${'转账没到账 transfer pending '.repeat(20_000)}`;
    expect(huge.length).toBeGreaterThan(100 * MAX_QUERY_CHARS);
    expect(index.search(huge)[0]?.doc.slug).toBe('transfer-not-arrived');
    expect(index.search('x'.repeat(200_000))).toBeInstanceOf(Array);
  });

  it('an empty index finds nothing', () => {
    expect(buildIndex([]).search('transfer')).toEqual([]);
  });
});

describe('article Markdown', () => {
  it('renders any text to HTML without script, event handlers or javascript: links', () => {
    const hostile = fc.constantFrom('<script>alert(1)</script>', '[x](javascript:alert(1))', '<img src=x onerror=alert(1)>', '<a href="JaVaScRiPt:x">y</a>', '<iframe src="https://e.x">', '<svg onload=alert(1)>');
    fc.assert(
      fc.property(fc.array(fc.oneof(hostile, fc.string({ maxLength: 40 })), { maxLength: 8 }), (parts) => {
        const html = renderMarkdown(parts.join('\n'));
        expect(html).not.toMatch(/<script|<iframe|<svg|<[^>]*\son\w+=|(?:href|src)="?\s*javascript:/i);
        expect(() => plainText(parts.join('\n'))).not.toThrow();
      }),
      { numRuns: 200 },
    );
  });

  it('plain text keeps the words and writes links as "text (url)", dropping unsafe ones', () => {
    const text = plainText('# Title\n\nSee the [explorer](https://etherscan.io) or [this](javascript:alert(1)).\n\n1. **One**\n2. Two');
    expect(text).toBe('Title\n\nSee the explorer (https://etherscan.io) or this.\n\n1. One\n2. Two');
  });
});
