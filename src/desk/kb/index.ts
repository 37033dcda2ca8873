import { z } from 'zod';
import { ApiError } from '../../api/errors.js';
import type { Implementation, PageReply } from '../../api/handler.js';
import { isUniqueViolation } from '../../store/database.js';
import {
  archiveArticle,
  articleVersions,
  createArticle,
  getArticle,
  getArticleBySlug,
  type KbArticleRecord,
  type KbInput,
  listArticles,
  restoreVersion,
  updateArticle,
} from '../../store/kb.js';
import { defineDeskFeature } from '../feature.js';
import type { Lang } from '../language.js';
import { createReplyGuard } from '../safety/guard.js';
import { findSecrets } from '../safety/redact.js';
import { safety } from '../safety/index.js';
import { builtInRules } from '../safety/rules.js';
import { kbRoutes } from './api.js';
import { searchDocs, visibleTo } from './library.js';
import { plainText, renderMarkdown } from './markdown.js';
import { chooseLang, HELP_CSP, helpPath, type ListedArticle, langOf, type PageBase, renderArticle, renderHome, renderNotFound, renderResults } from './page.js';
import { buildIndex } from './search.js';

/** Found pages may be cached briefly: an edit shows within a minute, and a spike of visitors costs little. */
const PAGE_CACHE = 'public, max-age=60';
const SNIPPET_CHARS = 160;
const RESULTS = 10;
/** Results scoring under this share of the best one are left off the help center's page. */
const RELEVANT_SHARE = 0.2;
const HAN = /\p{Script=Han}/u;

const articleJson = (a: KbArticleRecord) => ({
  id: a.id,
  slug: a.slug,
  tags: [...a.tags],
  audience: a.audience,
  channels: [...a.channels],
  status: a.status,
  version: a.version,
  translations: a.translations,
  createdAt: a.createdAt.toISOString(),
  updatedAt: a.updatedAt.toISOString(),
  updatedBy: a.updatedBy,
});

const snippet = (text: string): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > SNIPPET_CHARS ? `${flat.slice(0, SNIPPET_CHARS).trimEnd()}…` : flat;
};

/** The topic an article is listed under on a page: its first tag written in the page's script. */
const topicOf = (tags: readonly string[], lang: Lang): string | null => tags.find((t) => HAN.test(t) === (lang === 'zh')) ?? tags[0] ?? null;

/**
 * Knowledge base (issue 16): articles in Chinese and English, versioned, edited by admins;
 * searched by agents (`/api/kb/search`) and, through the desk's `library`, by the bot; shown to
 * customers on the public help center (`/help`).
 */
export const kb = defineDeskFeature({
  name: 'kb',
  settings: z.object({}),
  contract: kbRoutes,
  create(context) {
    const db = () => context.inbox().db;
    const library = context.library;
    const base: PageBase = { prefix: new URL(context.publicUrl).pathname.replace(/\/+$/, '') };

    /**
     * The reply guard of wallet safety, applied to what an article would send: an article the
     * bot answers with, or an agent inserts into a reply, must pass it (the reply would be refused
     * anyway, and a public page asking for a recovery phrase is what phishing looks like).
     */
    const guard = () => {
      const s = context.settingsOf(safety).safety;
      return s.enabled ? createReplyGuard(builtInRules, s.allowedPhrasings) : undefined;
    };
    const checkSafe = (input: KbInput): void => {
      const check = guard();
      if (!check) return;
      for (const lang of ['en', 'zh'] as const) {
        const t = input.translations[lang];
        if (!t) continue;
        const text = `${t.title}\n${plainText(t.body)}`;
        const reason = check.check(text, { private: input.audience === 'internal' });
        if (reason === 'asks-for-secret') throw new ApiError(422, 'unsafe_content', `translations.${lang}: the article asks customers for a recovery phrase, private key or password`);
        if (reason === 'contains-secret') {
          // Where, by its first characters only: the passage may be a real secret, not to be echoed.
          const at = findSecrets(text)[0];
          const start = at ? `, at “${[...text.slice(at.start, at.end)].slice(0, 3).join('')}…”` : '';
          throw new ApiError(422, 'unsafe_content', `translations.${lang}: a passage reads like a recovery phrase or private key${start}; rephrase it`);
        }
      }
    };
    const written = async <T>(write: () => Promise<T>): Promise<T> => {
      try {
        return await write();
      } catch (error) {
        if (isUniqueViolation(error)) throw new ApiError(409, 'conflict', 'slug: another article has this slug');
        throw error;
      } finally {
        library.invalidate();
      }
    };
    const inputOf = (body: KbInput): KbInput => {
      const input: KbInput = { slug: body.slug, tags: body.tags, audience: body.audience, channels: body.channels, status: body.status, translations: body.translations };
      checkSafe(input);
      return input;
    };

    const page = (body: string, cacheControl: string): PageReply => ({ body, cacheControl, contentSecurityPolicy: HELP_CSP });
    const notFound = (lang: Lang, setStatus: (status: number) => void): PageReply => {
      setStatus(404);
      return page(renderNotFound(base, lang), 'no-store');
    };
    /** `zh-CN` and the like go to the page's one address. */
    const canonical = (asked: string, setStatus: (s: number) => void, setHeader: (n: string, v: string) => void, path: (lang: Lang) => string): Lang | PageReply => {
      if (asked === 'en' || asked === 'zh') return asked;
      const lang = langOf(asked);
      if (!lang) return notFound('en', setStatus);
      setStatus(301);
      setHeader('Location', path(lang));
      return page('', PAGE_CACHE);
    };
    const customerArticles = async (): Promise<KbArticleRecord[]> => {
      const visible = visibleTo('customer', 'webchat');
      return (await listArticles(db(), ['published'])).filter((a) => searchDocs([a]).some(visible));
    };
    const listed = (a: KbArticleRecord, lang: Lang): ListedArticle | undefined => {
      const shown = a.translations[lang] ? lang : a.translations[lang === 'zh' ? 'en' : 'zh'] ? (lang === 'zh' ? 'en' : 'zh') : undefined;
      const t = shown ? a.translations[shown] : undefined;
      return shown && t ? { slug: a.slug, lang: shown, title: t.title } : undefined;
    };

    const api: Implementation<typeof kbRoutes> = {
      contract: kbRoutes,
      json: { limit: '512kb', beforeAuth: false },
      handlers: {
        async listKbArticles({ query }) {
          const items = await listArticles(db(), query.status ? [query.status] : undefined);
          const q = query.q?.trim();
          if (!q) return { items: items.map(articleJson) };
          const byId = new Map(items.map((a) => [a.id, a]));
          const ranked = buildIndex(searchDocs(items)).search(q, { limit: 50 });
          const ids = [...new Set(ranked.map((h) => h.doc.id))];
          return { items: ids.map((id) => articleJson(byId.get(id)!)) };
        },
        async createKbArticle({ body, agent }) {
          const input = inputOf(body);
          return articleJson(await written(() => createArticle(db(), input, agent.name)));
        },
        async getKbArticle({ params }) {
          const article = await getArticle(db(), params.id);
          if (!article) throw new ApiError(404, 'not_found', 'article not found');
          return articleJson(article);
        },
        async updateKbArticle({ params, body, agent }) {
          const input = inputOf(body);
          const saved = await written(() => updateArticle(db(), params.id, body.version, input, agent.name));
          if (saved === 'not_found') throw new ApiError(404, 'not_found', 'article not found');
          if (saved === 'conflict') {
            const now = await getArticle(db(), params.id);
            throw new ApiError(409, 'conflict', `version: the article was saved meanwhile (now version ${now?.version ?? '?'}, by ${now?.updatedBy ?? 'someone'}); reload it and edit again`);
          }
          return articleJson(saved);
        },
        async listKbArticleVersions({ params }) {
          const versions = await articleVersions(db(), params.id);
          if (!versions) throw new ApiError(404, 'not_found', 'article not found');
          return {
            items: versions.map((v) => ({
              version: v.version,
              status: v.status,
              tags: [...v.tags],
              audience: v.audience,
              channels: [...v.channels],
              translations: v.translations,
              editedAt: v.editedAt.toISOString(),
              editedBy: v.editedBy,
            })),
          };
        },
        async restoreKbArticleVersion({ params, agent }) {
          const restored = await written(() => restoreVersion(db(), params.id, params.version, agent.name));
          if (restored === 'not_found') throw new ApiError(404, 'not_found', 'article not found');
          if (restored === 'no_version') throw new ApiError(404, 'not_found', `version: the article has no version ${params.version}`);
          return articleJson(restored);
        },
        async archiveKbArticle({ params, agent }) {
          const archived = await written(() => archiveArticle(db(), params.id, agent.name));
          if (archived === 'not_found') throw new ApiError(404, 'not_found', 'article not found');
        },
        async searchKb({ query }) {
          const hits = await library.search(query.q, { ...(query.lang ? { lang: query.lang } : {}), ...(query.channel ? { channelKind: query.channel } : {}), audience: 'agent', limit: query.limit });
          return { items: hits };
        },

        helpCenterRoot({ query, headers, setStatus, setHeader }) {
          const lang = chooseLang(query.lang, headers['Accept-Language']);
          setStatus(302);
          setHeader('Location', helpPath(base, lang));
          setHeader('Vary', 'Accept-Language');
          return page('', 'private, no-cache');
        },
        async helpCenterHome({ params, query, setStatus, setHeader }) {
          const q = query.q?.trim().slice(0, 500) ?? '';
          const lang = canonical(params.lang, setStatus, setHeader, (l) => `${helpPath(base, l)}${q ? `?q=${encodeURIComponent(q)}` : ''}`);
          if (typeof lang !== 'string') return lang;
          if (q) {
            const found = await library.search(q, { lang, channelKind: 'webchat', audience: 'customer', limit: RESULTS });
            // A page of results, not of every article sharing one character with the question.
            const hits = found.filter((h) => h.score >= RELEVANT_SHARE * (found[0]?.score ?? 0));
            return page(
              renderResults(
                base,
                lang,
                q,
                hits.map((h) => ({ slug: h.slug, lang: h.lang, title: h.title, snippet: snippet(h.text) })),
              ),
              PAGE_CACHE,
            );
          }
          const groups = new Map<string | null, ListedArticle[]>();
          for (const article of await customerArticles()) {
            const item = listed(article, lang);
            if (!item) continue;
            const topic = topicOf(article.tags, lang);
            groups.set(topic, [...(groups.get(topic) ?? []), item]);
          }
          const collator = new Intl.Collator(lang === 'zh' ? 'zh-CN' : 'en');
          const ordered = [...groups.entries()]
            // Topics with the most articles first, the untagged last.
            .sort(([a, x], [b, y]) => (a === null ? 1 : b === null ? -1 : y.length - x.length || collator.compare(a, b)))
            .map(([topic, articles]) => ({ topic, articles: [...articles].sort((x, y) => collator.compare(x.title, y.title)) }));
          return page(renderHome(base, lang, ordered), PAGE_CACHE);
        },
        async helpCenterArticle({ params, setStatus, setHeader }) {
          const lang = canonical(params.lang, setStatus, setHeader, (l) => helpPath(base, l, params.slug));
          if (typeof lang !== 'string') return lang;
          const article = await getArticleBySlug(db(), params.slug);
          if (!article || article.status !== 'published' || !searchDocs([article]).some(visibleTo('customer', 'webchat'))) return notFound(lang, setStatus);
          const item = listed(article, lang);
          const t = item ? article.translations[item.lang] : undefined;
          if (!item || !t) return notFound(lang, setStatus);
          return page(renderArticle(base, lang, { slug: article.slug, lang: item.lang, title: t.title, html: renderMarkdown(t.body), tags: article.tags, updatedAt: article.updatedAt }), PAGE_CACHE);
        },
      },
    };

    return { api: { contract: kbRoutes, mount: (mounter) => mounter(api) } };
  },
});
