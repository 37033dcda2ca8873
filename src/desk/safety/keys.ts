import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import { base58, createBase58check } from '@scure/base';

/** Private keys in free text, by format (DESIGN §10 `redactions[].kind`). */
export type KeyKind = 'private-key' | 'extended-key' | 'wif' | 'keystore' | 'solana-key';

export interface KeyMatch {
  readonly kind: KeyKind;
  readonly start: number;
  readonly end: number;
}

const sha256 = (data: Uint8Array): Uint8Array => createHash('sha256').update(data).digest();
/** Base58 with a 4-byte double-SHA-256 checksum (Bitcoin's base58check, used by WIF and BIP32). */
const base58check = createBase58check(sha256);

const B58 = '1-9A-HJ-NP-Za-km-z';

/**
 * 64 hex digits are a private key only when the text calls them one; otherwise they are what
 * support asks for — a transaction hash — and stay. 128 hex digits called a seed are one too.
 */
const HEX_KEY = /(?<![0-9a-fA-F])(?:0x)?(?:[0-9a-fA-F]{64}|[0-9a-fA-F]{128})(?![0-9a-fA-F])/g;
const KEY_LABEL = /(private[\s_-]*key|priv[\s_-]*key|privkey|\bpriv\b|\bsecret\b|secret[\s_-]*key|\bseed\b|私钥|密钥|秘钥|私匙|种子)/i;
/** How far from the hex digits the label may stand (the same sentence, roughly). */
const LABEL_REACH = 48;

/** WIF: base58check of 0x80 (mainnet) or 0xef (testnet) + 32 bytes (+ 0x01 when compressed): 5…, K…/L…, 9…, c…. */
const WIF = new RegExp(`(?<![${B58}])[5KL9c][${B58}]{50,51}(?![${B58}])`, 'g');
/** BIP32/SLIP-132 extended private keys (xprv, yprv, zprv, tprv, uprv, vprv and multisig Yprv/Zprv/Uprv/Vprv). */
const EXTENDED = new RegExp(`(?<![${B58}])(?:[xyztuv]prv|[YZUV]prv)[${B58}]{100,108}(?![${B58}])`, 'g');
/** A Solana keypair as base58 (64 bytes: ed25519 seed + public key). */
const SOLANA_B58 = new RegExp(`(?<![${B58}])[${B58}]{85,90}(?![${B58}])`, 'g');
/** A Solana keypair as the CLI writes it: a JSON array of 64 byte values. */
const SOLANA_ARRAY = /\[\s*(?:\d{1,3}\s*,\s*){63}\d{1,3}\s*\]/g;

function decodes(value: string, check: (bytes: Uint8Array) => boolean): boolean {
  try {
    return check(base58check.decode(value));
  } catch {
    return false;
  }
}

const isWif = (value: string): boolean =>
  decodes(value, (b) => (b[0] === 0x80 || b[0] === 0xef) && (b.length === 33 || (b.length === 34 && b[33] === 0x01)));

const isExtendedPrivate = (value: string): boolean => decodes(value, (b) => b.length === 78 && b[45] === 0x00);

const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * 64 bytes are a Solana keypair when the last 32 are the ed25519 public key of the first 32 —
 * which tells a secret key from a transaction signature (also 64 bytes in base58, and something
 * support asks for).
 */
export function isEd25519Keypair(bytes: Uint8Array): boolean {
  if (bytes.length !== 64) return false;
  try {
    const key = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, bytes.subarray(0, 32)]), format: 'der', type: 'pkcs8' });
    const spki = createPublicKey(key).export({ format: 'der', type: 'spki' });
    return Buffer.from(spki.subarray(spki.length - 32)).equals(Buffer.from(bytes.subarray(32)));
  } catch {
    return false;
  }
}

function isSolanaBase58(value: string): boolean {
  try {
    return isEd25519Keypair(base58.decode(value));
  } catch {
    return false;
  }
}

function isSolanaArray(value: string): boolean {
  const numbers = value.slice(1, -1).split(',').map((n) => Number(n.trim()));
  return numbers.length === 64 && numbers.every((n) => Number.isInteger(n) && n >= 0 && n <= 255) && isEd25519Keypair(Uint8Array.from(numbers));
}

/**
 * Ethereum keystore (Web3 Secret Storage) JSON objects: `crypto` with `ciphertext` and a KDF. The
 * file is encrypted, but a password is all that stands between it and the funds.
 */
function keystores(text: string): KeyMatch[] {
  if (!/ciphertext/i.test(text)) return [];
  const out: KeyMatch[] = [];
  for (let open = text.indexOf('{'); open >= 0; open = text.indexOf('{', open + 1)) {
    const close = matchingBrace(text, open);
    if (close < 0) continue;
    let value: unknown;
    try {
      value = JSON.parse(text.slice(open, close + 1));
    } catch {
      continue;
    }
    if (isKeystore(value)) {
      out.push({ kind: 'keystore', start: open, end: close + 1 });
      open = close;
    }
  }
  return out;
}

function isKeystore(value: unknown): boolean {
  if (!value || typeof value !== 'object') return false;
  const record = value as Record<string, unknown>;
  const crypto = (record.crypto ?? record.Crypto) as Record<string, unknown> | undefined;
  return !!crypto && typeof crypto === 'object' && typeof crypto.ciphertext === 'string' && (typeof crypto.kdf === 'string' || typeof crypto.kdfparams === 'object');
}

/** The `}` closing the `{` at `open`, skipping strings; -1 when unbalanced. */
function matchingBrace(text: string, open: number): number {
  let depth = 0;
  let inString = false;
  for (let i = open; i < text.length && i < open + 20_000; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

/**
 * Every format needs a run of 50+ letters and digits (hex keys 64, WIF 51, extended keys 111,
 * Solana 85+), an array of numbers or a keystore's `ciphertext`: texts without any skip the rest.
 */
function mayHoldKey(text: string): boolean {
  let run = 0;
  let brace = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) {
      if (++run >= 50) return true;
      continue;
    }
    run = 0;
    if (c === 91) return true; // [
    if (c === 123) brace = true; // {
  }
  return brace && /ciphertext/i.test(text);
}

/** Every private key in the text, by format; unlabelled hex (a transaction hash) is not one. */
export function findKeys(text: string): KeyMatch[] {
  if (!mayHoldKey(text)) return [];
  const out: KeyMatch[] = [];
  for (const m of text.matchAll(HEX_KEY)) {
    const before = text.slice(Math.max(0, m.index - LABEL_REACH), m.index);
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + LABEL_REACH);
    if (KEY_LABEL.test(before) || KEY_LABEL.test(after)) out.push({ kind: 'private-key', start: m.index, end: m.index + m[0].length });
  }
  for (const m of text.matchAll(WIF)) if (isWif(m[0])) out.push({ kind: 'wif', start: m.index, end: m.index + m[0].length });
  for (const m of text.matchAll(EXTENDED)) if (isExtendedPrivate(m[0])) out.push({ kind: 'extended-key', start: m.index, end: m.index + m[0].length });
  for (const m of text.matchAll(SOLANA_B58)) if (isSolanaBase58(m[0])) out.push({ kind: 'solana-key', start: m.index, end: m.index + m[0].length });
  for (const m of text.matchAll(SOLANA_ARRAY)) if (isSolanaArray(m[0])) out.push({ kind: 'solana-key', start: m.index, end: m.index + m[0].length });
  out.push(...keystores(text));
  return out.sort((a, b) => a.start - b.start);
}
