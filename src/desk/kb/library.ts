import type { Logger } from 'pino';
import type { ChannelKind } from '../../domain/channel.js';
import type { Db } from '../../store/database.js';
import { articlesStamp, type KbArticleRecord, listArticles } from '../../store/kb.js';
import type { Lang } from '../language.js';
import { plainText } from './markdown.js';
import { buildIndex, type SearchDoc } from './search.js';

/** One article found, in one language (issue 16's library contract). */
export interface ArticleHit {
  id: string;
  slug: string;
  lang: Lang;
  title: string;
  /** Markdown. */
  body: string;
  /** Plain text of the body. */
  text: string;
  /** Absolute public help URL, `${publicUrl}/help/<lang>/<slug>`. */
  url: string;
  /** `internal`: agents only; the URL is not public (the help center shows public articles only). */
  audience: 'public' | 'internal';
  score: number;
  /** The top hit is a safe automatic answer (measured threshold; never for a request for a person or a theft report). */
  confident: boolean;
}

export interface LibrarySearchOptions {
  lang?: Lang;
  channelKind?: ChannelKind;
  /** `customer` (default): published public articles visible on `channelKind`; `agent`: internal ones too. */
  audience?: 'customer' | 'agent';
  limit?: number;
}

/** The knowledge base's in-process search, shared by the help center, the agents' search and the bot. */
export interface Library {
  search(query: string, options?: LibrarySearchOptions): Promise<ArticleHit[]>;
  /** After an edit in this process; other processes pick edits up within seconds. */
  invalidate(): void;
}

export interface LibraryDeps {
  /** Resolved at each load: the gateway's database is wired after the desk is built. */
  readonly db: () => Db;
  readonly publicUrl: string;
  readonly logger: Logger;
  /** How long a loaded index is trusted before its fingerprint is asked again. */
  readonly checkEveryMs?: number;
}

/** The search documents of articles (one per translation), as the index and the help center see them. */
export function searchDocs(articles: readonly KbArticleRecord[]): SearchDoc[] {
  return articles.flatMap((a) =>
    (['en', 'zh'] as const).flatMap((lang) => {
      const t = a.translations[lang];
      if (!t) return [];
      return [
        {
          id: a.id,
          slug: a.slug,
          lang,
          title: t.title,
          body: t.body,
          text: plainText(t.body),
          tags: [...a.tags],
          audience: a.audience,
          channels: [...a.channels],
        },
      ];
    }),
  );
}

/** Whether a document may be shown to this audience on this kind of channel. */
export const visibleTo =
  (audience: 'customer' | 'agent', channelKind: ChannelKind | undefined) =>
  (doc: SearchDoc): boolean => {
    if (doc.audience === 'internal') return audience === 'agent';
    return channelKind === undefined || doc.channels.length === 0 || doc.channels.includes(channelKind);
  };

export const helpUrl = (publicUrl: string, lang: Lang, slug: string): string => `${publicUrl.replace(/\/+$/, '')}/help/${lang}/${encodeURIComponent(slug)}`;

/**
 * The published articles, indexed in memory. The index is rebuilt when the knowledge base
 * changed: a process that made the edit knows at once (`invalidate`); the others compare a
 * fingerprint of the articles table (one aggregate query) at most every few seconds, when a
 * search comes — an idle process asks nothing.
 */
export function createLibrary(deps: LibraryDeps): Library {
  const checkEveryMs = deps.checkEveryMs ?? 5_000;
  type Index = ReturnType<typeof buildIndex>;
  /** Bumped by `invalidate`: an index built from an older generation is not trusted. */
  let generation = 0;
  let state: { index: Index; stamp: string; checkedAt: number; generation: number } | undefined;
  let loading: { generation: number; promise: Promise<Index> } | undefined;

  const load = async (wanted: number): Promise<Index> => {
    const db = deps.db();
    const now = Date.now();
    const stamp = await articlesStamp(db);
    if (state && state.generation === wanted && state.stamp === stamp) {
      state.checkedAt = now;
      return state.index;
    }
    const articles = await listArticles(db, ['published']);
    const index = buildIndex(searchDocs(articles));
    state = { index, stamp, checkedAt: now, generation: wanted };
    deps.logger.debug({ articles: articles.length }, 'knowledge base index built');
    return index;
  };

  const current = async (): Promise<Index> => {
    if (state && state.generation === generation && Date.now() - state.checkedAt < checkEveryMs) return state.index;
    // One load at a time, however many searches wait; a load begun before an invalidation is
    // not the answer to a search after it, so that one waits for a fresh load.
    if (loading && loading.generation === generation) return loading.promise;
    const wanted = generation;
    const before = loading?.promise.catch(() => undefined) ?? Promise.resolve();
    const promise = before.then(() => load(wanted));
    const entry = { generation: wanted, promise };
    loading = entry;
    void promise.catch(() => undefined).finally(() => {
      if (loading === entry) loading = undefined;
    });
    return promise;
  };

  return {
    async search(query, options = {}) {
      const index = await current();
      const hits = index.search(query, {
        lang: options.lang,
        limit: options.limit,
        filter: visibleTo(options.audience ?? 'customer', options.channelKind),
      });
      return hits.map(({ doc, score, confident }) => ({
        id: doc.id,
        slug: doc.slug,
        lang: doc.lang,
        title: doc.title,
        body: doc.body,
        text: doc.text,
        url: helpUrl(deps.publicUrl, doc.lang, doc.slug),
        audience: doc.audience,
        score,
        confident,
      }));
    },
    invalidate() {
      generation += 1;
    },
  };
}
