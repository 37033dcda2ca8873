import { entropyToMnemonic } from '@scure/bip39';
import { wordlist as english } from '@scure/bip39/wordlists/english.js';
import { wordlist as simplified } from '@scure/bip39/wordlists/simplified-chinese.js';
import { wordlist as traditional } from '@scure/bip39/wordlists/traditional-chinese.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDraftRequest, type DraftPrompt, MAX_LINES, TEMPERATURE } from '../../../../src/desk/drafts/prompt.js';

const article = { id: 'a1', title: 'Why is my withdrawal pending?', text: 'Withdrawals wait for 12 network confirmations. This takes about 30 minutes.', url: 'http://help.test/help/en/withdrawal-pending' };
const base: DraftPrompt = {
  model: 'gpt-4o-mini',
  lang: 'en',
  articles: [article],
  transcript: [
    { from: 'customer', text: 'Hello, I am Wang Fang (fang.wang@example.com, +86 138 0013 8000).' },
    { from: 'support', text: 'Hi Wang Fang, how can we help?' },
    { from: 'customer', text: 'My withdrawal has been pending for an hour.' },
  ],
  contact: { name: 'Wang Fang', email: 'fang.wang@example.com', handles: [] },
};

describe('the draft request', () => {
  it('is an OpenAI chat completion body: model, a system and a user message, a low temperature', () => {
    const request = buildDraftRequest(base);
    expect(Object.keys(request).sort()).toEqual(['messages', 'model', 'temperature']);
    expect(request.model).toBe('gpt-4o-mini');
    expect(request.temperature).toBe(TEMPERATURE);
    expect(request.messages.map((m) => m.role)).toEqual(['system', 'user']);
  });

  it('grounds the model in the articles only, and states the safety rules', () => {
    const system = buildDraftRequest(base).messages[0]!.content;
    expect(system).toContain('Answer only from the help-center articles below');
    expect(system).toContain('say that you will check with the team');
    expect(system).toMatch(/Never ask the customer for their recovery phrase .* private key/);
    expect(system).toContain(`--- Article 1: ${article.title}\nURL: ${article.url}\n${article.text}`);
  });

  it("asks for the customer's language", () => {
    expect(buildDraftRequest(base).messages[0]!.content).toContain('Write in English');
    expect(buildDraftRequest({ ...base, lang: 'zh' }).messages[0]!.content).toContain('Write in Simplified Chinese (简体中文)');
  });

  it('gives the conversation oldest first, customer and support, with the contact masked', () => {
    const user = buildDraftRequest(base).messages[1]!.content;
    expect(user).toContain(
      [
        'Customer: Hello, I am [customer name] ([email], [phone]).',
        'Support: Hi [customer name], how can we help?',
        'Customer: My withdrawal has been pending for an hour.',
      ].join('\n'),
    );
    const sent = JSON.stringify(buildDraftRequest(base));
    for (const pii of ['Wang', 'Fang', 'fang.wang@example.com', '138 0013 8000']) expect(sent).not.toContain(pii);
  });

  it('sends only the last messages, each shortened', () => {
    const transcript = Array.from({ length: 40 }, (_, i) => ({ from: 'customer' as const, text: `message ${i} ${'x'.repeat(5_000)}` }));
    const user = buildDraftRequest({ ...base, transcript }).messages[1]!.content;
    expect(user).not.toContain(`message ${40 - MAX_LINES - 1} `);
    expect(user).toContain(`message ${40 - MAX_LINES} `);
    expect(user.length).toBeLessThan(MAX_LINES * 1_600 + 200);
  });
});

describe('no recovery phrase ever leaves in a built request', () => {
  const lists = { english, simplified, traditional };
  it('whatever list, length and separator, in a customer message, an agent message or an article', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(16, 20, 24, 28, 32),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.constantFrom<keyof typeof lists>('english', 'simplified', 'traditional'),
        fc.constantFrom(' ', '\n', ', ', '  ', '，', '、'),
        fc.constantFrom('', 'my phrase is ', '我的助记词：', 'is this right?\n'),
        fc.constantFrom('customer', 'support', 'article'),
        fc.boolean(),
        (bytes, entropy, list, sep, before, where, unspaced) => {
          const words = entropyToMnemonic(entropy.slice(0, bytes), lists[list]).split(' ');
          const phrase = list !== 'english' && unspaced ? words.join('') : words.join(sep);
          const text = `${before}${phrase} thanks`;
          const prompt: DraftPrompt = {
            ...base,
            transcript: where === 'article' ? base.transcript : [...base.transcript, { from: where as 'customer' | 'support', text }],
            articles: where === 'article' ? [{ ...article, text }] : base.articles,
          };
          const sent = JSON.stringify(buildDraftRequest(prompt));
          // Not the phrase, nor any four of its words in a row as written.
          for (let i = 0; i + 4 <= words.length; i += 1) {
            const run = words.slice(i, i + 4).join(list !== 'english' && unspaced ? '' : sep);
            expect(sent).not.toContain(JSON.stringify(run).slice(1, -1));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
