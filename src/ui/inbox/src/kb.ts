import { ApiError } from './api.js';
import type { Lang, Translate } from './i18n.js';
import type { Article, ArticleBody, ArticleHit, ArticleStatus, ChannelKind, Message } from './types.js';
import { errorText } from './util.js';

/**
 * The knowledge base's rules on the inbox side, as pure functions (the KB API, src/desk/kb/api.ts,
 * is the contract): what the article form sends, where an API refusal belongs, how an edit made
 * meanwhile by someone else is taken in, and what "insert an article" puts in a reply.
 */

export const kbLangs = ['en', 'zh'] as const satisfies readonly Lang[];
export type KbLang = (typeof kbLangs)[number];

export interface TranslationForm {
  title: string;
  body: string;
}

/** The form as the admin edits it: tags as typed (comma-separated), both languages always present. */
export interface ArticleForm {
  slug: string;
  tags: string;
  audience: Article['audience'];
  channels: ChannelKind[];
  status: ArticleStatus;
  translations: Record<KbLang, TranslationForm>;
}

export type KbField = 'slug' | 'tags' | 'audience' | 'channels' | 'status' | 'translations' | `${KbLang}.title` | `${KbLang}.body`;

export const emptyArticleForm = (): ArticleForm => ({
  slug: '',
  tags: '',
  audience: 'public',
  channels: [],
  status: 'draft',
  translations: { en: { title: '', body: '' }, zh: { title: '', body: '' } },
});

/** The fields of an article (or one of its versions) as the form shows them. */
export function formOfArticle(article: Pick<Article, 'slug' | 'tags' | 'audience' | 'channels' | 'status' | 'translations'>): ArticleForm {
  return {
    slug: article.slug,
    tags: article.tags.join(', '),
    audience: article.audience,
    channels: [...article.channels],
    status: article.status,
    translations: {
      en: { title: article.translations.en?.title ?? '', body: article.translations.en?.body ?? '' },
      zh: { title: article.translations.zh?.title ?? '', body: article.translations.zh?.body ?? '' },
    },
  };
}

/** "fees, 提现,  Fees" → ["fees", "提现"]: commas of either script, blanks and repeats (in any case, as the API counts them) dropped. */
export function parseTags(text: string): string[] {
  const seen = new Set<string>();
  return text
    .split(/[,，、]/u)
    .map((tag) => tag.trim())
    .filter((tag) => tag && !seen.has(tag.toLowerCase()) && seen.add(tag.toLowerCase()));
}

/** A slug the help center's URLs take (`/help/<lang>/<slug>`): the API's SLUG_PATTERN (src/desk/kb/api.ts), which the bundle cannot import. */
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,79}$/;

export type FormProblem = { field: KbField; key: 'kb.slugRequired' | 'kb.slugInvalid' | 'kb.translationRequired' | 'kb.titleRequired' | 'kb.bodyRequired' };

/**
 * The body to send, or the first problem the API would refuse it for (checked here so it is said
 * at the field). A language whose title and body are both empty is left out; half of one is a
 * problem, not a silent drop.
 */
export function articleBody(form: ArticleForm): { body: ArticleBody } | { problem: FormProblem } {
  const slug = form.slug.trim();
  if (!slug) return { problem: { field: 'slug', key: 'kb.slugRequired' } };
  if (!SLUG_PATTERN.test(slug)) return { problem: { field: 'slug', key: 'kb.slugInvalid' } };
  const translations: ArticleBody['translations'] = {};
  for (const lang of kbLangs) {
    const title = form.translations[lang].title.trim();
    const body = form.translations[lang].body.trim();
    if (!title && !body) continue;
    if (!title) return { problem: { field: `${lang}.title`, key: 'kb.titleRequired' } };
    if (!body) return { problem: { field: `${lang}.body`, key: 'kb.bodyRequired' } };
    translations[lang] = { title, body: form.translations[lang].body.replace(/\s+$/u, '') };
  }
  if (!translations.en && !translations.zh) return { problem: { field: 'translations', key: 'kb.translationRequired' } };
  return {
    body: {
      slug,
      tags: parseTags(form.tags),
      audience: form.audience,
      // Channel visibility only narrows what customers see; internal articles reach agents anywhere.
      channels: form.audience === 'public' ? [...new Set(form.channels)] : [],
      status: form.status,
      translations,
    },
  };
}

const fieldOfPath = (path: string): KbField | null => {
  const [head, second, third] = path.split('.');
  if (head === 'slug' || head === 'tags' || head === 'audience' || head === 'channels' || head === 'status') return head;
  if (head === 'translations') {
    if ((second === 'en' || second === 'zh') && (third === 'title' || third === 'body')) return `${second}.${third}`;
    if (second === 'en' || second === 'zh') return `${second}.title`;
    return 'translations';
  }
  return null;
};

export type KbRefusal =
  /** Someone saved the article since this form was loaded. */
  | { kind: 'stale' }
  | { kind: 'field'; field: KbField; text: string }
  | { kind: 'form'; text: string };

/**
 * What a refused save means. The API names the field first (`translations.zh.title: …`,
 * src/http/errors.ts; src/desk/kb/index.ts): both 409s are `conflict`, `slug: …` a taken slug and
 * `version: …` an edit saved meanwhile; a 422 `unsafe_content` names the translation wallet
 * safety refused.
 */
export function kbErrorOf(error: unknown, t: Translate): KbRefusal {
  if (!(error instanceof ApiError)) return { kind: 'form', text: errorText(error, t) };
  const match = /^([\w.]+): (.+)$/su.exec(error.message);
  const path = match?.[1] ?? '';
  if (error.status === 409) return path === 'slug' ? { kind: 'field', field: 'slug', text: t('kb.slugTaken') } : { kind: 'stale' };
  if (error.status === 422 && error.code === 'unsafe_content') {
    const lang = /^translations\.(en|zh)$/u.exec(path)?.[1] as KbLang | undefined;
    const text = t(/contains/u.test(error.message) ? 'kb.unsafeSecret' : 'kb.unsafeAsks');
    return lang ? { kind: 'field', field: `${lang}.body`, text } : { kind: 'form', text };
  }
  const field = error.status === 400 && match ? fieldOfPath(path) : null;
  if (field && match) return { kind: 'field', field, text: match[2]! };
  return { kind: 'form', text: errorText(error, t) };
}

type Leaf = { key: KbField; get: (form: ArticleForm) => string; set: (form: ArticleForm, value: string) => ArticleForm };

const leaves: Leaf[] = [
  { key: 'slug', get: (f) => f.slug, set: (f, slug) => ({ ...f, slug }) },
  { key: 'tags', get: (f) => f.tags, set: (f, tags) => ({ ...f, tags }) },
  { key: 'audience', get: (f) => f.audience, set: (f, audience) => ({ ...f, audience: audience as ArticleForm['audience'] }) },
  { key: 'channels', get: (f) => JSON.stringify([...f.channels].sort()), set: (f, value) => ({ ...f, channels: JSON.parse(value) as ChannelKind[] }) },
  { key: 'status', get: (f) => f.status, set: (f, status) => ({ ...f, status: status as ArticleStatus }) },
  ...kbLangs.flatMap((lang): Leaf[] =>
    (['title', 'body'] as const).map((part) => ({
      key: `${lang}.${part}` as const,
      get: (f: ArticleForm) => f.translations[lang][part],
      set: (f: ArticleForm, value: string) => ({ ...f, translations: { ...f.translations, [lang]: { ...f.translations[lang], [part]: value } } }),
    })),
  ),
];

/**
 * Takes in an edit saved by someone else while this form was open, without losing the agent's
 * text: a field the agent changed keeps the agent's value, any other takes the newer one.
 * `conflicts` are the fields both changed (differently), for the agent to look at before saving.
 */
export function rebaseForm(base: ArticleForm, mine: ArticleForm, theirs: ArticleForm): { form: ArticleForm; conflicts: KbField[] } {
  let form = theirs;
  const conflicts: KbField[] = [];
  for (const leaf of leaves) {
    const was = leaf.get(base);
    const mineValue = leaf.get(mine);
    if (mineValue === was) continue;
    const theirsValue = leaf.get(theirs);
    if (theirsValue !== was && theirsValue !== mineValue) conflicts.push(leaf.key);
    form = leaf.set(form, mineValue);
  }
  return { form, conflicts };
}

export const sameForm = (a: ArticleForm, b: ArticleForm): boolean => leaves.every((leaf) => leaf.get(a) === leaf.get(b));

/** The languages an article has, in display order. */
export const languagesOf = (article: Pick<Article, 'translations'>): KbLang[] => kbLangs.filter((lang) => article.translations[lang] !== undefined);

/** An article's title in `lang`, else in its other language. */
export function titleOf(article: Pick<Article, 'translations' | 'slug'>, lang: Lang): string {
  return article.translations[lang]?.title ?? article.translations[lang === 'zh' ? 'en' : 'zh']?.title ?? article.slug;
}

/**
 * The customer's language, from what they wrote, newest first: Chinese when their latest text
 * holds Han characters (the server's rule, src/desk/language.ts, which the bundle cannot import).
 * Null when the customer wrote nothing readable yet.
 */
export function customerLang(messages: readonly Pick<Message, 'direction' | 'private' | 'text' | 'author' | 'createdAt'>[], subject?: string | null): Lang | null {
  const theirs = messages
    .filter((m) => m.direction === 'inbound' && m.author.type === 'contact' && m.text.trim().length > 0)
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0))
    .slice(0, 3)
    .map((m) => m.text);
  const text = theirs.length > 0 ? theirs.join(' ') : (subject ?? '');
  if (!text.trim()) return null;
  return /\p{Script=Han}/u.test(text) ? 'zh' : 'en';
}

/** An opening paragraph shorter than this (a heading, "Steps:") takes the next one along. */
const LEAD_CHARS = 20;

/**
 * A short plain-text excerpt: the article's opening paragraph (what it answers, not its list of
 * steps), ending at a sentence or a whole word within `max` characters.
 */
export function excerpt(text: string, max = 160): string {
  let lead = '';
  for (const paragraph of text.split(/\n\s*\n/u)) {
    const flat = paragraph.replace(/\s+/gu, ' ').trim();
    if (!flat) continue;
    lead = lead ? `${lead} ${flat}` : flat;
    if ([...lead].length >= LEAD_CHARS) break;
  }
  const chars = [...lead];
  if (chars.length <= max) return lead;
  const cut = chars.slice(0, max).join('');
  // Prefer ending at a sentence, then at a space, in the last third; else cut where it is.
  const sentence = Math.max(...['。', '！', '？', '. ', '! ', '? '].map((mark) => cut.lastIndexOf(mark)));
  if (sentence >= cut.length * 0.66) return cut.slice(0, sentence + 1).trim();
  const space = cut.lastIndexOf(' ');
  const head = space >= cut.length * 0.66 ? cut.slice(0, space) : cut;
  return `${head.replace(/[\s,，、;；:：]+$/u, '')}…`;
}

/**
 * What "insert article" puts in the reply: the title, a short excerpt and the public link, each on
 * a line. An internal article has no public page (the help center shows public ones only): no link.
 */
export const snippetOf = (hit: Pick<ArticleHit, 'title' | 'text' | 'url' | 'audience'>): string =>
  [hit.title, excerpt(hit.text), hit.audience === 'public' ? hit.url : ''].filter(Boolean).join('\n');

/**
 * `snippet` put in `value` in place of the selection `start`–`end`, on lines of its own (a
 * blank line from text before and after), and where the caret lands after it.
 */
export function insertSnippet(value: string, start: number, end: number, snippet: string): { value: string; caret: number } {
  const from = Math.max(0, Math.min(start, value.length));
  const to = Math.max(from, Math.min(end, value.length));
  const before = value.slice(0, from);
  const after = value.slice(to);
  const lead = before.length === 0 ? '' : before.endsWith('\n\n') ? '' : before.endsWith('\n') ? '\n' : '\n\n';
  const trail = after.length === 0 ? '' : after.startsWith('\n\n') ? '' : after.startsWith('\n') ? '\n' : '\n\n';
  const head = `${before}${lead}${snippet}`;
  return { value: `${head}${trail}${after}`, caret: head.length };
}
