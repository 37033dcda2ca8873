import { describe, expect, it } from 'vitest';
import { createReplyGuard } from '../../../../src/desk/safety/guard.js';
import { builtInRules } from '../../../../src/desk/safety/rules.js';

const guard = createReplyGuard(builtInRules, []);
const check = (text: string, isPrivate = false) => guard.check(text, { private: isPrivate });
const phrase = 'abandon ability able about above absent absorb abstract absurd abuse access accident';

describe('the reply guard', () => {
  it.each([
    'please send me your 助记词',
    'Please send me your recovery phrase so we can restore the wallet.',
    'To verify the account, reply with your 12 words.',
    'What is your private key?',
    'We need your seed phrase to check it.',
    'Could you share the verification code you just got?',
    'Give me your password and I will log in for you.',
    '请提供您的私钥',
    '把助记词发给我们，我们帮您恢复',
    '请告诉我您的验证码',
    '請提供您的私鑰',
    'Hi! Kindly paste your secret recovery phrase here.',
  ])('refuses a request for a secret: %s', (text) => {
    expect(check(text)).toBe('asks-for-secret');
  });

  it.each([
    'never share your recovery phrase',
    'Never share your recovery phrase with anyone, not even with us.',
    'We will never ask for your private key or password.',
    '请不要把助记词发给任何人',
    '我们的客服绝不会索要您的私钥。',
    'Please send us the transaction hash and the time of the transfer.',
    'Could you share a screenshot of the error? Do not include your seed phrase.',
    'Your password reset link was sent to your email.',
    '请提供交易哈希和转账时间',
    'Thanks, we got the address. Give us a few minutes.',
  ])('lets advice and ordinary requests through: %s', (text) => {
    expect(check(text)).toBeUndefined();
  });

  it('refuses a reply holding a secret, and a note too; a note may discuss a request', () => {
    expect(check(`Is this yours? ${phrase}`)).toBe('contains-secret');
    expect(check(`customer pasted ${phrase}`, true)).toBe('contains-secret');
    expect(check('the scammer told him: send me your seed phrase', true)).toBeUndefined();
  });

  it("takes an admin's allowed phrasing out before checking", () => {
    const allowing = createReplyGuard(builtInRules, ['enter your password in the app']);
    expect(allowing.check('Please enter your password in the app to unlock it.', { private: false })).toBeUndefined();
    expect(allowing.check('Please enter your password here.', { private: false })).toBe('asks-for-secret');
  });
});
