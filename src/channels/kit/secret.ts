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

/**
 * `sameSecret` against a secret fixed at start (a webhook's configured token): its digest is
 * computed once, so a request costs one hash, not two.
 */
export function secretMatcher(expected: string | Uint8Array): (given: string | Uint8Array | undefined) => boolean {
  if (expected.length === 0) return () => false;
  const wanted = digest(expected);
  return (given) => given !== undefined && timingSafeEqual(digest(given), wanted);
}
