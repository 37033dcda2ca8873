import { describe, expect, it } from 'vitest';
import { spelledScores } from '../../fakes/x/harness.js';

const SCORES = ['1', '2', '3', '4', '5'];

describe('the X contract harness recognises a survey sent as text (X v2 DMs have no quick replies)', () => {
  it.each([
    ['one line per score', 'How would you rate our help?\n1 ★\n2 ★★\n3 ★★★\n4 ★★★★\n5 ★★★★★'],
    ['numbered lines in brackets', '请为本次服务评分：\n(1) 很差\n(2) 差\n(3) 一般\n(4) 好\n(5) 很好'],
    ['a list', 'How would you rate our help? Reply 1, 2, 3, 4 or 5.'],
    ['a range with an en dash', 'How would you rate our help? Reply with a number 1–5.'],
    ['a range in words', 'Rate us from 1 to 5'],
    ['the desk\'s English text question', 'How would you rate the help you got? Reply with a number from 1 to 5:\n5 excellent · 4 good · 3 okay · 2 poor · 1 very poor'],
    ['a Chinese range', '您对本次服务满意吗？请回复数字 1 到 5'],
    ['a list from 5 down to 1', '5 excellent · 4 good · 3 okay · 2 poor · 1 very poor'],
  ])('%s is a question with the options 1–5', (_shape, text) => {
    expect(spelledScores(text)).toEqual(SCORES);
  });

  it.each([
    ['an ordinary reply', 'We are looking into it.'],
    ['the thanks after a rating', 'Thanks — you rated 4/5'],
    ['numbers that only look alike', 'Order 11, 2, 3, 4, 5 items; ticket 15'],
    ['four of the five lines', '1 ★\n2 ★★\n3 ★★★\n4 ★★★★'],
    ['a range of other numbers', 'Open 10-15 on weekdays'],
  ])('%s is not', (_shape, text) => {
    expect(spelledScores(text)).toBeUndefined();
  });
});
