import { parseTemplate, TEMPLATE_VARIABLES, type TemplateProblem, type TemplateVariable } from '../../../desk/canned/template.js';
import { api, ApiError } from './api.js';
import type { MessageKey, Params, Translate } from './i18n.js';
import type { Canned, CannedBody } from './types.js';
import { errorText } from './util.js';

/**
 * The canned replies' rules on the inbox's side, as pure functions (src/desk/canned is the
 * server): which `/query` the composer's caret is in, what the picker lists for it, what the
 * management form sends, and where an API refusal belongs. Templates are checked with the
 * server's own parser, so a problem shows at the field before anything is sent.
 */

export { TEMPLATE_VARIABLES, type TemplateVariable };

/** The server's rule (`SHORTCUT` in src/desk/canned/api.ts; a unit test keeps them equal). */
export const SHORTCUT_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** Typed in a Chinese input method's full-width mode, the slash is "／". */
const SLASH = /(?:^|\s)[/／]([^\s/／]*)$/u;

/** The `/query` at the caret (at the start of the text or after whitespace): where it starts and ends, and what was typed after the slash. */
export function slashQuery(text: string, caret: number): { start: number; end: number; query: string } | null {
  if (caret < 0 || caret > text.length) return null;
  const match = SLASH.exec(text.slice(0, caret));
  if (!match) return null;
  const query = match[1]!;
  // Longer than any shortcut: a path or a thought, not a search.
  if (query.length > 40) return null;
  const rest = /^[^\s]*/u.exec(text.slice(caret))![0];
  return { start: caret - query.length - 1, end: caret + rest.length, query };
}

/**
 * What the picker offers for a query, best first: the shortcut itself, shortcuts starting with
 * it, titles with a word starting with it, then anything containing it. Personal before shared
 * at the same rank, so a personal `/ref` comes before the shared `/ref` it shadows.
 */
export function pickerMatches(items: readonly Canned[], query: string, limit = 8): Canned[] {
  const q = query.trim().toLowerCase();
  const rank = (item: Canned): number => {
    if (!q) return 1;
    const shortcut = item.shortcut;
    const title = item.title.toLowerCase();
    if (shortcut === q) return 0;
    if (shortcut.startsWith(q)) return 1;
    if (title.startsWith(q) || title.split(/[\s\-_/·，,]+/u).some((word) => word.startsWith(q))) return 2;
    if (shortcut.includes(q) || title.includes(q)) return 3;
    return -1;
  };
  return items
    .map((item) => ({ item, rank: rank(item) }))
    .filter((entry) => entry.rank >= 0)
    .sort((a, b) => a.rank - b.rank || Number(a.item.scope === 'shared') - Number(b.item.scope === 'shared') || a.item.shortcut.localeCompare(b.item.shortcut))
    .slice(0, limit)
    .map((entry) => entry.item);
}

/** The picker's list: fetched when it first opens, kept a minute, dropped when the page edits one. */
const CACHE_MS = 60_000;
let cache: { at: number; items: Promise<Canned[]> } | null = null;

export function cannedReplies(): Promise<Canned[]> {
  if (!cache || Date.now() - cache.at > CACHE_MS) {
    const items = api.listCanned().then((list) => list.items);
    cache = { at: Date.now(), items };
    // A failure is not remembered: the next opening asks again.
    items.catch(() => {
      if (cache?.items === items) cache = null;
    });
  }
  return cache.items;
}

export function forgetCannedReplies(): void {
  cache = null;
}

// ——— The management form ———

export type CannedField = 'shortcut' | 'title' | 'scope' | 'en' | 'zh';
const fields: readonly CannedField[] = ['shortcut', 'title', 'scope', 'en', 'zh'];

export interface CannedForm {
  shortcut: string;
  title: string;
  scope: 'personal' | 'shared';
  en: string;
  zh: string;
}

export const emptyCannedForm = (): CannedForm => ({ shortcut: '', title: '', scope: 'personal', en: '', zh: '' });

export const formOfCanned = (item: Canned): CannedForm => ({ shortcut: item.shortcut, title: item.title, scope: item.scope, en: item.variants.en ?? '', zh: item.variants.zh ?? '' });

/** A problem to show at a field: a message key and its parameters. */
export interface FieldProblem {
  key: MessageKey;
  params?: Params;
}

/** What is wrong with a shortcut as typed (a leading "/" is forgiven: agents think of "/ref"). */
export function shortcutProblem(shortcut: string): FieldProblem | null {
  const value = shortcut.trim().replace(/^\//u, '');
  if (!value) return { key: 'canned.error.shortcutRequired' };
  if (!SHORTCUT_PATTERN.test(value)) return { key: 'canned.error.shortcutInvalid' };
  return null;
}

const near = (text: string, at: number): string => text.slice(at, at + 24);

function templateProblemOf(text: string, problem: TemplateProblem): FieldProblem {
  switch (problem.kind) {
    case 'unknown-variable':
      return { key: 'canned.error.unknownVariable', params: { variable: `{{${problem.variable}}}`, known: TEMPLATE_VARIABLES.map((v) => `{{${v}}}`).join(' ') } };
    case 'unclosed':
      return { key: 'canned.error.unclosed', params: { near: near(text, problem.at) } };
    case 'unopened':
      return { key: 'canned.error.unopened', params: { near: near(text, problem.at) } };
  }
}

/** What is wrong with a variant's template, by the server's own parser; null when it saves. */
export function templateProblem(text: string): FieldProblem | null {
  if (!text.trim()) return null;
  const parsed = parseTemplate(text);
  return parsed.ok ? null : templateProblemOf(text, parsed.problem);
}

/** The body to send, or the problems the API would refuse it for, each at its field. */
export function cannedBody(form: CannedForm): { body: CannedBody } | { problems: Partial<Record<CannedField, FieldProblem>> } {
  const problems: Partial<Record<CannedField, FieldProblem>> = {};
  const shortcut = shortcutProblem(form.shortcut);
  if (shortcut) problems.shortcut = shortcut;
  if (!form.title.trim()) problems.title = { key: 'canned.error.titleRequired' };
  const en = form.en.trim();
  const zh = form.zh.trim();
  if (!en && !zh) problems.en = { key: 'canned.error.variantRequired' };
  const enProblem = templateProblem(en);
  if (enProblem) problems.en = enProblem;
  const zhProblem = templateProblem(zh);
  if (zhProblem) problems.zh = zhProblem;
  if (Object.keys(problems).length > 0) return { problems };
  return {
    body: {
      shortcut: form.shortcut.trim().replace(/^\//u, ''),
      title: form.title.trim(),
      scope: form.scope,
      variants: { ...(en ? { en } : {}), ...(zh ? { zh } : {}) },
    },
  };
}

/**
 * Where an API refusal belongs: the API names the field first (`variants.zh: unknown variable …`,
 * `shortcut: /ref exists already …`); 409 is a taken shortcut, 422 an unsafe variant.
 */
export function cannedErrorOf(error: unknown, t: Translate): { field: CannedField | null; text: string } {
  if (!(error instanceof ApiError)) return { field: null, text: errorText(error, t) };
  const match = /^([A-Za-z]+)(?:\.(en|zh))?: (.+)$/su.exec(error.message);
  const named = match ? (match[1] === 'variants' ? (match[2] ?? 'en') : match[1]!) : null;
  const field = named && (fields as readonly string[]).includes(named) ? (named as CannedField) : null;
  if (error.status === 409) return { field: 'shortcut', text: t('canned.error.shortcutTaken') };
  if (error.status === 422 && error.code === 'unsafe_content') return { field, text: t('canned.error.unsafe') };
  if (error.status === 400 && field && match) return { field, text: match[3]! };
  return { field: null, text: errorText(error, t) };
}
