import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, keylen: number, options: object) => Promise<Buffer>;

/**
 * scrypt (memory-hard, in node:crypto): N=2^15, r=8, p=1 uses 32 MiB per hash, the OWASP
 * password-storage recommendation. Stored as `scrypt$N$r$p$salt$hash` so parameters can change.
 */
const N = 2 ** 15;
const r = 8;
const p = 1;
const maxmem = 64 * 1024 * 1024;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password.normalize('NFKC'), salt, 32, { N, r, p, maxmem });
  return ['scrypt', N, r, p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

/** False for a wrong password and for any stored value that is not a hash we wrote. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, rr, pp, salt, hash, extra] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !rr || !pp || !salt || !hash || extra !== undefined) return false;
  const cost = Number(n);
  const blockSize = Number(rr);
  const parallel = Number(pp);
  const expected = Buffer.from(hash, 'base64url');
  // A damaged record must never verify: an empty digest would compare equal to an empty result.
  if (expected.length !== 32) return false;
  if (!Number.isInteger(cost) || cost < 2 ** 14 || cost > 2 ** 20 || (cost & (cost - 1)) !== 0) return false;
  if (!Number.isInteger(blockSize) || blockSize < 1 || blockSize > 32 || !Number.isInteger(parallel) || parallel < 1 || parallel > 16) return false;
  try {
    const actual = await scrypt(password.normalize('NFKC'), Buffer.from(salt, 'base64url'), expected.length, {
      N: cost,
      r: blockSize,
      p: parallel,
      maxmem: Math.max(maxmem, 256 * cost * blockSize),
    });
    return timingSafeEqual(actual, expected);
  } catch {
    return false;
  }
}

/** A password a human can type from the console once. */
export function generatePassword(): string {
  return randomBytes(15).toString('base64url');
}
