import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Identity link codes (issue 17): what the app's backend shows its logged-in user, who sends it
 * to us on a channel. A code is a random nonce (10 bytes) and a MAC of it (the first 5 bytes of
 * HMAC-SHA256 with a key derived from the server's secret), both in RFC 4648 base32: 24 letters
 * and digits 2–7, read case-insensitively, so it fits Telegram's `start` parameter
 * (`[A-Za-z0-9_-]{1,64}`, https://core.telegram.org/bots/features#deep-linking) and can be typed
 * from a phone screen. The MAC turns away a guessed or mistyped code without a database read;
 * the nonce row (`identity_links`) makes it expire and work once.
 */

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const NONCE_BYTES = 10;
const MAC_BYTES = 5;
/** 16 characters of nonce, 8 of MAC. */
export const NONCE_LENGTH = (NONCE_BYTES * 8) / 5;
export const MAC_LENGTH = (MAC_BYTES * 8) / 5;
export const CODE_LENGTH = NONCE_LENGTH + MAC_LENGTH;
/** What replaces the MAC in the stored message: the code cannot be replayed from the record. */
export const MAC_MASK = '*'.repeat(MAC_LENGTH);

/** The codes' own key: a leaked link key never signs survey links or sessions, and the other way round. */
export const identityKey = (secretKey: string): Buffer => createHmac('sha256', secretKey).update('switchboard/identity-link/v1').digest();

function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

const macOf = (key: Buffer, nonce: string): string => base32(createHmac('sha256', key).update(`identity.${nonce}`).digest().subarray(0, MAC_BYTES));

/** A new code: its nonce (the row's key) and the code as shown (upper case). */
export function newCode(key: Buffer): { nonce: string; code: string } {
  const nonce = base32(randomBytes(NONCE_BYTES));
  return { nonce, code: `${nonce}${macOf(key, nonce)}`.toUpperCase() };
}

export type CodeCheck = { ok: true; nonce: string } | { ok: false; reason: 'malformed' | 'forged' };

/** Checks a code's form and MAC (dashes and case ignored); not whether it expired or was used. */
export function verifyCode(key: Buffer, given: string): CodeCheck {
  const code = given.replace(/-/g, '').toLowerCase();
  if (code.length !== CODE_LENGTH || !/^[a-z2-7]+$/.test(code)) return { ok: false, reason: 'malformed' };
  const nonce = code.slice(0, NONCE_LENGTH);
  const expected = Buffer.from(macOf(key, nonce));
  if (!timingSafeEqual(expected, Buffer.from(code.slice(NONCE_LENGTH)))) return { ok: false, reason: 'forged' };
  return { ok: true, nonce };
}

/**
 * Where a customer's message carries a code: Telegram's `/start <code>` (a deep link's tap), or
 * a message that is only the code, optionally after "link" or "绑定". `masked` says the MAC was
 * already checked and removed by the inbound filter (the stored form).
 */
export type CodeMessage = { kind: 'code'; code: string; prefix: string } | { kind: 'masked'; nonce: string; prefix: string };

const MESSAGE = /^\s*(\/start(?:@[A-Za-z0-9_]{1,64})?\s+|link\s*[:：]?\s*|绑定\s*[:：]?\s*)?([A-Za-z2-7][A-Za-z2-7*-]{22,38}[A-Za-z2-7*])\s*$/i;

export function codeMessageOf(text: string): CodeMessage | undefined {
  if (text.length > 200) return undefined;
  const match = MESSAGE.exec(text);
  if (!match) return undefined;
  const prefix = match[1] ?? '';
  const body = match[2]!;
  if (body.endsWith(MAC_MASK)) {
    const nonce = body.slice(0, -MAC_MASK.length).replace(/-/g, '').toLowerCase();
    return nonce.length === NONCE_LENGTH && /^[a-z2-7]+$/.test(nonce) ? { kind: 'masked', nonce, prefix } : undefined;
  }
  if (body.includes('*')) return undefined;
  const compact = body.replace(/-/g, '');
  return compact.length === CODE_LENGTH ? { kind: 'code', code: compact, prefix } : undefined;
}

/**
 * The stored form of a message with a valid code: the MAC replaced by `********`, so the record
 * (database, search, webhooks, the agent's screen) never holds a usable code. A code whose MAC
 * does not verify is kept as written: it links nothing, and the agent sees what was sent.
 */
export function maskCode(key: Buffer, text: string): string {
  const found = codeMessageOf(text);
  if (found?.kind !== 'code') return text;
  const checked = verifyCode(key, found.code);
  if (!checked.ok) return text;
  return `${found.prefix}${checked.nonce.toUpperCase()}${MAC_MASK}`;
}
