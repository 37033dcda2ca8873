import { describe, expect, it } from 'vitest';
import { splitText } from '../../../src/channels/kit/split-text.js';

const nonWhitespace = (s: string): string => s.replace(/\s+/g, '');

/** A long mixed text: words, sentence ends (Latin and Chinese), line and paragraph breaks, emoji. */
function sampleText(length: number): string {
  const pieces = ['Hello there. ', 'How can we help? ', '您好。', '请稍等！', 'Done 👍🏽 ', 'ok\n', 'new paragraph\n\n', 'wordwithoutspaces'];
  let out = '';
  for (let i = 0; out.length < length; i++) out += pieces[(i * 7) % pieces.length]!;
  return out.slice(0, length).trim();
}

describe('splitText invariants', () => {
  const cases: [number, number][] = [
    [5_000, 4096],
    [12_345, 2000],
    [3_000, 280],
    [1_000, 37],
  ];

  it.each(cases)('a %i-character text with limit %i: every part fits the limit', (length, limit) => {
    const parts = splitText(sampleText(length), limit);
    expect(parts.filter((p) => p.length > limit)).toEqual([]);
  });

  it.each(cases)('a %i-character text with limit %i: all non-whitespace characters survive in order', (length, limit) => {
    const text = sampleText(length);
    expect(nonWhitespace(splitText(text, limit).join(''))).toBe(nonWhitespace(text));
  });

  it.each(cases)('a %i-character text with limit %i: no part starts or ends with whitespace, none is empty', (length, limit) => {
    const parts = splitText(sampleText(length), limit);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.filter((p) => p.length === 0 || /^\s|\s$/.test(p))).toEqual([]);
  });

  it('a 5,000-character text with limit 4096 gives exactly 2 parts', () => {
    const text = 'lorem ipsum dolor sit amet '.repeat(200).slice(0, 5_000).trim();
    expect(splitText(text, 4096)).toHaveLength(2);
  });

  it('a text within the limit comes back as one unchanged part', () => {
    expect(splitText('Short reply. 你好！', 4096)).toEqual(['Short reply. 你好！']);
  });

  it('a text exactly at the limit is not split', () => {
    const text = 'a'.repeat(100);
    expect(splitText(text, 100)).toEqual([text]);
  });

  it("the empty string gives ['']", () => {
    expect(splitText('', 10)).toEqual(['']);
  });

  it.each([0, -1])('limit %i throws a RangeError', (limit) => {
    expect(() => splitText('text', limit)).toThrow(RangeError);
  });
});

describe('splitText boundary preference', () => {
  it('cuts at a paragraph break rather than a later sentence end', () => {
    const first = 'word '.repeat(14) + 'end of paragraph';
    // "Yes." ends a sentence inside the window too, so only a paragraph preference cuts before it.
    const text = `${first}\n\nYes. Second paragraph here, and it goes on and on past the limit of this test`;
    const parts = splitText(text, 100);
    expect(parts[0]).toBe(first);
  });

  it('cuts at a sentence end rather than a later space', () => {
    const sentence = 'This is the first sentence, and it is long enough to count.';
    const text = `${sentence} Then more words follow without any full stop for quite a while now`;
    expect(splitText(text, 100)[0]).toBe(sentence);
  });

  it.each(['。', '！', '？'])('cuts after the Chinese sentence end %s', (mark) => {
    const sentence = '中'.repeat(70) + mark;
    const text = sentence + '文'.repeat(80);
    const parts = splitText(text, 100);
    expect(parts[0]).toBe(sentence);
    expect(parts[1]).toBe('文'.repeat(80));
  });

  it('without sentence ends, cuts between words', () => {
    const text = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    const words = new Set(text.split(' '));
    const parts = splitText(text, 50);
    for (const part of parts) {
      expect(part.split(' ').filter((w) => !words.has(w))).toEqual([]);
    }
  });

  it('a text with no spaces (9000 Chinese characters) splits hard at the limit', () => {
    const parts = splitText('汉'.repeat(9000), 4096);
    expect(parts.map((p) => p.length)).toEqual([4096, 4096, 808]);
  });
});

describe('splitText and surrogate pairs', () => {
  it('moves an emoji that straddles the limit into the next part', () => {
    const text = 'a'.repeat(99) + '😀' + 'b'.repeat(50);
    const parts = splitText(text, 100);
    expect(parts[0]).toBe('a'.repeat(99));
    expect(parts[1]).toBe('😀' + 'b'.repeat(50));
  });

  it.each([4097, 101, 7, 3])('a run of emoji with limit %i is never cut inside a pair', (limit) => {
    const text = '😀'.repeat(3000);
    const parts = splitText(text, limit);
    const highSurrogateEnd = parts.filter((p) => /[\ud800-\udbff]$/.test(p));
    const lowSurrogateStart = parts.filter((p) => /^[\udc00-\udfff]/.test(p));
    expect(highSurrogateEnd).toEqual([]);
    expect(lowSurrogateStart).toEqual([]);
    expect(parts.join('')).toBe(text);
  });
});
