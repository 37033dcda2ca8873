import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyUserHash } from '../../../adapters/webchat/session.js';

const SECRET = 'identity-secret-0123456789';
const USER = 'user-42@example.com';
const hash = createHmac('sha256', SECRET).update(USER).digest('hex');

describe('verifyUserHash', () => {
  it('accepts hex(HMAC-SHA256(secret, userId))', () => {
    expect(verifyUserHash(SECRET, USER, hash)).toBe(true);
  });

  it('accepts the same hash in upper-case hex', () => {
    expect(verifyUserHash(SECRET, USER, hash.toUpperCase())).toBe(true);
  });

  it('accepts a non-ASCII user id hashed as UTF-8', () => {
    const id = '用户-😀';
    expect(verifyUserHash(SECRET, id, createHmac('sha256', SECRET).update(id, 'utf8').digest('hex'))).toBe(true);
  });

  it('refuses the hash of another user id', () => {
    expect(verifyUserHash(SECRET, 'user-43@example.com', hash)).toBe(false);
  });

  it('refuses a hash made with another secret', () => {
    expect(verifyUserHash(SECRET, USER, createHmac('sha256', 'other-secret-xxxxxxxx').update(USER).digest('hex'))).toBe(false);
  });

  it('refuses a hash with one hex digit changed', () => {
    const changed = (hash[0] === '0' ? '1' : '0') + hash.slice(1);
    expect(verifyUserHash(SECRET, USER, changed)).toBe(false);
  });

  it.each([
    ['one digit short', hash.slice(0, -1)],
    ['one digit long', `${hash}0`],
    ['empty', ''],
    ['base64 instead of hex', createHmac('sha256', SECRET).update(USER).digest('base64')],
  ])('refuses a hash that is %s, without throwing', (_label, given) => {
    expect(verifyUserHash(SECRET, USER, given)).toBe(false);
  });
});
