import { describe, expect, it } from 'vitest';
import { KbArticleBody, SLUG_PATTERN as SERVER_SLUG_PATTERN } from '../../../src/desk/kb/api.js';
import { ApiError } from '../../../src/ui/inbox/src/api.js';
import { makeTranslate } from '../../../src/ui/inbox/src/i18n.js';
import {
  articleBody,
  customerLang,
  emptyArticleForm,
  excerpt,
  formOfArticle,
  insertSnippet,
  kbErrorOf,
  parseTags,
  rebaseForm,
  sameForm,
  SLUG_PATTERN,
  snippetOf,
  type ArticleForm,
} from '../../../src/ui/inbox/src/kb.js';
import type { Article, Message } from '../../../src/ui/inbox/src/types.js';

const en = makeTranslate('en');
const zh = makeTranslate('zh');

const article = (over: Partial<Article> = {}): Article => ({
  id: 'a1',
  slug: 'withdrawal-pending',
  tags: ['withdrawal', '提现'],
  audience: 'public',
  channels: ['webchat'],
  status: 'published',
  version: 3,
  translations: { en: { title: 'Withdrawal pending', body: 'Wait for **12** confirmations.' }, zh: { title: '提现处理中', body: '请等待 12 个确认。' } },
  createdAt: '2027-01-01T00:00:00.000Z',
  updatedAt: '2027-01-02T00:00:00.000Z',
  updatedBy: 'Admin',
  ...over,
});

const filled = (over: Partial<ArticleForm> = {}): ArticleForm => ({ ...formOfArticle(article()), ...over });

describe('the article form sends what the API takes', () => {
  it('an article read into the form and sent back is the same article, and the server’s own schema takes it unchanged', () => {
    const a = article();
    const result = articleBody(formOfArticle(a));
    expect(result).toEqual({ body: { slug: a.slug, tags: a.tags, audience: a.audience, channels: a.channels, status: a.status, translations: a.translations } });
    if (!('body' in result)) throw new Error('no body');
    expect(KbArticleBody.parse(result.body)).toEqual(result.body);
  });

  it('the form checks slugs with the API’s own pattern', () => {
    expect(SLUG_PATTERN.source).toBe(SERVER_SLUG_PATTERN.source);
    expect(SLUG_PATTERN.flags).toBe(SERVER_SLUG_PATTERN.flags);
  });

  it('a language left empty is not sent; half of one is refused at its field', () => {
    const form = filled();
    form.translations = { ...form.translations, zh: { title: '', body: '  ' } };
    const result = articleBody(form);
    expect('body' in result && result.body.translations).toEqual({ en: article().translations.en });

    form.translations = { ...form.translations, zh: { title: '只有标题', body: '' } };
    expect(articleBody(form)).toEqual({ problem: { field: 'zh.body', key: 'kb.bodyRequired' } });
    form.translations = { ...form.translations, zh: { title: '', body: '只有正文' } };
    expect(articleBody(form)).toEqual({ problem: { field: 'zh.title', key: 'kb.titleRequired' } });
  });

  it('no language at all, no slug or a slug the help center cannot address are refused at the field', () => {
    expect(articleBody({ ...emptyArticleForm(), slug: 'x' })).toEqual({ problem: { field: 'translations', key: 'kb.translationRequired' } });
    expect(articleBody(filled({ slug: '  ' }))).toEqual({ problem: { field: 'slug', key: 'kb.slugRequired' } });
    for (const slug of ['Reset Password', '-reset', '重置密码', 'a/b', 'a'.repeat(81)]) expect(articleBody(filled({ slug }))).toEqual({ problem: { field: 'slug', key: 'kb.slugInvalid' } });
  });

  it('tags split on Latin and Chinese commas, blanks and repeats dropped; internal articles send no channels', () => {
    expect(parseTags(' fees, 提现，手续费、Fees ,, ')).toEqual(['fees', '提现', '手续费']);
    const result = articleBody(filled({ audience: 'internal', channels: ['webchat', 'email'] }));
    expect('body' in result && result.body.channels).toEqual([]);
  });
});

describe('where a refused save belongs', () => {
  it('a 409 about the version is a stale edit; a 409 about the slug is the slug field (the API’s words, src/desk/kb/index.ts)', () => {
    expect(kbErrorOf(new ApiError(409, 'conflict', 'version: the article was saved meanwhile (now version 3, by slug-lover); reload it and edit again'), en)).toEqual({ kind: 'stale' });
    expect(kbErrorOf(new ApiError(409, 'conflict', 'slug: another article has this slug'), zh)).toEqual({ kind: 'field', field: 'slug', text: '已有文章使用这个短链接。' });
  });

  it('wallet safety’s refusal is shown at the translation it names, in the agent’s language', () => {
    expect(kbErrorOf(new ApiError(422, 'unsafe_content', 'translations.zh: the article asks customers for a recovery phrase, private key or password'), zh)).toEqual({
      kind: 'field',
      field: 'zh.body',
      text: zh('kb.unsafeAsks'),
    });
    expect(kbErrorOf(new ApiError(422, 'unsafe_content', 'translations.en: the article contains what looks like a recovery phrase or private key'), en)).toEqual({
      kind: 'field',
      field: 'en.body',
      text: en('kb.unsafeSecret'),
    });
  });

  it('a 400 names the field first: a translation’s part, a top-level field, or the top of the form', () => {
    expect(kbErrorOf(new ApiError(400, 'validation', 'translations.zh.title: Too long'), en)).toEqual({ kind: 'field', field: 'zh.title', text: 'Too long' });
    expect(kbErrorOf(new ApiError(400, 'validation', 'channels.0: Invalid option'), en)).toEqual({ kind: 'field', field: 'channels', text: 'Invalid option' });
    expect(kbErrorOf(new ApiError(400, 'validation', 'translations: at least one language'), en)).toEqual({ kind: 'field', field: 'translations', text: 'at least one language' });
    expect(kbErrorOf(new ApiError(400, 'validation', 'version: Required'), en)).toEqual({ kind: 'form', text: 'version: Required' });
    expect(kbErrorOf(new ApiError(0, 'network', 'x'), en)).toEqual({ kind: 'form', text: en('errors.network') });
  });
});

describe('a stale edit is taken in without losing the admin’s text', () => {
  it('the admin’s changed fields stay, the others take the newer version, and fields both changed are named', () => {
    const base = filled();
    const mine = { ...base, tags: 'withdrawal, 提现, fees', translations: { ...base.translations, en: { ...base.translations.en, body: 'My new English text' } } };
    const theirs = { ...base, status: 'archived' as const, translations: { ...base.translations, en: { ...base.translations.en, body: 'Their English text' }, zh: { title: '新标题', body: base.translations.zh.body } } };
    const { form, conflicts } = rebaseForm(base, mine, theirs);
    expect(form.translations.en.body).toBe('My new English text');
    expect(form.tags).toBe('withdrawal, 提现, fees');
    expect(form.status).toBe('archived');
    expect(form.translations.zh.title).toBe('新标题');
    expect(conflicts).toEqual(['en.body']);
  });

  it('nothing typed: the newer version as it is; the same change on both sides is no conflict', () => {
    const base = filled();
    const theirs = filled({ slug: 'withdrawals' });
    expect(rebaseForm(base, base, theirs)).toEqual({ form: theirs, conflicts: [] });
    expect(rebaseForm(base, theirs, theirs).conflicts).toEqual([]);
    expect(sameForm(base, filled({ channels: ['webchat'] }))).toBe(true);
    expect(sameForm(base, filled({ channels: ['webchat', 'email'] }))).toBe(false);
  });
});

describe('what Insert article puts in the reply', () => {
  const message = (direction: Message['direction'], text: string, createdAt: string, type: Message['author']['type'] = direction === 'inbound' ? 'contact' : 'agent') =>
    ({ direction, private: false, text, createdAt, author: { type, id: 'x', name: 'x' } }) as Pick<Message, 'direction' | 'private' | 'text' | 'author' | 'createdAt'>;

  it('the customer’s language is that of their latest messages, not the agent’s or the bot’s', () => {
    expect(customerLang([message('inbound', 'Where is my withdrawal?', '2027-01-01T00:00:00Z'), message('outbound', '您好，请稍等', '2027-01-01T00:01:00Z')])).toBe('en');
    expect(customerLang([message('inbound', 'hello', '2027-01-01T00:00:00Z'), message('inbound', '我的提现还没到账', '2027-01-01T00:02:00Z')])).toBe('zh');
    expect(customerLang([message('outbound', '自动回复', '2027-01-01T00:00:00Z', 'bot')])).toBeNull();
    expect(customerLang([], '提现问题')).toBe('zh');
  });

  it('an excerpt is the opening paragraph (a short one takes the next along), ending at a sentence or a word within the limit', () => {
    expect(excerpt('Short text.')).toBe('Short text.');
    expect(excerpt('提现需要等待 12 个网络确认后才会到账。\n\n- 在区块浏览器中查询交易哈希\n- 超过一小时请联系我们')).toBe('提现需要等待 12 个网络确认后才会到账。');
    expect(excerpt('Steps\n\nOpen the app and go to Settings.\n\n1. Tap Security')).toBe('Steps Open the app and go to Settings.');
    const long = 'Withdrawals need 12 confirmations on the network. After that the funds show in your wallet within minutes. If they do not, contact support with the transaction hash.';
    const cut = excerpt(long, 120);
    expect(cut).toBe('Withdrawals need 12 confirmations on the network. After that the funds show in your wallet within minutes.');
    expect(excerpt('a'.repeat(50) + ' ' + 'b'.repeat(100), 60)).toBe(`${'a'.repeat(50)}…`);
    const chinese = '提现需要网络确认十二次。'.repeat(20);
    expect([...excerpt(chinese, 100)].length).toBeLessThanOrEqual(100);
    expect(excerpt(chinese, 100).endsWith('。')).toBe(true);
  });

  it('the snippet is title, excerpt and (for a public article) link on lines of their own, put at the cursor with blank lines around it', () => {
    const hit = { title: '提现处理中', text: '请等待 12 个确认。', url: 'https://help.example.com/help/zh/withdrawal-pending', audience: 'public' as const };
    expect(snippetOf(hit)).toBe('提现处理中\n请等待 12 个确认。\nhttps://help.example.com/help/zh/withdrawal-pending');
    // An internal article has no public page: its link would be a dead end for the customer.
    expect(snippetOf({ ...hit, audience: 'internal' })).toBe('提现处理中\n请等待 12 个确认。');
    expect(insertSnippet('', 0, 0, 'S')).toEqual({ value: 'S', caret: 1 });
    expect(insertSnippet('Hi Ana,', 7, 7, 'S')).toEqual({ value: 'Hi Ana,\n\nS', caret: 10 });
    expect(insertSnippet('Hi Ana,\nThanks', 8, 8, 'S')).toEqual({ value: 'Hi Ana,\n\nS\n\nThanks', caret: 10 });
    // A selection is replaced.
    expect(insertSnippet('Hi XXX bye', 3, 6, 'S').value).toBe('Hi \n\nS\n\n bye');
  });
});
