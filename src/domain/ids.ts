import { randomBytes } from 'node:crypto';

/**
 * Time-ordered ids (48-bit millisecond time + 80 random bits, Crockford base32, 26 chars):
 * sortable like the rows they name, unguessable, and free of `:`.
 */
const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';

export function newId(prefix?: string): string {
  let time = Date.now();
  let out = '';
  for (let i = 0; i < 10; i++) {
    out = alphabet[time % 32]! + out;
    time = Math.floor(time / 32);
  }
  const bytes = randomBytes(16);
  for (let i = 0; i < 16; i++) out += alphabet[bytes[i]! % 32]!;
  return prefix ? `${prefix}_${out}` : out;
}
