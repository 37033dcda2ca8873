import { describe, expect, it } from 'vitest';
import { CannedInput, SHORTCUT } from '../../../src/desk/canned/api.js';
import { ApiError } from '../../../src/ui/inbox/src/api.js';
import { cannedBody, cannedErrorOf, emptyCannedForm, pickerMatches, SHORTCUT_PATTERN, shortcutProblem, slashQuery, templateProblem } from '../../../src/ui/inbox/src/canned.js';
import { makeTranslate } from '../../../src/ui/inbox/src/i18n.js';
import type { Canned } from '../../../src/ui/inbox/src/types.js';

const en = makeTranslate('en');
const zh = makeTranslate('zh');

const canned = (shortcut: string, title: string, scope: Canned['scope'] = 'shared'): Canned => ({
  id: `${scope}-${shortcut}`,
  shortcut,
  title,
  scope,
  ownerId: scope === 'shared' ? null : 'me',
  variants: { en: `${title} text` },
  updatedAt: '2027-01-01T00:00:00.000Z',
});

describe('the composer finds the "/query" at the caret', () => {
  it('at the start of the text or after whitespace, up to the caret, replacing the whole word', () => {
    expect(slashQuery('/ref', 4)).toEqual({ start: 0, end: 4, query: 'ref' });
    expect(slashQuery('Hello /re', 9)).toEqual({ start: 6, end: 9, query: 're' });
    expect(slashQuery('line\n/', 6)).toEqual({ start: 5, end: 6, query: '' });
    // Caret inside the word: the query is what is before it, the whole word is replaced.
    expect(slashQuery('see /refund now', 7)).toEqual({ start: 4, end: 11, query: 're' });
    // A Chinese input method's full-width slash.
    expect(slashQuery('您好 ／ref', 7)).toEqual({ start: 3, end: 7, query: 'ref' });
  });

  it('not inside a word, a URL or a path, nor past a space', () => {
    expect(slashQuery('and/or', 6)).toBeNull();
    expect(slashQuery('https://example.com/help', 24)).toBeNull();
    expect(slashQuery('/usr/local', 10)).toBeNull();
    expect(slashQuery('/ref and more', 13)).toBeNull();
    expect(slashQuery(`/${'x'.repeat(41)}`, 42)).toBeNull();
    expect(slashQuery('/ref', -1)).toBeNull();
  });
});

describe('what the picker lists', () => {
  const items = [canned('ref', 'Refund status'), canned('ref', 'My refund note', 'personal'), canned('kyc', 'Identity check'), canned('hours', 'Opening hours'), canned('prefix', 'Something else')];

  it('the exact shortcut first, personal before the shared one it shadows, then prefixes, title words, anything containing it', () => {
    expect(pickerMatches(items, 'ref').map((c) => c.id)).toEqual(['personal-ref', 'shared-ref', 'shared-prefix']);
    expect(pickerMatches(items, 'ID').map((c) => c.id)).toEqual(['shared-kyc']);
    expect(pickerMatches(items, 'hour').map((c) => c.id)).toEqual(['shared-hours']);
    expect(pickerMatches(items, 'zzz')).toEqual([]);
  });

  it('an empty query lists everything, personal first, up to the limit', () => {
    expect(pickerMatches(items, '').map((c) => c.id)).toEqual(['personal-ref', 'shared-hours', 'shared-kyc', 'shared-prefix', 'shared-ref']);
    expect(pickerMatches(items, '', 2)).toHaveLength(2);
  });
});

describe('the management form', () => {
  it("checks the shortcut with the server's own rule", () => {
    expect(SHORTCUT_PATTERN.source).toBe(SHORTCUT.source);
    expect(shortcutProblem('')).toEqual({ key: 'canned.error.shortcutRequired' });
    expect(shortcutProblem('Ref')).toEqual({ key: 'canned.error.shortcutInvalid' });
    expect(shortcutProblem('-ref')).toEqual({ key: 'canned.error.shortcutInvalid' });
    expect(shortcutProblem('/ref')).toBeNull();
    expect(shortcutProblem('refund-2')).toBeNull();
  });

  it('checks templates with the server parser, in the agent language', () => {
    const unknown = templateProblem('Hi {{contact.phone}}');
    expect(unknown).toMatchObject({ key: 'canned.error.unknownVariable', params: { variable: '{{contact.phone}}' } });
    expect(zh(unknown!.key, unknown!.params)).toMatch(/^未知变量 \{\{contact\.phone\}\}。可用变量：\{\{contact\.name\}\}/);
    const unclosed = templateProblem('Hi {{contact.name');
    expect(en(unclosed!.key, unclosed!.params)).toBe('Unbalanced braces: “{{” is not closed by “}}” (at “{{contact.name”).');
    expect(templateProblem('Hi {{ contact.name }}')).toBeNull();
  });

  it('sends what the API takes (which accepts it), or says at which field it would refuse', () => {
    const sent = cannedBody({ shortcut: ' /ref ', title: ' Refund ', scope: 'shared', en: ' Hi {{contact.name}} ', zh: '' });
    expect(sent).toEqual({ body: { shortcut: 'ref', title: 'Refund', scope: 'shared', variants: { en: 'Hi {{contact.name}}' } } });
    expect('body' in sent && CannedInput.safeParse(sent.body).success).toBe(true);
    expect(cannedBody(emptyCannedForm())).toEqual({ problems: { shortcut: { key: 'canned.error.shortcutRequired' }, title: { key: 'canned.error.titleRequired' }, en: { key: 'canned.error.variantRequired' } } });
    expect(cannedBody({ shortcut: 'ok', title: 't', scope: 'personal', en: 'fine', zh: '您好 }}' })).toMatchObject({ problems: { zh: { key: 'canned.error.unopened' } } });
  });

  it("puts the API's refusals at their field", () => {
    expect(cannedErrorOf(new ApiError(409, 'conflict', 'shortcut: /ref exists already among your replies'), en)).toEqual({ field: 'shortcut', text: en('canned.error.shortcutTaken') });
    expect(cannedErrorOf(new ApiError(422, 'unsafe_content', 'variants.zh: This reply asks the customer for a recovery phrase'), zh)).toEqual({ field: 'zh', text: zh('canned.error.unsafe') });
    expect(cannedErrorOf(new ApiError(400, 'validation', 'variants.en: unknown variable {{x}}'), en)).toEqual({ field: 'en', text: 'unknown variable {{x}}' });
    expect(cannedErrorOf(new ApiError(400, 'validation', 'title: Too small'), en)).toEqual({ field: 'title', text: 'Too small' });
    expect(cannedErrorOf(new ApiError(403, 'forbidden', 'only admins write shared canned replies'), en)).toEqual({ field: null, text: en('errors.forbidden') });
  });
});
