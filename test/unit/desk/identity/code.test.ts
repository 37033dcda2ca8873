import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CODE_LENGTH, codeMessageOf, identityKey, maskCode, newCode, verifyCode } from '../../../../src/desk/identity/code.js';

const key = identityKey('a-server-secret-of-at-least-32-chars!');
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const codeChars = fc.array(fc.constantFrom(...ALPHABET), { minLength: CODE_LENGTH, maxLength: CODE_LENGTH }).map((a) => a.join(''));

describe('identity link codes', () => {
  it("fit Telegram's start parameter, are 24 base32 characters, and verify with their key only", () => {
    for (let i = 0; i < 200; i += 1) {
      const { code, nonce } = newCode(key);
      expect(code).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
      expect(code).toMatch(/^[A-Z2-7]{24}$/);
      expect(verifyCode(key, code)).toEqual({ ok: true, nonce });
      expect(verifyCode(key, code.toLowerCase())).toEqual({ ok: true, nonce });
      expect(verifyCode(identityKey('another-server-secret-of-32-chars!!'), code)).toEqual({ ok: false, reason: 'forged' });
    }
  });

  it('no forged code verifies: any 24 characters of the alphabet that we did not sign are refused', () => {
    const signed = new Set(Array.from({ length: 50 }, () => newCode(key).code));
    fc.assert(
      fc.property(codeChars, (candidate) => {
        fc.pre(!signed.has(candidate));
        expect(verifyCode(key, candidate).ok).toBe(false);
      }),
      { numRuns: 5000 },
    );
  });

  it('changing any one character of a real code makes it fail', () => {
    const { code } = newCode(key);
    fc.assert(
      fc.property(fc.nat(CODE_LENGTH - 1), fc.constantFrom(...ALPHABET), (at, char) => {
        fc.pre(code[at] !== char);
        expect(verifyCode(key, `${code.slice(0, at)}${char}${code.slice(at + 1)}`).ok).toBe(false);
      }),
    );
  });

  it('is found in /start, as the whole message, after "link" or "绑定"; not inside other text', () => {
    const { code } = newCode(key);
    for (const text of [`/start ${code}`, `/start@WalletHelpBot ${code}`, code, ` ${code.toLowerCase()} `, `link ${code}`, `LINK: ${code}`, `绑定 ${code}`, `绑定：${code}`]) {
      expect(codeMessageOf(text), text).toMatchObject({ kind: 'code' });
    }
    for (const text of [`my code is ${code}`, `${code} thanks`, code.slice(1), `${code}A`, 'hello', '/start', `${code.slice(0, 16)}*******`]) {
      expect(codeMessageOf(text), text).toBeUndefined();
    }
  });

  it('the stored form keeps the nonce and masks the MAC; a forged code is kept as written', () => {
    const { code, nonce } = newCode(key);
    const masked = maskCode(key, `/start ${code}`);
    expect(masked).toBe(`/start ${nonce.toUpperCase()}********`);
    expect(masked).not.toContain(code);
    expect(codeMessageOf(masked)).toEqual({ kind: 'masked', nonce, prefix: '/start ' });
    const forged = `${code.slice(0, -1)}${code.endsWith('A') ? 'B' : 'A'}`;
    expect(maskCode(key, forged)).toBe(forged);
    expect(maskCode(key, 'just a question')).toBe('just a question');
  });
});
