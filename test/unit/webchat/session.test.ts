import { describe, expect, it } from 'vitest';
import { issueVisitorToken, verifyVisitorToken, type VisitorClaims } from '../../../adapters/webchat/session.js';

const SECRET = 'test-secret-0123456789abcdefghijklmnop';
const NOW = Date.UTC(2025, 0, 1);
const claims: VisitorClaims = { c: 'web', v: 'anon-1234', n: '李雷', exp: NOW / 1000 + 3600 };

/** Replaces the character at `index` with a different base64url character. */
function flip(text: string, index: number): string {
  const replacement = text[index] === 'A' ? 'B' : 'A';
  return text.slice(0, index) + replacement + text.slice(index + 1);
}

describe('visitor token', () => {
  it('a freshly issued token verifies and returns its claims', () => {
    const token = issueVisitorToken(SECRET, claims);
    expect(verifyVisitorToken(SECRET, token, 'web', NOW)).toEqual(claims);
  });

  it('a token for channel A is refused for channel B', () => {
    const token = issueVisitorToken(SECRET, claims);
    expect(verifyVisitorToken(SECRET, token, 'other', NOW)).toBeUndefined();
  });

  it('is accepted just before exp and refused from exp on', () => {
    const token = issueVisitorToken(SECRET, { ...claims, exp: 2_000_000 });
    expect(verifyVisitorToken(SECRET, token, 'web', 2_000_000_000 - 1)).toBeDefined();
    expect(verifyVisitorToken(SECRET, token, 'web', 2_000_000_000)).toBeUndefined();
    expect(verifyVisitorToken(SECRET, token, 'web', 3_000_000_000)).toBeUndefined();
  });

  it('a token signed with another secret is refused', () => {
    const token = issueVisitorToken('another-secret-0123456789abcdefghij', claims);
    expect(verifyVisitorToken(SECRET, token, 'web', NOW)).toBeUndefined();
  });
});

describe('tampered visitor tokens are refused', () => {
  const token = issueVisitorToken(SECRET, claims);
  const [payload, signature] = token.split('.') as [string, string];

  it.each([0, 5, payload.length - 1])('payload changed at character %i', (index) => {
    expect(verifyVisitorToken(SECRET, `${flip(payload, index)}.${signature}`, 'web', NOW)).toBeUndefined();
  });

  it.each([0, 5, signature.length - 1])('signature changed at character %i', (index) => {
    expect(verifyVisitorToken(SECRET, `${payload}.${flip(signature, index)}`, 'web', NOW)).toBeUndefined();
  });

  it('claims swapped for another visitor under the original signature', () => {
    const forged = Buffer.from(JSON.stringify({ ...claims, v: 'anon-victim' })).toString('base64url');
    expect(verifyVisitorToken(SECRET, `${forged}.${signature}`, 'web', NOW)).toBeUndefined();
  });

  it('a validly signed payload that lacks required claims', () => {
    const partial = issueVisitorToken(SECRET, { c: 'web', v: 'anon-1' } as VisitorClaims);
    expect(verifyVisitorToken(SECRET, partial, 'web', NOW)).toBeUndefined();
  });
});

describe('garbage tokens are refused without throwing', () => {
  it.each(['', '.', 'a.b', 'a.b.c', `${issueVisitorToken(SECRET, claims)}.extra`, 'x'.repeat(5000), '😀.😀', 'no-dot-at-all'])(
    '%j',
    (garbage) => {
      expect(() => verifyVisitorToken(SECRET, garbage, 'web', NOW)).not.toThrow();
      expect(verifyVisitorToken(SECRET, garbage, 'web', NOW)).toBeUndefined();
    },
  );
});
