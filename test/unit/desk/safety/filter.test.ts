import { entropyToMnemonic } from '@scure/bip39';
import { wordlist as english } from '@scure/bip39/wordlists/english.js';
import { wordlist as simplified } from '@scure/bip39/wordlists/simplified-chinese.js';
import { wordlist as traditional } from '@scure/bip39/wordlists/traditional-chinese.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InboundMessage } from '../../../../src/domain/message.js';
import { filterFile, filterInbound } from '../../../../src/desk/safety/filter.js';
import { redact } from '../../../../src/desk/safety/redact.js';
import { builtInRules } from '../../../../src/desk/safety/rules.js';
import { triageMatcher } from '../../../../src/desk/safety/triage.js';

const triage = triageMatcher(builtInRules, ['rug pull']);
const message = (fields: Partial<InboundMessage>): InboundMessage =>
  InboundMessage.parse({ channelId: 'tg', externalId: '1', threadKey: 'chat-1', sender: { externalId: 'u1' }, sentAt: '2026-12-05T10:00:00Z', text: '', ...fields });
const phrase = entropyToMnemonic(new Uint8Array(16).fill(7), english);

describe('the inbound filter', () => {
  it('removes a phrase from the text, the HTML and the platform payload, records it and escalates', () => {
    const filtered = filterInbound(
      message({ text: `help, my words: ${phrase}`, html: `<p>help, my words: ${phrase.split(' ').join('</p><p>')}</p>`, raw: { message: { text: `help ${phrase}`, entities: [] }, list: phrase.split(' ') } }),
      triage,
    );
    expect(filtered.text).toBe('help, my words: [recovery phrase removed]');
    expect(filtered.html).toBeUndefined();
    expect(JSON.stringify(filtered.raw)).not.toContain(phrase.split(' ')[3]);
    expect(filtered.redactions).toEqual([{ kind: 'recovery-phrase', words: 12 }]);
    expect(filtered.escalation).toEqual({ reason: 'secret-exposed', labels: ['secret-exposed'], by: 'desk.safety' });
    // What the filter returns still is a valid message for the queue.
    expect(InboundMessage.safeParse(filtered).success).toBe(true);
  });

  it('answers in the customer\'s language, and keeps tx hashes, addresses and amounts', () => {
    const tx = 'a'.repeat(10) + '0123456789abcdef'.repeat(3) + 'b'.repeat(6);
    const zh = filterInbound(message({ text: `我的助记词是 ${entropyToMnemonic(new Uint8Array(16).fill(9), simplified).replaceAll(' ', '')}，交易哈希 ${tx}` }), triage);
    expect(zh.text).toBe(`我的助记词是 [助记词已移除]，交易哈希 ${tx}`);
    const ordinary = message({ text: `Sent 0.5 ETH to 0x52908400098527886E0F7030069857D2E4169EE7, tx 0x${tx}, at 10:32 UTC` });
    expect(filterInbound(ordinary, triage)).toBe(ordinary);
  });

  it.each([
    ['my wallet was drained', 'en'],
    ['我的币被盗了', 'zh'],
    ['我的幣被盜了', 'zh-Hant'],
    ['Someone did a rug pull on me', 'admin term'],
  ])('makes a theft report urgent in the same message: %s (%s)', (text) => {
    expect(filterInbound(message({ text }), triage).escalation).toEqual({ reason: 'triage', labels: ['security'], by: 'desk.safety' });
  });

  it('leaves ordinary questions alone', () => {
    for (const text of ['How do I back up my recovery phrase?', '请问怎么备份助记词？', 'The hackathon starts at 10', 'Where is my deposit?']) {
      const m = message({ text });
      expect(filterInbound(m, triage)).toBe(m);
    }
  });

  it('redacts text files as text and keeps other files byte for byte', () => {
    const txt = filterFile({ name: 'backup.txt', mimeType: 'text/plain', bytes: Buffer.from(`wallet 1\n${phrase}\n`) });
    expect(txt.bytes.toString()).toBe('wallet 1\n[recovery phrase removed]\n');
    expect(txt.redactions).toEqual([{ kind: 'recovery-phrase', words: 12 }]);
    const png = Buffer.from(`\x89PNG ${phrase}`, 'latin1');
    expect(filterFile({ name: 'shot.png', mimeType: 'image/png', bytes: png }).bytes).toBe(png);
    const json = filterFile({ name: 'keys.json', mimeType: 'application/octet-stream', bytes: Buffer.from(JSON.stringify({ privateKey: 'f'.repeat(10) + 'e'.repeat(54) })) });
    expect(json.redactions).toEqual([{ kind: 'private-key' }]);
  });
});

describe('the detector, on generated input', () => {
  const lists = { english, simplified, traditional };
  const separator = fc.constantFrom(' ', ', ', '\n', '  ', ' - ', '，', '、');
  it('finds every checksum-valid phrase of every length and list, with any separator, inside prose', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(16, 20, 24, 28, 32),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.constantFrom<keyof typeof lists>('english', 'simplified', 'traditional'),
        separator,
        fc.constantFrom('', 'my phrase: ', '我的助记词：', 'Help!!\n', 'is this right? '),
        fc.boolean(),
        (bytes, entropy, list, sep, before, unspaced) => {
          const words = entropyToMnemonic(entropy.slice(0, bytes), lists[list]).split(' ');
          const joined = list !== 'english' && unspaced ? words.join('') : words.join(sep);
          const { text, redactions } = redact(`${before}${joined} thanks`);
          expect(redactions.map((r) => r.kind)).toEqual(['recovery-phrase']);
          expect(text).not.toContain(words.slice(0, 3).join(list === 'english' || !unspaced ? sep : ''));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('finds a phrase pasted twice, or followed by list words of its own, where the run is longer than any phrase', () => {
    // This phrase repeats words (9 different of 12): the run has too few different words to be "a phrase with a slip".
    const twice = redact(`help ${phrase} ${phrase}`);
    expect(twice.text).toBe('help [recovery phrase removed] [recovery phrase removed]');
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.integer({ min: 1, max: 12 }), separator, (entropy, extra, sep) => {
        const words = entropyToMnemonic(entropy, english).split(' ');
        const { redactions, text } = redact(`${words.join(sep)}${sep}${words.slice(0, extra).join(sep)}`);
        expect(redactions.length).toBeGreaterThanOrEqual(1);
        // Whatever is kept visible, it is never the phrase's first twelve words in order.
        expect(text).not.toContain(words.join(sep));
      }),
      { numRuns: 200 },
    );
  });

  it('never takes an unlabelled 64-hex string (a transaction hash) for a key', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.constantFrom('', '0x'), fc.constantFrom('tx', 'hash', 'txid', '交易哈希', 'transaction'), (bytes, prefix, label) => {
        const hash = prefix + Buffer.from(bytes).toString('hex');
        expect(redact(`${label}: ${hash} — where is my money?`).redactions).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('takes the same hex for a key when the text calls it one', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.constantFrom('private key', 'my privkey is', '私钥', 'secret:'), (bytes, label) => {
        expect(redact(`${label} ${Buffer.from(bytes).toString('hex')}`).redactions).toEqual([{ kind: 'private-key' }]);
      }),
      { numRuns: 200 },
    );
  });
});
