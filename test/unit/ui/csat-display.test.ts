import { describe, expect, it } from 'vitest';
import { csatHow, csatLabel, csatTone, isQuestion, pickedLabel, pickedValue, stars, type MessageChoice } from '../../../src/ui/inbox/src/csat.js';
import { dictionaries, formatDateTime, makeTranslate } from '../../../src/ui/inbox/src/i18n.js';

const en = makeTranslate('en');
const zh = makeTranslate('zh');
const options = [1, 2, 3, 4, 5].map((n) => ({ value: String(n), label: `${n} ${'★'.repeat(n)}` }));
const question = (id: string) => ({ direction: 'outbound' as const, choice: { id, options, picked: null } });
const pick = (id: string, value: string): { direction: 'inbound'; choice: MessageChoice } => ({ direction: 'inbound', choice: { id, options: [], picked: value } });

/** What the list's chip, the header and the timeline show of a rating (src/ui/inbox/src/csat.ts). */
describe('how the inbox shows a satisfaction rating', () => {
  it('colours 1–2 as low (they reopen the conversation), 3 neutral, 4–5 high', () => {
    expect([1, 2, 3, 4, 5].map(csatTone)).toEqual(['low', 'low', 'neutral', 'high', 'high']);
  });

  it('draws five stars, filled up to the score, whatever number arrives', () => {
    expect(stars(4)).toBe('★★★★☆');
    expect(stars(1)).toBe('★☆☆☆☆');
    expect(stars(9)).toBe('★★★★★');
    expect(stars(-1)).toBe('☆☆☆☆☆');
  });

  it('names the chip for screen readers in both languages', () => {
    expect(csatLabel({ rating: 4 }, en)).toBe('Rated 4 of 5');
    expect(csatLabel({ rating: 4 }, zh)).toBe('评分 4/5');
  });

  it('says how and when the customer answered in the agent’s language; a way it does not know yet, only when', () => {
    const ratedAt = '2027-03-01T10:00:00.000Z';
    const time = formatDateTime(ratedAt, 'en');
    expect(csatHow({ via: 'tap', ratedAt }, en, 'en')).toBe(`Tapped in the chat on ${time}`);
    expect(csatHow({ via: 'text', ratedAt }, en, 'en')).toBe(`Typed as a reply on ${time}`);
    expect(csatHow({ via: 'link', ratedAt }, zh, 'zh')).toBe(`${formatDateTime(ratedAt, 'zh')} 通过邮件链接选择`);
    expect(csatHow({ ratedAt }, en, 'en')).toBe(`Rated on ${time}`);
    expect(csatHow({ via: 'pigeon' as 'tap', ratedAt }, en, 'en')).toBe(`Rated on ${time}`);
  });

  it('the pick’s wording has one place for the option, in both languages', () => {
    for (const lang of ['en', 'zh'] as const) expect(dictionaries[lang]['view.picked'].split('{choice}')).toHaveLength(2);
  });
});

describe('a survey and its answer in the timeline', () => {
  it('a desk question is an outbound message with options; a pick is an inbound message with a picked value', () => {
    expect(isQuestion(question('s1'))).toBe(true);
    expect(isQuestion({ direction: 'outbound', choice: null })).toBe(false);
    expect(isQuestion({ direction: 'outbound', choice: { id: 's1', options: [], picked: null } })).toBe(false);
    // A customer cannot make their own message a question.
    expect(isQuestion({ direction: 'inbound', choice: { id: 's1', options, picked: null } })).toBe(false);
    expect(pickedValue(pick('s1', '4'))).toBe('4');
    expect(pickedValue({ direction: 'outbound', choice: { id: 's1', options: [], picked: '4' } })).toBeNull();
    expect(pickedValue({ direction: 'inbound', choice: null })).toBeNull();
  });

  it('a pick reads as the label its question offered, found by the question’s id', () => {
    const timeline = [question('s1'), question('s2')];
    expect(pickedLabel(pick('s2', '4').choice, timeline)).toBe('4 ★★★★');
    // A question not loaded (an older page), another conversation's survey id, or a value it never offered: no label.
    expect(pickedLabel(pick('s3', '4').choice, timeline)).toBeNull();
    expect(pickedLabel(pick('s1', '9').choice, timeline)).toBeNull();
    expect(pickedLabel(pick('s1', '4').choice, [])).toBeNull();
  });
});
