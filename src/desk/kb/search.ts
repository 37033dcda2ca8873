import MiniSearch, { type SearchResult } from 'minisearch';
import type { ChannelKind } from '../../domain/channel.js';
import { type Lang, languageOf } from '../language.js';
import { builtInRules } from '../safety/rules.js';
import { triageMatcher } from '../safety/triage.js';

/**
 * Knowledge-base search without an external service (issue 16): one MiniSearch index per
 * language over the articles' titles, tags and plain-text bodies, pure and in memory.
 *
 * Chinese has no spaces. `Intl.Segmenter('zh')` (ICU's dictionary) finds many words, but not the
 * domain's ("助记词" comes out as 助|记|词, "代币" as 代|币) and customers' paraphrases rarely use
 * the title's words, so each run of Han characters is indexed three ways: ICU's words, every
 * character pair (bigrams: what CJK search engines index, they find 助记/记词 whatever ICU did)
 * and the single characters (recall for loose paraphrases: 没到 vs 未到账). BM25's IDF keeps the
 * common characters cheap. English words are lowercased, stop words dropped, and stemmed lightly
 * (below); typos are forgiven by MiniSearch's fuzzy and prefix search, for English only (an edit
 * distance means nothing on one Han character).
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
  /** The first hit only: a safe automatic answer (see `decideConfidence`). */
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

/** Longer queries are cut: a pasted log must not cost a second of CPU. */
export const MAX_QUERY_CHARS = 500;
const MAX_QUERY_TERMS = 60;

// ——— Tokens ———

const HAN = /\p{Script=Han}/u;
const LATIN_WORD = /^[\p{L}\p{N}][\p{L}\p{N}'’._-]*$/u;

const EN_STOP = new Set(
  (
    'a an the and or but if then so of to in on at by for with from into onto about as is are was were be been being am do does did doing done ' +
    'have has had having i me my mine we us our you your yours he him his she her it its they them their this that these those there here ' +
    'what which who whom whose when where why how can could would should will shall may might must not no yes just very too also still yet ' +
    'any some all each every more most much many such own same other than up down out over again once only both few nor off get got ' +
    'hi hello hey hiya thanks thank thx please pls plz ok okay dear sir madam guys team support anyone ' +
    "i'm im i've ive i'd id it's its don't dont doesn't doesnt didn't didnt can't cant won't wont isn't isnt wasn't wasnt haven't havent what's whats"
  ).split(' '),
);

/** Han characters and words that say nothing about the topic (particles, pronouns, politeness). */
const ZH_STOP_CHARS = new Set([...'的了吗呢吧啊呀哦嗯么我你您他她它们是在和与及就都也还这那个有要想请问一下些哪谁吧嘛啦哈喂']);
const ZH_STOP_WORDS = new Set(['怎么', '怎样', '什么', '为什么', '如何', '请问', '你好', '您好', '谢谢', '麻烦', '一下', '一直', '我们', '你们', '他们', '可以', '能不能', '是不是', '有没有', '为啥', '咋办', '怎么办', '现在', '已经', '然后', '但是', '因为', '所以', '这个', '那个', '哪个', '一个', '客服']);

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

const normalize = (text: string): string => text.normalize('NFKC').toLowerCase();

/** A word of a Latin-script language as indexed: undefined for stop words and noise. */
function latinTerm(segment: string): string | undefined {
  const word = segment.replace(/^['’._-]+|['’._-]+$/g, '').replace(/’/g, "'");
  if (word.length === 0 || EN_STOP.has(word)) return undefined;
  if (word.length === 1 && !/\d/.test(word)) return undefined;
  return stem(word.replace(/'s$/, ''));
}

export interface Tokens {
  /** Every term indexed or searched. */
  readonly terms: string[];
  /** The units a query's coverage is measured in: English words and single Han characters. */
  readonly units: string[];
}

/** Splits text into the index's terms (see the module's comment). */
export function tokenize(raw: string): Tokens {
  const text = normalize(raw);
  const terms: string[] = [];
  const units: string[] = [];
  let run: string[] = [];
  const flush = (): void => {
    const chars = run.join('');
    run = [];
    const glyphs = [...chars];
    for (let i = 0; i < glyphs.length; i += 1) {
      const char = glyphs[i]!;
      if (!ZH_STOP_CHARS.has(char)) {
        terms.push(char);
        units.push(char);
      }
      const next = glyphs[i + 1];
      if (next && !(ZH_STOP_CHARS.has(char) && ZH_STOP_CHARS.has(next)) && !ZH_STOP_WORDS.has(char + next)) terms.push(char + next);
    }
  };
  for (const { segment, isWordLike } of segmenter.segment(text)) {
    if (HAN.test(segment)) {
      // ICU's longer words, beside the pairs and characters of the run they are part of.
      if ([...segment].length > 2 && !ZH_STOP_WORDS.has(segment)) terms.push(segment);
      run.push(segment);
      continue;
    }
    if (run.length > 0) flush();
    if (!isWordLike) continue;
    // A segment mixing scripts the segmenter kept together ("usdt提币" rarely, but "2fa" often).
    if (!LATIN_WORD.test(segment)) continue;
    const term = latinTerm(segment);
    if (term) {
      terms.push(term);
      units.push(term);
    }
  }
  if (run.length > 0) flush();
  return { terms, units };
}

// ——— Index ———

interface Entry {
  readonly key: string;
  readonly title: string;
  readonly tags: string;
  readonly text: string;
}

const isHanTerm = (term: string): boolean => HAN.test(term);

/** The per-field weights: a customer's words in a title say more than in a paragraph. */
const BOOST = { title: 3, tags: 2, text: 1 } as const;

class LangIndex {
  readonly search: MiniSearch<Entry>;
  readonly docs = new Map<string, SearchDoc>();
  /** In how many documents each coverage unit occurs (its IDF). */
  private readonly unitDf = new Map<string, number>();

  constructor(docs: readonly SearchDoc[]) {
    this.search = new MiniSearch<Entry>({
      idField: 'key',
      fields: ['title', 'tags', 'text'],
      tokenize: (text) => tokenize(text).terms,
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
      for (const unit of new Set(tokenize(`${doc.title} ${doc.tags.join(' ')} ${doc.text}`).units)) this.unitDf.set(unit, (this.unitDf.get(unit) ?? 0) + 1);
    }
    this.search.addAll(docs.map((d) => ({ key: d.id, title: d.title, tags: d.tags.join(' '), text: d.text })));
  }

  /** IDF of a unit; a word no article has weighs the most (it is what the question is about). */
  idf(unit: string): number {
    const n = this.docs.size;
    const df = this.unitDf.get(unit) ?? 0;
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
const PERSON_REQUEST =
  /\b(?:human|humans|real person|a person|live (?:agent|person|chat|support)|talk to (?:someone|somebody|an? agent|support)|speak (?:to|with) (?:someone|somebody|an? agent)|operator|representative)\b|人工|真人|转人工|接人工|活人/u;
const urgent = triageMatcher(builtInRules, []);

export const needsPerson = (query: string): boolean => PERSON_REQUEST.test(normalize(query)) || urgent.first(query) !== undefined;

/**
 * Thresholds of `confident`, measured on the fixtures (test/unit/kb-search.test.ts prints the
 * figures): the share of the question's meaning (IDF-weighted words / Han characters) that the
 * top article matched, and how far it leads the second.
 */
export const CONFIDENCE = { coverage: 0.6, lead: 1.15, minUnits: 1 } as const;

export interface Confidence {
  /** IDF-weighted share of the query's units found in the top article. */
  readonly coverage: number;
  /** Top score over the second's (Infinity when alone). */
  readonly lead: number;
  readonly confident: boolean;
}

function confidenceOf(index: LangIndex, query: string, units: readonly string[], results: readonly SearchResult[]): Confidence {
  const top = results[0];
  if (!top || units.length < CONFIDENCE.minUnits) return { coverage: 0, lead: 0, confident: false };
  const matched = new Set<string>();
  for (const term of top.queryTerms) {
    if (isHanTerm(term)) for (const char of term) matched.add(char);
    else matched.add(term);
  }
  const distinct = [...new Set(units)];
  const total = distinct.reduce((sum, u) => sum + index.idf(u), 0);
  const found = distinct.filter((u) => matched.has(u)).reduce((sum, u) => sum + index.idf(u), 0);
  const coverage = total > 0 ? found / total : 0;
  const second = results[1];
  const lead = second ? top.score / second.score : Number.POSITIVE_INFINITY;
  const confident = !needsPerson(query) && coverage >= CONFIDENCE.coverage && lead >= CONFIDENCE.lead;
  return { coverage, lead, confident };
}

// ——— Search ———

export interface Explained extends SearchHit {
  readonly confidence: Confidence;
}

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
    const limit = Math.max(1, Math.min(50, Math.floor(options.limit ?? 5)));
    const allowed = options.filter ?? (() => true);
    const { terms: allTerms, units } = tokenize(query);
    const terms = [...new Set(allTerms)].slice(0, MAX_QUERY_TERMS);
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
    // The asked language's translations first; an article lacking it comes after, in the other.
    const ordered = [...ranked.filter((h) => h.doc.lang === want), ...ranked.filter((h) => h.doc.lang !== want)].slice(0, limit);
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
