import MiniSearch, { type SearchResult } from 'minisearch';
import type { ChannelKind } from '../../domain/channel.js';
import { type Lang, languageOf } from '../language.js';
import { builtInRules } from '../safety/rules.js';
import { triageMatcher } from '../safety/triage.js';
import { asksForPerson } from '../person-request.js';
import { EN_ALIASES, EN_FORMS, EN_PHRASES, EN_RELATED, EN_STOP, ZH_RELATED, ZH_STOP_CHARS, ZH_STOP_WORDS } from './vocabulary.js';

/**
 * Knowledge-base search without an external service (issue 16): one MiniSearch index per
 * language over the articles' titles, tags and plain-text bodies, pure and in memory.
 *
 * Chinese has no spaces. `Intl.Segmenter('zh')` (ICU's dictionary) finds many words, but not the
 * domain's ("助记词" comes out as 助|记|词, "代币" as 代|币) and customers' paraphrases rarely use
 * the title's words, so each run of Han characters is indexed three ways: ICU's words, every
 * character pair (bigrams: what CJK search engines index, they find 助记/记词 whatever ICU did)
 * and the single characters (recall for loose paraphrases: 没到 vs 未到账), these in fields of
 * their own that weigh less. English words are lowercased, stop words dropped, and stemmed
 * lightly (below); typos are forgiven by MiniSearch's fuzzy and prefix search, for English only
 * (an edit distance means nothing on one Han character). Both go through the wallet-support
 * vocabulary (`vocabulary.ts`) of aliases ("tx", "U", "币安") on both sides.
 *
 * No stemmer is installed in the project and new dependencies need a reason: the English support
 * vocabulary needs only plural and -ing/-ed folding, so that small, deterministic part is written
 * here rather than pulling in a Porter/Snowball package.
 */

export interface SearchDoc {
  readonly id: string;
  readonly slug: string;
  readonly lang: Lang;
  readonly title: string;
  /** Markdown. */
  readonly body: string;
  /** The body as plain text (what is indexed). */
  readonly text: string;
  readonly tags: readonly string[];
  readonly audience: 'public' | 'internal';
  /** Empty = every channel. */
  readonly channels: readonly ChannelKind[];
}

export interface SearchHit {
  readonly doc: SearchDoc;
  readonly score: number;
  /** The first hit only: a safe automatic answer (see `CONFIDENCE`). */
  readonly confident: boolean;
}

export interface SearchOptions {
  /** The language to answer in: its translations first. */
  readonly lang?: Lang | undefined;
  readonly limit?: number | undefined;
  /** Which articles may be found at all (audience, channel visibility). */
  readonly filter?: ((doc: SearchDoc) => boolean) | undefined;
}

export interface KbIndex {
  search(query: string, options?: SearchOptions): SearchHit[];
  readonly size: number;
}

const UNKNOWN_WEIGHT = 0.5;

/** Longer queries are cut: a pasted log must not cost a second of CPU. */
export const MAX_QUERY_CHARS = 500;
const MAX_QUERY_TERMS = 60;

// ——— Tokens ———

const HAN = /\p{Script=Han}/u;
const LATIN_WORD = /^[\p{L}\p{N}][\p{L}\p{N}'’._-]*$/u;

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/** The light English stemmer: folds plurals and -ing/-ed/-ly, consistently for index and query. */
export function stem(word: string): string {
  let w = word;
  if (w.length <= 3 || /\d/.test(w)) return w;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (/(?:ss|sh|ch|x|z)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(?:ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith('ied') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('ing') && w.length > 5) w = w.slice(0, -3);
  else if (w.endsWith('ed') && w.length > 4) w = w.slice(0, -2);
  else if (w.endsWith('ly') && w.length > 5) w = w.slice(0, -2);
  // "stopped"/"stopping" → "stop"; "stake"/"staking" meet at "stak".
  if (/([b-df-hj-np-tv-z])\1$/.test(w) && !/(?:ll|ss|zz)$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith('e') && w.length > 3) w = w.slice(0, -1);
  return w;
}

const normalize = (text: string): string => {
  let out = text.normalize('NFKC').toLowerCase();
  for (const [pattern, replacement] of EN_PHRASES) out = out.replace(pattern, replacement);
  return out;
};

/** A word of a Latin-script language as indexed, with what it implies; empty for stop words and noise. */
function latinTerms(segment: string): string[] {
  const word = segment.replace(/^['’._-]+|['’._-]+$/g, '').replace(/’/g, "'");
  if (word.length === 0 || EN_STOP.has(word)) return [];
  const base = EN_FORMS.get(word) ?? word;
  const stemmed = stem(base.replace(/'s$/, ''));
  const term = EN_ALIASES.get(stemmed) ?? EN_ALIASES.get(base) ?? stemmed;
  if (term.length === 1 && !/\d/.test(term)) return [];
  return [term, ...(EN_RELATED.get(term) ?? EN_RELATED.get(stemmed) ?? [])];
}

/** One unit of a question's meaning and the terms whose match counts as finding it. */
export interface Unit {
  readonly unit: string;
  readonly covers: readonly string[];
}

export interface Tokens {
  /** Word-level terms: English words, Chinese words and character pairs, and what they imply. */
  readonly terms: string[];
  /** Single Han characters (indexed in their own, lighter fields). */
  readonly chars: string[];
  /** What a question's coverage is measured in: English words and single Han characters. */
  readonly units: Unit[];
}

const ZH_STOP_SPLIT = new RegExp(ZH_STOP_WORDS.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gu');

/** Splits text into the index's terms (see the module's comment). */
export function tokenize(raw: string, expand = true): Tokens {
  const text = normalize(raw);
  const terms: string[] = [];
  const chars: string[] = [];
  const units: Unit[] = [];
  const hanRun = (run: string): void => {
    // Stop words break the run: no pair spans "怎么" in "转账怎么还没到".
    for (const part of run.split(ZH_STOP_SPLIT)) {
      const glyphs = [...part];
      for (let i = 0; i < glyphs.length; i += 1) {
        const char = glyphs[i]!;
        const next = glyphs[i + 1];
        if (next && !(ZH_STOP_CHARS.has(char) && ZH_STOP_CHARS.has(next))) terms.push(char + next);
        if (ZH_STOP_CHARS.has(char)) continue;
        chars.push(char);
        const covers = [char];
        if (i > 0) covers.push(glyphs[i - 1]! + char);
        if (next) covers.push(char + next);
        units.push({ unit: char, covers });
      }
    }
  };
  let run = '';
  for (const { segment, isWordLike } of segmenter.segment(text)) {
    if (HAN.test(segment)) {
      // ICU's longer words, beside the pairs and characters of the run they are part of.
      if ([...segment].length > 2 && !ZH_STOP_WORDS.includes(segment)) terms.push(segment);
      run += segment;
      continue;
    }
    if (run) hanRun(run);
    run = '';
    if (!isWordLike || !LATIN_WORD.test(segment)) continue;
    const [term, ...related] = latinTerms(segment);
    if (!term) continue;
    terms.push(term, ...related);
    units.push({ unit: term, covers: [term, ...related] });
  }
  if (run) hanRun(run);
  if (expand && HAN.test(text)) {
    for (const [variant, meaning] of ZH_RELATED) {
      if (!text.includes(variant)) continue;
      const implied = tokenize(meaning, false).terms;
      terms.push(...implied);
      // Finding what the variant stands for finds the variant's characters.
      for (const unit of units) if (variant.includes(unit.unit)) (unit.covers as string[]).push(...implied);
    }
  }
  return { terms, chars, units };
}

// ——— Index ———

interface Entry {
  readonly key: string;
  readonly title: string;
  readonly tags: string;
  readonly text: string;
}

const isHanTerm = (term: string): boolean => HAN.test(term);

/**
 * The per-field weights: a customer's words in a title say more than in a paragraph, and a
 * single Han character (的 aside) says much less than a word or a pair of them.
 */
const BOOST = { title: 2, tags: 2, text: 1, titleChars: 0.6, textChars: 0.2 } as const;
const CHAR_FIELDS: ReadonlySet<string> = new Set(['titleChars', 'textChars']);
const SOURCE: Record<keyof typeof BOOST, keyof Omit<Entry, 'key'>> = { title: 'title', tags: 'tags', text: 'text', titleChars: 'title', textChars: 'text' };

class LangIndex {
  readonly search: MiniSearch<Entry>;
  readonly docs = new Map<string, SearchDoc>();
  /** In how many documents each coverage unit occurs (its IDF). */
  private readonly unitDf = new Map<string, number>();

  constructor(docs: readonly SearchDoc[]) {
    this.search = new MiniSearch<Entry>({
      idField: 'key',
      fields: Object.keys(BOOST),
      extractField: (entry, field) => (field === 'key' ? entry.key : entry[SOURCE[field as keyof typeof BOOST]]),
      tokenize: (text, field) => (field !== undefined && CHAR_FIELDS.has(field) ? tokenize(text).chars : tokenize(text).terms),
      // Terms are already normalized by `tokenize`.
      processTerm: (term) => term,
      searchOptions: {
        boost: BOOST,
        combineWith: 'OR',
        fuzzy: (term) => (isHanTerm(term) ? false : term.length >= 5 ? 0.2 : false),
        prefix: (term) => !isHanTerm(term) && term.length >= 4,
        weights: { fuzzy: 0.4, prefix: 0.5 },
      },
    });
    for (const doc of docs) {
      this.docs.set(doc.id, doc);
      for (const unit of new Set(tokenize(`${doc.title} ${doc.tags.join(' ')} ${doc.text}`).units.map((u) => u.unit))) this.unitDf.set(unit, (this.unitDf.get(unit) ?? 0) + 1);
    }
    this.search.addAll(docs.map((d) => ({ key: d.id, title: d.title, tags: d.tags.join(' '), text: d.text })));
  }

  /** IDF of a unit; a word no article has weighs the most (it is what the question is about). */
  idf(unit: string): number {
    const n = this.docs.size;
    const df = this.unitDf.get(unit) ?? 0;
    // A word no article has is often a detail or a typo ("USDT", "sent", "recieved"): it counts
    // half of the rarest word the articles have, not more (measured: more made right answers
    // unconfident, and never kept a wrong one below the threshold).
    if (df === 0) return UNKNOWN_WEIGHT * Math.log(1 + (n - 0.5) / 1.5);
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  find(terms: readonly string[], allowed: (doc: SearchDoc) => boolean): SearchResult[] {
    if (terms.length === 0 || this.docs.size === 0) return [];
    // The query is tokenized already: MiniSearch gets the terms joined and splits them again on spaces.
    return this.search.search(terms.join(' '), {
      tokenize: (q) => q.split(' '),
      processTerm: (term) => term,
      filter: (result) => {
        const doc = this.docs.get(result.id as string);
        return doc !== undefined && allowed(doc);
      },
    });
  }
}

// ——— Confidence ———

/**
 * Asking for a person is never answered with an article, whatever it matches (the handoff takes
 * it); a theft or scam report neither: the safety feature's urgent terms send it to a person.
 */
const urgent = triageMatcher(builtInRules, []);

export const needsPerson = (query: string): boolean => asksForPerson(query) || urgent.first(query) !== undefined;

/**
 * Thresholds of `confident`, measured on the fixtures (test/unit/kb-search.test.ts prints the
 * figures): the share of the question's meaning (IDF-weighted English words and Han characters,
 * numbers and times aside) that the top article matched, and how far its score leads the
 * second's. On the 60 fixture questions a wrong top hit never covered more than 0.65, whatever
 * its lead, and the negatives not vetoed below stayed at 0.4 or under; 0.7 keeps a margin, since
 * a wrong automatic answer costs more than a missed one (the customer then gets the list of
 * articles, or a person).
 */
export const CONFIDENCE = { coverage: 0.7, lead: 1.5, minUnits: 1 } as const;

export interface Confidence {
  /** IDF-weighted share of the query's units found in the top article. */
  readonly coverage: number;
  /** Top score over the second's (Infinity when alone). */
  readonly lead: number;
  readonly confident: boolean;
}

/** Numbers and times say when and how much, not what about: left out of the coverage. */
const DETAIL = /^(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twice|minut|hour|day|week|month|year|ago|today|yesterday|tomorrow|[一二三四五六七八九十两几半小时分钟天周月年昨今明]|时|分)$/u;

function confidenceOf(index: LangIndex, query: string, units: readonly Unit[], results: readonly SearchResult[]): Confidence {
  const top = results[0];
  if (!top || units.length < CONFIDENCE.minUnits) return { coverage: 0, lead: 0, confident: false };
  const matched = new Set(top.queryTerms);
  const byUnit = new Map<string, boolean>();
  for (const u of units) byUnit.set(u.unit, (byUnit.get(u.unit) ?? false) || u.covers.some((t) => matched.has(t)));
  const distinct = [...byUnit.keys()].filter((u) => !DETAIL.test(u));
  const total = distinct.reduce((sum, u) => sum + index.idf(u), 0);
  const found = distinct.filter((u) => byUnit.get(u)).reduce((sum, u) => sum + index.idf(u), 0);
  const coverage = total > 0 ? found / total : 0;
  const second = results[1];
  const lead = second ? top.score / second.score : Number.POSITIVE_INFINITY;
  const confident = !needsPerson(query) && coverage >= CONFIDENCE.coverage && lead >= CONFIDENCE.lead;
  return { coverage, lead, confident };
}

// ——— Search ———

/**
 * Builds the index of a set of articles' translations (one `SearchDoc` per article and
 * language). Rebuilding is cheap (a few milliseconds for hundreds of articles), so an edit
 * rebuilds it whole rather than patching it.
 */
export function buildIndex(docs: readonly SearchDoc[]): KbIndex & { explain(query: string, options?: SearchOptions): { hits: SearchHit[]; confidence: Confidence } } {
  const byLang: Record<Lang, LangIndex> = { en: new LangIndex(docs.filter((d) => d.lang === 'en')), zh: new LangIndex(docs.filter((d) => d.lang === 'zh')) };
  const translation = (id: string, lang: Lang): SearchDoc | undefined => byLang[lang].docs.get(id);

  const explain = (rawQuery: string, options: SearchOptions = {}): { hits: SearchHit[]; confidence: Confidence } => {
    const none = { hits: [], confidence: { coverage: 0, lead: 0, confident: false } };
    if (typeof rawQuery !== 'string') return none;
    const query = rawQuery.slice(0, MAX_QUERY_CHARS);
    const limit = Number.isFinite(options.limit) ? Math.max(1, Math.min(50, Math.floor(options.limit!))) : 5;
    const allowed = options.filter ?? (() => true);
    const tokens = tokenize(query);
    const units = tokens.units;
    const terms = [...new Set([...tokens.terms, ...tokens.chars])].slice(0, MAX_QUERY_TERMS);
    if (terms.length === 0) return none;
    // Ranked in the language the question is written in (its words are that index's words),
    // shown in the language asked for when the article has it.
    const asked: Lang = languageOf(query);
    const other: Lang = asked === 'en' ? 'zh' : 'en';
    const primary = byLang[asked].find(terms, allowed);
    const confidence = confidenceOf(byLang[asked], query, units, primary);
    const seen = new Set(primary.map((r) => r.id as string));
    // Articles without a translation in the question's language, ranked in their own.
    const secondary = byLang[other].find(terms, (d) => allowed(d) && !seen.has(d.id) && !byLang[asked].docs.has(d.id));
    const want = options.lang ?? asked;
    const present = (r: SearchResult, rankedIn: Lang): { doc: SearchDoc; score: number } => ({
      doc: translation(r.id as string, want) ?? translation(r.id as string, rankedIn)!,
      score: r.score,
    });
    const ranked = [...primary.map((r) => present(r, asked)), ...secondary.map((r) => present(r, other))];
    // The best `limit` articles, those with the asked language's translation first: an article
    // lacking it comes after them, in the other language (and so is never the confident answer).
    const best = ranked.slice(0, limit);
    const ordered = [...best.filter((h) => h.doc.lang === want), ...best.filter((h) => h.doc.lang !== want)];
    const topId = primary[0]?.id as string | undefined;
    const hits = ordered.map((h, i) => ({ ...h, confident: i === 0 && confidence.confident && h.doc.id === topId }));
    return { hits, confidence };
  };

  return {
    size: byLang.en.docs.size + byLang.zh.docs.size,
    search: (query, options) => explain(query, options).hits,
    explain,
  };
}
