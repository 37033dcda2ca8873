import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerOf, ratingOf } from '../../../../src/desk/csat/answer.js';

describe('reading a typed survey answer', () => {
  it('takes a bare score in the forms customers type it', () => {
    const cases: [string, number][] = [
      ['5', 5],
      [' 4 ', 4],
      ['３', 3],
      ['4/5', 4],
      ['5 stars', 5],
      ['2分', 2],
      ['五分', 5],
      ['★★★', 3],
      ['⭐⭐⭐⭐⭐', 5],
      ['1!', 1],
      ['满意', 4],
      ['非常满意', 5],
      ['不满意', 2],
      ['非常不满意', 1],
      ['一般', 3],
    ];
    for (const [text, rating] of cases) expect(ratingOf(text), text).toBe(rating);
  });

  it('never reads a score out of a sentence, a number out of range, or an amount', () => {
    for (const text of ['I sent 5 USDT', '6', '0', '10', '45', '5.5', 'five hundred', '1 BTC', '我转了5个币', '', '★★★★★★']) expect(ratingOf(text), text).toBeUndefined();
  });

  it('tells a comment, a thanks and a new question apart after the score', () => {
    expect(answerOf('Very fast, thank you!', 'comment')).toEqual({ kind: 'comment' });
    expect(answerOf('客服态度很好', 'comment')).toEqual({ kind: 'comment' });
    expect(answerOf('thanks', 'comment')).toEqual({ kind: 'ignored' });
    expect(answerOf('谢谢', 'rating')).toEqual({ kind: 'ignored' });
    expect(answerOf('Why was I charged twice?', 'comment')).toEqual({ kind: 'question' });
    expect(answerOf('我的币还没到账', 'comment')).toEqual({ kind: 'question' });
    expect(answerOf('my wallet was hacked', 'comment')).toEqual({ kind: 'question' });
    expect(answerOf('4', 'rating')).toEqual({ kind: 'rating', rating: 4 });
    expect(answerOf('and my deposit?', 'rating')).toEqual({ kind: 'question' });
  });

  it('any text: a score is always 1–5, a long text is never a score, and nothing throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const rating = ratingOf(text);
        if (rating !== undefined) {
          expect(rating).toBeGreaterThanOrEqual(1);
          expect(rating).toBeLessThanOrEqual(5);
          expect(text.trim().length).toBeLessThanOrEqual(16);
        }
        for (const stage of ['rating', 'comment'] as const) expect(['rating', 'comment', 'ignored', 'question']).toContain(answerOf(text, stage).kind);
      }),
      { numRuns: 2_000 },
    );
  });
});
