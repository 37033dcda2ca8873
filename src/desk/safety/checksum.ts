import { createHash } from 'node:crypto';
import type { Wordlist } from './wordlists.js';

const sha256 = (data: Uint8Array): Buffer => createHash('sha256').update(data).digest();

/** Phrase lengths BIP39 defines (128 to 256 bits of entropy). */
export const PHRASE_LENGTHS: ReadonlySet<number> = new Set([12, 15, 18, 21, 24]);

/**
 * Whether the words carry a valid BIP39 checksum: the last `length / 3` bits of the 11-bit word
 * indices are the first bits of SHA-256 over the entropy before them (BIP39 "Generating the
 * mnemonic"). Words must all be in `list`.
 */
export function validChecksum(words: readonly string[], list: Wordlist): boolean {
  if (!PHRASE_LENGTHS.has(words.length)) return false;
  let bits = '';
  for (const word of words) {
    const index = list.index.get(word);
    if (index === undefined) return false;
    bits += index.toString(2).padStart(11, '0');
  }
  const checksumBits = words.length / 3;
  const entropyBits = bits.length - checksumBits;
  const entropy = new Uint8Array(entropyBits / 8);
  for (let i = 0; i < entropy.length; i++) entropy[i] = Number.parseInt(bits.slice(i * 8, i * 8 + 8), 2);
  const hash = sha256(entropy)[0]!.toString(2).padStart(8, '0');
  return bits.slice(entropyBits) === hash.slice(0, checksumBits);
}
