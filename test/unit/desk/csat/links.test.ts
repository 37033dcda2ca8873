import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { linkKey, signLink, verifyLink } from '../../../../src/desk/csat/links.js';

const key = linkKey('a server secret of at least thirty-two characters');
const now = new Date('2027-01-10T12:00:00Z');
const later = new Date('2027-01-17T12:00:00Z');
const claims = { surveyId: '01m97svrp4tp9qzrj2qz43rkrz', rating: 4, expiresAt: later };

describe('signed rating links', () => {
  it('a signed link verifies to its survey, score and expiry', () => {
    const checked = verifyLink(key, signLink(key, claims), now);
    expect(checked).toEqual({ ok: true, claims: { ...claims, expiresAt: new Date(Math.floor(later.getTime() / 1000) * 1000) } });
  });

  it('expires', () => {
    expect(verifyLink(key, signLink(key, claims), new Date(later.getTime() + 1000))).toEqual({ ok: false, reason: 'expired' });
  });

  it('another server’s key, another survey or another score do not verify', () => {
    const token = signLink(key, claims);
    const [survey, rating, expiry, sig] = token.split('.') as [string, string, string, string];
    expect(verifyLink(linkKey('another server secret, also thirty-two characters'), token, now)).toEqual({ ok: false, reason: 'forged' });
    expect(verifyLink(key, `${survey.replace(/.$/, (c) => (c === 'a' ? 'b' : 'a'))}.${rating}.${expiry}.${sig}`, now)).toEqual({ ok: false, reason: 'forged' });
    expect(verifyLink(key, `${survey}.5.${expiry}.${sig}`, now)).toEqual({ ok: false, reason: 'forged' });
    expect(verifyLink(key, `${survey}.${rating}.${(parseInt(expiry, 36) + 86_400).toString(36)}.${sig}`, now)).toEqual({ ok: false, reason: 'forged' });
  });

  it('any change to a token is refused; malformed input never throws', () => {
    const token = signLink(key, claims);
    fc.assert(
      fc.property(fc.nat({ max: token.length - 1 }), fc.constantFrom(...'0123456789abcdefghjkmnpqrstvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-.'), (at, char) => {
        const changed = token.slice(0, at) + char + token.slice(at + 1);
        fc.pre(changed !== token);
        expect(verifyLink(key, changed, now).ok).toBe(false);
      }),
      { numRuns: 3_000 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        expect(verifyLink(key, text, now).ok).toBe(false);
      }),
    );
  });
});
