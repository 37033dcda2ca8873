import { entropyToMnemonic } from '@scure/bip39';
import { wordlist as english } from '@scure/bip39/wordlists/english.js';
import { wordlist as simplified } from '@scure/bip39/wordlists/simplified-chinese.js';
import { describe, expect, it } from 'vitest';
import { createMasker, identifyingTerms, restoreName } from '../../../../src/desk/drafts/redact.js';

const wang = { name: 'Wang Fang', email: 'fang.wang@example.com', handles: ['@wangfang88'] };
const en = createMasker(wang, 'en');

describe('what a draft sends: the contact masked', () => {
  it('masks emails, the contact\'s own address included even when not shaped like one', () => {
    expect(en('write to fang.wang@example.com or FANG.WANG@EXAMPLE.COM, cc ops+urgent@mail.example.cn')).toBe('write to [email] or [email], cc [email]');
    const odd = createMasker({ name: 'A', email: 'root@localhost', handles: [] }, 'en');
    expect(odd('my login is root@localhost')).toBe('my login is [email]');
  });

  it.each([
    ['+86 138 0013 8000', '[phone]'],
    ['+1 (415) 555-2671', '[phone]'],
    ['+44 20 7946 0958', '[phone]'],
    ['13800138000', '[phone]'],
    ['138-0013-8000', '[phone]'],
    ['(415) 555-2671', '[phone]'],
    ['415-555-2671', '[phone]'],
    ['010-12345678', '[phone]'],
  ])('masks the phone number %s', (phone, masked) => {
    expect(en(`call me on ${phone} please`)).toBe(`call me on ${masked} please`);
  });

  it('masks a number after a phone label, in English and Chinese', () => {
    expect(en('phone: 4155552671')).toBe('phone: [phone]');
    expect(en('WhatsApp 07911 123456 anytime')).toBe('WhatsApp [phone] anytime');
    expect(createMasker(wang, 'zh')('我的手机号是15912345678，谢谢')).toBe('我的手机号是[电话]，谢谢');
    expect(createMasker(wang, 'zh')('联系电话：0755-8765432')).toBe('联系电话：[电话]');
  });

  it('masks the name, its parts and the handles, in any case, but not inside other words', () => {
    expect(en('Hi Wang Fang! wang here, @wangfang88 on Telegram (wangfang88). Fangs and Wangaratta stay.')).toBe(
      'Hi [customer name]! [customer name] here, [customer name] on Telegram ([customer name]). Fangs and Wangaratta stay.',
    );
    const zh = createMasker({ name: '王芳', handles: [] }, 'zh');
    expect(zh('您好王芳，我是客服')).toBe('您好[客户姓名]，我是客服');
  });

  it('leaves placeholder names alone (a contact the platform named nothing)', () => {
    expect(identifyingTerms({ name: 'Customer', handles: [] })).toEqual([]);
    expect(createMasker({ name: 'Customer', handles: [] }, 'en')('The customer wrote')).toBe('The customer wrote');
  });

  it('removes a recovery phrase or a private key again, in the language of the markers', () => {
    const phrase = entropyToMnemonic(new Uint8Array(16).fill(3), english);
    expect(en(`my words: ${phrase}`)).toBe('my words: [recovery phrase removed]');
    const zhPhrase = entropyToMnemonic(new Uint8Array(16).fill(5), simplified).replaceAll(' ', '');
    expect(createMasker(wang, 'zh')(`助记词${zhPhrase}`)).toBe('助记词[助记词已移除]');
    expect(en(`privkey ${'ab'.repeat(32)}`)).toBe('privkey [private key removed]');
  });

  it('keeps what support works with: hashes, addresses, amounts, dates, times, block numbers', () => {
    const text =
      'Sent 250 USDT (1,000,000.50 sats, 0.00012345 BTC) to 0x52908400098527886E0F7030069857D2E4169EE7 on 2026-12-05 at 10:32, ' +
      'tx 0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060, block 19234567, TRON TJRabPrwbZy45sbavfcjinPJC18kjpRTv8, order 20261205-0001';
    expect(en(text)).toBe(text);
  });
});

describe('the draft coming back', () => {
  it('greets the customer by name again (the draft stays on the server)', () => {
    expect(restoreName('Hi [customer name], thanks! / 您好[客户姓名]', wang)).toBe('Hi Wang Fang, thanks! / 您好Wang Fang');
    expect(restoreName('Hi [customer name]', { name: 'Customer', handles: [] })).toBe('Hi [customer name]');
  });
});
