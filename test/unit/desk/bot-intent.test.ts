import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { intentOf } from '../../../src/desk/bot/intent.js';
import { answerText, excerptOf, handoffText } from '../../../src/desk/bot/wording.js';

describe('what a customer message means to the FAQ bot', () => {
  it('a request for a person, in English or Chinese, anywhere in the message, hands off', () => {
    for (const text of ['human', 'HUMAN please', 'Can I talk to an agent?', 'I want a real person!!', 'live chat', '人工', '转人工', '我要人工客服', '能找客服吗', '真人在吗？', '  人工。 ']) {
      expect(intentOf(text, false), text).toBe('person');
      expect(intentOf(text, true), text).toBe('person');
    }
  });

  it('words that only contain "agent" or "person" are questions', () => {
    for (const text of ['my user-agents string breaks the app', 'personal wallet backup', 'the agentic swap failed']) expect(intentOf(text, false), text).toBe('question');
  });

  it('a bare greeting is not a question to search for', () => {
    for (const text of ['hi', 'Hello!', 'hey 👋', '你好', '您好！', '在吗？']) expect(intentOf(text, false), text).toBe('greeting');
    expect(intentOf('hi, my transfer is stuck', false)).toBe('question');
  });

  it('"yes" or "1" confirms an answer only while one waits; "2" or "no" then asks for a person', () => {
    for (const text of ['yes', 'Yes thanks!', '1', '解决了', '已解决', '谢谢！']) {
      expect(intentOf(text, true), text).toBe('solved');
      expect(intentOf(text, false), text).not.toBe('solved');
    }
    for (const text of ['2', 'no', '没解决']) expect(intentOf(text, true), text).toBe('person');
    expect(intentOf('2', false)).toBe('question');
    expect(intentOf('yes but my deposit is still missing', true)).toBe('question');
  });

  it('any text has an intent and asking for a person always wins (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.boolean(), (text, after) => {
        expect(['person', 'solved', 'greeting', 'question']).toContain(intentOf(text, after));
        expect(intentOf(`${text} 人工`, after)).toBe('person');
      }),
    );
  });
});

describe('what the FAQ bot says', () => {
  const article = { title: 'A transfer has not arrived', text: 'Most transfers arrive within minutes. '.repeat(40), url: 'https://help.example/help/en/transfer-not-arrived' };

  it('an answer names the article, keeps the excerpt short, links the whole article and asks for a verdict', () => {
    const tap = answerText('en', 'tap', article);
    expect(tap).toContain(article.title);
    expect(tap).toContain(article.url);
    expect(tap.length).toBeLessThan(900);
    expect(tap).toMatch(/Did this answer your question\?$/);
    // Without buttons, the two options are typed.
    expect(answerText('en', 'text', article)).toMatch(/Reply 1 .* 2 \(or "human"\)/);
    expect(answerText('zh', 'text', { ...article, title: '转账未到账' })).toMatch(/回复“1”.*“人工”/);
  });

  it('an excerpt is cut at a sentence end, never mid-word when one is near', () => {
    const cut = excerptOf('First sentence here. Second sentence is longer than the limit allows for sure.', 40);
    expect(cut).toBe('First sentence here.…');
    expect(excerptOf('short')).toBe('short');
  });

  it('a handoff says why and ends with when a person answers', () => {
    expect(handoffText('en', 'no-answer', 'We usually answer here within 15 minutes.')).toMatch(/^I couldn't find an answer.* We usually answer here within 15 minutes\.$/);
    expect(handoffText('zh', 'asked', '通常我们会在15分钟内在这里回复您。')).toBe('好的，正在为您转接人工客服。通常我们会在15分钟内在这里回复您。');
  });
});
