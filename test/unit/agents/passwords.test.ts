import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../../src/agents/passwords.js';

describe('hashPassword / verifyPassword', () => {
  it('a hash verifies its own password', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
  });

  it('a wrong password does not verify', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
  });

  it('two hashes of the same password differ (random salt) and both verify', async () => {
    const [a, b] = await Promise.all([hashPassword('same password'), hashPassword('same password')]);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same password', a)).toBe(true);
    expect(await verifyPassword('same password', b)).toBe(true);
  });

  it('is NFKC-normalised: full-width "ｐａｓｓ" verifies against the hash of "pass"', async () => {
    expect(await verifyPassword('ｐａｓｓ', await hashPassword('pass'))).toBe(true);
  });
});

describe('verifyPassword with a malformed stored hash returns false instead of throwing', () => {
  it.each([
    ['empty', ''],
    ['not a hash', 'garbage'],
    ['another scheme', '$2b$10$abcdefghijklmnopqrstuv'],
    ['missing parts', 'scrypt$32768$8$1'],
    ['non-numeric N', 'scrypt$abc$8$1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA'],
    ['N not a power of two', 'scrypt$3$8$1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA'],
    ['negative r', 'scrypt$16384$-1$1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA'],
    ['N beyond the memory limit', 'scrypt$1048576$8$1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA'],
  ])('%s', async (_label, stored) => {
    await expect(verifyPassword('pass', stored)).resolves.toBe(false);
  });

  it('a stored digest that decodes to zero bytes accepts no password', async () => {
    // "a" is one base64url character: it decodes to an empty buffer.
    await expect(verifyPassword('any password at all', 'scrypt$16384$8$1$c2FsdHNhbHRzYWx0$a')).resolves.toBe(false);
  });
});
