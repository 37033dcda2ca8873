import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { sameSecret } from '../../src/channels/kit/secret.js';
import { buildXml } from './inbound.js';

/*
 * WeChat's push signatures and the AES framing of 安全模式, written here rather than taken from an
 * SDK (STYLE §16): the technical plan of 消息加解密
 * (https://developers.weixin.qq.com/doc/subscription/guide/dev/push/encryption) and WeChat's
 * WXBizMsgCrypt sample code, checked against the official test vectors in test/unit/wechat.
 */

/**
 * SHA-1 hex of the parts sorted as strings and concatenated. Plain `signature` is
 * (token, timestamp, nonce); `msg_signature` adds the `Encrypt` text (接入指南, 消息加解密).
 */
export function wechatSignature(...parts: readonly string[]): string {
  return createHash('sha1').update([...parts].sort().join('')).digest('hex');
}

/** Constant-time comparison (STYLE §7, kit `sameSecret`); WeChat's hex may come in either case. */
export function signatureMatches(expected: string, given: string): boolean {
  return sameSecret(given.toLowerCase(), expected);
}

export type CryptoProblem = 'bad_key' | 'bad_base64' | 'bad_ciphertext' | 'bad_padding' | 'bad_length' | 'appid_mismatch' | 'not_utf8' | 'bad_signature';

export class WechatCryptoError extends Error {
  override readonly name = 'WechatCryptoError';
  constructor(
    readonly problem: CryptoProblem,
    message: string,
  ) {
    super(message);
  }
}

/** AESKey = Base64_Decode(EncodingAESKey + "="): 43 characters → 32 bytes, an AES-256 key. */
export function aesKey(encodingAESKey: string): Buffer {
  if (!/^[A-Za-z0-9+/]{43}$/.test(encodingAESKey)) throw new WechatCryptoError('bad_key', 'an EncodingAESKey is 43 base64 characters');
  return Buffer.from(`${encodingAESKey}=`, 'base64');
}

/**
 * WeChat pads PKCS#7-style to a multiple of **32** bytes, not AES's 16 (WXBizMsgCrypt
 * `PKCS7Encoder.block_size = 32`): 1–32 bytes, each holding the count. A block-aligned input gets
 * a full 32-byte block. Node's own padding (16) would produce ciphertexts WeChat rejects.
 */
export const PAD_BLOCK = 32;

export function pkcs7Pad(data: Buffer, block = PAD_BLOCK): Buffer {
  const count = block - (data.length % block);
  return Buffer.concat([data, Buffer.alloc(count, count)]);
}

export function pkcs7Unpad(data: Buffer, block = PAD_BLOCK): Buffer {
  const count = data.at(-1) ?? 0;
  if (count < 1 || count > block || count > data.length) throw new WechatCryptoError('bad_padding', 'invalid padding');
  for (let i = data.length - count; i < data.length; i += 1) {
    if (data[i] !== count) throw new WechatCryptoError('bad_padding', 'invalid padding');
  }
  return data.subarray(0, data.length - count);
}

/**
 * AES-256-CBC with IV = the first 16 key bytes over `random(16) ‖ length(4, big-endian) ‖
 * message ‖ appid`, base64. `random` is a parameter only so the official fixed-random vectors
 * can be checked.
 */
export function encryptMessage(message: string, key: Buffer, appId: string, random: Buffer = randomBytes(16)): string {
  if (random.length !== 16) throw new RangeError('random must be 16 bytes');
  const body = Buffer.from(message, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  const plain = pkcs7Pad(Buffer.concat([random, length, body, Buffer.from(appId, 'utf8')]));
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The inverse of `encryptMessage`; the caller checks the returned appid. The message is not trimmed. */
export function decryptMessage(encrypted: string, key: Buffer): { message: string; appId: string } {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encrypted) || encrypted.length % 4 !== 0) throw new WechatCryptoError('bad_base64', 'Encrypt is not base64');
  const data = Buffer.from(encrypted, 'base64');
  if (data.length === 0 || data.length % 16 !== 0) throw new WechatCryptoError('bad_ciphertext', 'the ciphertext is not a whole number of AES blocks');
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  decipher.setAutoPadding(false);
  const frame = pkcs7Unpad(Buffer.concat([decipher.update(data), decipher.final()]));
  if (frame.length < 20) throw new WechatCryptoError('bad_length', 'the decrypted frame is too short');
  const length = frame.readUInt32BE(16);
  if (20 + length > frame.length) throw new WechatCryptoError('bad_length', 'the message length does not fit the frame');
  try {
    return { message: strictUtf8.decode(frame.subarray(20, 20 + length)), appId: strictUtf8.decode(frame.subarray(20 + length)) };
  } catch {
    throw new WechatCryptoError('not_utf8', 'the decrypted message is not UTF-8');
  }
}

/**
 * Decrypts with the first key that works and checks the appid, so a message encrypted for another
 * account is refused. During a key rotation the FAQ says to keep the current and the previous
 * EncodingAESKey and to answer with whichever decrypted the push: that key is returned.
 */
export function openEncrypted(encrypted: string, keys: readonly Buffer[], appId: string): { message: string; key: Buffer } {
  let failure: WechatCryptoError | undefined;
  for (const key of keys) {
    try {
      const opened = decryptMessage(encrypted, key);
      if (opened.appId === appId) return { message: opened.message, key };
      failure = new WechatCryptoError('appid_mismatch', `the message is for AppID ${opened.appId.slice(0, 40)}, not ${appId}`);
    } catch (error) {
      if (!(error instanceof WechatCryptoError)) throw error;
      if (failure?.problem !== 'appid_mismatch') failure = error;
    }
  }
  throw failure ?? new WechatCryptoError('bad_key', 'no EncodingAESKey configured');
}

export interface Secrets {
  readonly token: string;
  /** Current key first, then the previous one. */
  readonly keys: readonly Buffer[];
  readonly appId: string;
}

/**
 * What safe mode sends: `msg_signature` over (token, timestamp, nonce, Encrypt) — the doc stresses
 * to check this one, not `signature` — then the decryption. The signature is checked before any
 * decryption, so nobody without the token can probe the padding.
 */
export function verifyAndDecrypt(sealed: { encrypt: string; msgSignature: string; timestamp: string; nonce: string }, secrets: Secrets): { message: string; key: Buffer } {
  const expected = wechatSignature(secrets.token, sealed.timestamp, sealed.nonce, sealed.encrypt);
  if (!signatureMatches(expected, sealed.msgSignature)) throw new WechatCryptoError('bad_signature', 'msg_signature does not match');
  return openEncrypted(sealed.encrypt, secrets.keys, secrets.appId);
}

/**
 * An encrypted passive reply: `<xml><Encrypt/><MsgSignature/><TimeStamp/><Nonce/></xml>`
 * (安全模式 回包; wechatpy tests/test_crypto.py shows the same layout), signed like a push.
 */
export function sealReply(replyXml: string, options: { token: string; key: Buffer; appId: string; timestamp: number; nonce: string; random?: Buffer }): string {
  const encrypt = encryptMessage(replyXml, options.key, options.appId, options.random);
  const signature = wechatSignature(options.token, String(options.timestamp), options.nonce, encrypt);
  return buildXml([
    ['Encrypt', encrypt],
    ['MsgSignature', signature],
    ['TimeStamp', options.timestamp],
    ['Nonce', options.nonce],
  ]);
}

