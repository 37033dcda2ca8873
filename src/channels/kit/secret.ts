import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string | Uint8Array): Buffer => createHash('sha256').update(value).digest();

/**
 * Whether a secret a request carries (a webhook token, a signature) equals the expected one, in
 * constant time. Both sides are hashed first: timingSafeEqual needs equal lengths, and comparing
 * lengths would leak the expected one. An empty expected secret never matches.
 */
export function sameSecret(given: string | Uint8Array | undefined, expected: string | Uint8Array): boolean {
  if (given === undefined || expected.length === 0) return false;
  return timingSafeEqual(digest(given), digest(expected));
}
