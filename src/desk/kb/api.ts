import { z } from 'zod';
import { defineContract } from '../../api/route.js';
import { request, response } from '../../api/schemas.js';
import { ChannelKind } from '../../domain/channel.js';

/** Knowledge base routes (issue 16): articles for admins and agents, search, the public help center. */

export const KB_LANGS = ['en', 'zh'] as const;
export const KbLang = z.enum(KB_LANGS);
export const KbStatus = z.enum(['draft', 'published', 'archived']);
export const KbAudience = z.enum(['public', 'internal']);

export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,79}$/;
const Slug = z.string().regex(SLUG_PATTERN, 'lowercase letters, digits and "-", starting with a letter or digit, at most 80 characters');

export const KbTranslation = z
  .object({
    title: z.string().trim().min(1).max(200),
    body: z
      .string()
      .max(50_000)
      .refine((body) => body.trim().length > 0, 'must not be empty')
      .describe('Markdown (CommonMark + GFM tables); raw HTML is sanitized when shown.'),
  })
  .strict();

const Translations = z
  .object({ en: KbTranslation.optional(), zh: KbTranslation.optional() })
  .strict()
  .refine((t) => t.en !== undefined || t.zh !== undefined, 'at least one of en, zh');

const articleFields = {
  slug: Slug.describe('The public address: `/help/<lang>/<slug>`. Unique.'),
  tags: z
    .array(z.string().trim().min(1).max(40))
    .max(20)
    .default([])
    .refine((tags) => new Set(tags.map((t) => t.toLowerCase())).size === tags.length, 'a tag is listed twice')
    .describe('Topics: the help center groups articles by their first tag; search matches them.'),
  audience: KbAudience.default('public').describe('`internal`: agents only (never on the help center, never sent by the bot).'),
  channels: z
    .array(ChannelKind)
    .max(6)
    .default([])
    .refine((c) => new Set(c).size === c.length, 'a channel kind is listed twice')
    .describe('Channel kinds a public article is offered on; empty = all. The help center counts as `webchat`.'),
  status: KbStatus.default('draft').describe('Only `published` articles are searched and shown publicly.'),
  translations: Translations,
};

export const KbArticleBody = request('KbArticleInput', z.object(articleFields).strict());
export const KbArticleUpdate = request(
  'KbArticleUpdate',
  z.object({ ...articleFields, version: z.number().int().min(1).describe('The version the edit started from; a newer one exists → 409 conflict.') }).strict(),
);

const TranslationOut = z.object({ title: z.string(), body: z.string() });
const TranslationsOut = z.object({ en: TranslationOut.optional(), zh: TranslationOut.optional() });

export const KbArticle = response(
  'KbArticle',
  z.object({
    id: z.string(),
    slug: z.string(),
    tags: z.array(z.string()),
    audience: KbAudience,
    channels: z.array(ChannelKind),
    status: KbStatus,
    version: z.number().int().describe('The current version; send it back with an edit.'),
    translations: TranslationsOut,
    createdAt: z.string(),
    updatedAt: z.string(),
    updatedBy: z.string().nullable().describe("The name of the agent who saved the current version."),
  }),
);
export const KbArticleList = response('KbArticleList', z.object({ items: z.array(KbArticle) }));

export const KbVersion = response(
  'KbArticleVersion',
  z.object({
    version: z.number().int(),
    status: KbStatus,
    tags: z.array(z.string()),
    audience: KbAudience,
    channels: z.array(ChannelKind),
    translations: TranslationsOut,
    editedAt: z.string(),
    editedBy: z.string().nullable(),
  }),
);
export const KbVersionList = response('KbArticleVersionList', z.object({ items: z.array(KbVersion) }));

export const KbHit = response(
  'KbArticleHit',
  z.object({
    id: z.string(),
    slug: z.string(),
    lang: KbLang,
    title: z.string(),
    body: z.string().describe('Markdown.'),
    text: z.string().describe('The body as plain text (links as "text (url)").'),
    url: z.string().describe('The public help center address of this translation.'),
    audience: KbAudience.describe('`internal` (found by agents only): its `url` is not public, so the inbox inserts it without the link.'),
    score: z.number(),
    confident: z.boolean().describe('The top hit is a safe automatic answer (a measured threshold; never for a request for a person or a theft report).'),
  }),
);
export const KbHitList = response('KbArticleHitList', z.object({ items: z.array(KbHit) }));

const id = z.object({ id: z.string().max(64) });
const QueryText = z.string().max(500);

export const kbRoutes = defineContract({
  listKbArticles: {
    method: 'get',
    path: '/api/kb/articles',
    tags: ['kb'],
    summary: 'Knowledge base articles',
    description: 'Additive (issue 16). Newest edit first; `q` ranks and narrows them by search (every status unless `status` says).',
    auth: 'agent',
    query: z.object({ status: KbStatus.optional(), q: QueryText.optional() }),
    response: { kind: 'json', status: 200, schema: KbArticleList, description: 'The articles at their current version.' },
    errors: [400, 401],
  },
  createKbArticle: {
    method: 'post',
    path: '/api/kb/articles',
    tags: ['kb'],
    summary: 'Create an article (admin)',
    description: 'Additive (issue 16). Version 1. 409 when the slug is taken.',
    auth: 'admin',
    body: KbArticleBody,
    response: { kind: 'json', status: 201, schema: KbArticle, description: 'The article.' },
    errors: [400, 401, 403, 409, 413, 422],
  },
  getKbArticle: {
    method: 'get',
    path: '/api/kb/articles/:id',
    tags: ['kb'],
    summary: 'One article',
    description: 'Additive (issue 16).',
    auth: 'agent',
    params: id,
    response: { kind: 'json', status: 200, schema: KbArticle, description: 'The article at its current version.' },
    errors: [401, 404],
  },
  updateKbArticle: {
    method: 'put',
    path: '/api/kb/articles/:id',
    tags: ['kb'],
    summary: 'Save a new version of an article (admin)',
    description: 'Additive (issue 16). The whole article, with the `version` it was edited from: a newer version saved meanwhile → 409 `conflict` (reload, then edit). Every save is a new version; none is ever changed.',
    auth: 'admin',
    params: id,
    body: KbArticleUpdate,
    response: { kind: 'json', status: 200, schema: KbArticle, description: 'The article at its new version.' },
    errors: [400, 401, 403, 404, 409, 413, 422],
  },
  listKbArticleVersions: {
    method: 'get',
    path: '/api/kb/articles/:id/versions',
    tags: ['kb'],
    summary: "An article's history",
    description: 'Additive (issue 16). Newest first, each with its whole content.',
    auth: 'agent',
    params: id,
    response: { kind: 'json', status: 200, schema: KbVersionList, description: 'Every version.' },
    errors: [401, 404],
  },
  restoreKbArticleVersion: {
    method: 'post',
    path: '/api/kb/articles/:id/versions/:version/restore',
    tags: ['kb'],
    summary: 'Restore an old version (admin)',
    description: "Additive (issue 16). A new version with that version's content (history is kept).",
    auth: 'admin',
    params: z.object({ id: z.string().max(64), version: z.coerce.number().int().min(1) }),
    response: { kind: 'json', status: 200, schema: KbArticle, description: 'The article at its new version.' },
    errors: [400, 401, 403, 404],
  },
  archiveKbArticle: {
    method: 'delete',
    path: '/api/kb/articles/:id',
    tags: ['kb'],
    summary: 'Archive an article (admin)',
    description: 'Additive (issue 16). A new version with status `archived`: no longer searched nor on the help center; its history stays and it can be restored.',
    auth: 'admin',
    params: id,
    response: { kind: 'empty', description: 'Archived.' },
    errors: [401, 403, 404],
  },
  searchKb: {
    method: 'get',
    path: '/api/kb/search',
    tags: ['kb'],
    summary: 'Search published articles',
    description:
      'Additive (issue 16). Chinese and English; agents also find internal articles. `lang`: the language to answer in (its translations first). `channel`: a channel kind; public articles not offered there are left out.',
    auth: 'agent',
    query: z.object({
      q: QueryText,
      lang: KbLang.optional(),
      channel: ChannelKind.optional(),
      limit: z.coerce.number().int().min(1).max(50).default(5),
    }),
    response: { kind: 'json', status: 200, schema: KbHitList, description: 'The best hits first.' },
    errors: [400, 401],
  },
  helpCenterRoot: {
    method: 'get',
    path: '/help',
    tags: ['kb'],
    summary: 'The help center: to the visitor’s language',
    description: 'Additive (issue 16). 302 to `/help/zh` or `/help/en` by `Accept-Language`; `?lang=` wins.',
    auth: 'none',
    query: z.object({ lang: z.string().max(20).optional() }),
    headers: z.object({ 'Accept-Language': z.string().max(1000).optional() }),
    response: { kind: 'page', contentType: 'text/html', description: 'A redirect.' },
    errors: [],
  },
  helpCenterHome: {
    method: 'get',
    path: '/help/:lang',
    tags: ['kb'],
    summary: 'The help center in one language',
    description: 'Additive (issue 16). Published public articles grouped by topic, and a search form (`?q=`) with its results. Server-rendered, no script.',
    auth: 'none',
    params: z.object({ lang: z.string().max(20) }),
    query: z.object({ q: z.string().max(2000).optional() }),
    response: { kind: 'page', contentType: 'text/html', description: 'The page (404 page for an unknown language).' },
    errors: [],
  },
  helpCenterArticle: {
    method: 'get',
    path: '/help/:lang/:slug',
    tags: ['kb'],
    summary: 'One help center article',
    description: 'Additive (issue 16). In the other language, with a note, when the article lacks this one; a 404 page otherwise.',
    auth: 'none',
    params: z.object({ lang: z.string().max(20), slug: z.string().max(200) }),
    response: { kind: 'page', contentType: 'text/html', description: 'The article page.' },
    errors: [],
  },
});
