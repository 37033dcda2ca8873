import { describe, expect, it } from 'vitest';
import { MENU_HEAD_BYTES, planChoiceParts, type ReplyPart, TEXT_LIMIT } from '../../../adapters/wechat/outbound.js';
import type { ChoiceOption, OutboundChoice } from '../../../src/channels/contract.js';
import { parseChoiceToken } from '../../../src/domain/choice.js';

const SURVEY = '01jc5v7x9k2m4n6p8q0r2s4t6v';
const stars = (n: number): ChoiceOption => ({ value: String(n), label: `${n} ${'★'.repeat(n)}`, answered: `Thanks — you rated ${n}/5` });
const survey: OutboundChoice = { id: SURVEY, options: [1, 2, 3, 4, 5].map(stars) };
const menuOf = (parts: ReplyPart[]) => {
  const last = parts.at(-1);
  if (last?.kind !== 'menu') throw new Error('the last part is not the menu');
  return last;
};

describe('a question with options → the customer-service messages it becomes', () => {
  it('a short question is one menu message: head = the whole text, one item per option, id = choiceToken, content = label', () => {
    const parts = planChoiceParts({ text: 'How would you rate our help? 请为我们的服务打分。', attachments: [], choice: survey }, 5);
    expect(parts).toHaveLength(1);
    const menu = menuOf(parts);
    expect(menu.head).toBe('How would you rate our help? 请为我们的服务打分。');
    expect(menu.items.map((item) => item.content)).toEqual(['1 ★', '2 ★★', '3 ★★★', '4 ★★★★', '5 ★★★★★']);
    expect(menu.items.map((item) => parseChoiceToken(item.id))).toEqual([1, 2, 3, 4, 5].map((n) => ({ id: SURVEY, value: String(n) })));
    for (const item of menu.items) expect(Buffer.byteLength(item.id)).toBeLessThanOrEqual(64);
  });

  it('a question longer than the head allows: its beginning goes first as text, the head is its last part, nothing lost', () => {
    const text = `${'我们已处理您的问题，感谢耐心等待。'.repeat(40)}\n\n${'请点击下面的分数为本次服务评分。'.repeat(3)}`;
    const parts = planChoiceParts({ text, attachments: [], choice: survey }, 5);
    const menu = menuOf(parts);
    const before = parts.slice(0, -1);
    expect(before.length).toBeGreaterThanOrEqual(1);
    expect(before.every((part) => part.kind === 'text' && part.text.length <= TEXT_LIMIT)).toBe(true);
    expect(Buffer.byteLength(menu.head)).toBeLessThanOrEqual(MENU_HEAD_BYTES);
    expect(menu.head.endsWith('请点击下面的分数为本次服务评分。')).toBe(true);
    const noSpace = (value: string) => value.replace(/\s/g, '');
    expect(noSpace([...before.map((part) => (part.kind === 'text' ? part.text : '')), menu.head].join(''))).toBe(noSpace(text));
  });

  it('a head of 600 CJK characters (over 1,024 bytes) is split again so the head fits', () => {
    const text = '评'.repeat(600);
    const parts = planChoiceParts({ text, attachments: [], choice: survey }, 5);
    expect(parts.map((part) => part.kind)).toEqual(['text', 'menu']);
    expect(Buffer.byteLength(menuOf(parts).head)).toBeLessThanOrEqual(MENU_HEAD_BYTES);
  });

  it('a label over 128 bytes is cut between characters with "…"; an empty label shows the value', () => {
    const long: OutboundChoice = { id: SURVEY, options: [{ value: '1', label: '😀'.repeat(40), answered: '' }, { value: '2', label: '  ', answered: '' }] };
    const [first, second] = menuOf(planChoiceParts({ text: 'Rate', attachments: [], choice: long }, 5)).items;
    expect(Buffer.byteLength(first!.content)).toBeLessThanOrEqual(128);
    expect(first!.content).toMatch(/^(😀)+…$/u);
    expect(second!.content).toBe('2');
  });

  it('more than 10 options, none, or an option that cannot be a token are refused before anything is sent', () => {
    const eleven: OutboundChoice = { id: SURVEY, options: Array.from({ length: 11 }, (_, i) => stars(i)) };
    expect(() => planChoiceParts({ text: 'x', attachments: [], choice: eleven }, 20)).toThrow(expect.objectContaining({ name: 'PermanentChannelError', code: 'unsupported_choice' }));
    expect(() => planChoiceParts({ text: 'x', attachments: [], choice: { id: SURVEY, options: [] } }, 5)).toThrow(expect.objectContaining({ code: 'unsupported_choice' }));
    expect(() => planChoiceParts({ text: 'x', attachments: [], choice: { id: SURVEY, options: [{ ...stars(1), value: 'a|b' }] } }, 5)).toThrow(expect.objectContaining({ code: 'invalid_choice' }));
    expect(() => planChoiceParts({ text: 'x', attachments: [], choice: { id: 'Has Spaces', options: [stars(1)] } }, 5)).toThrow(expect.objectContaining({ code: 'invalid_choice' }));
  });

  it('the menu counts against the 48-hour quota like any message', () => {
    const text = Array.from({ length: 5 }, (_, i) => `${i}`.repeat(590)).join('\n\n');
    expect(() => planChoiceParts({ text, attachments: [], choice: survey }, 4)).toThrow(expect.objectContaining({ code: 'too_long' }));
    expect(planChoiceParts({ text, attachments: [], choice: survey }, 5).map((part) => part.kind)).toEqual(['text', 'text', 'text', 'text', 'menu']);
  });
});
