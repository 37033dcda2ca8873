import { createCipheriv, createHash, randomBytes, randomInt } from 'node:crypto';

/**
 * 明文 (plain), 兼容 (plain fields plus <Encrypt>) or 安全 (only <Encrypt>) mode, as chosen in
 * 服务器配置 (https://developers.weixin.qq.com/doc/subscription/guide/dev/push/encryption).
 */
export type PushMode = 'plain' | 'compatible' | 'safe';

export interface PushAttempt {
  /** HTTP status, or what happened instead. */
  status: number | 'timeout' | 'network';
  body: string;
  /** Time until the answer (or the give-up). */
  ms: number;
}

export interface PushOptions {
  mode?: PushMode;
  /** Encrypt with this EncodingAESKey instead of the configured one (a key rotation). */
  encodingAESKey?: string;
  /** Encrypt for this AppID instead of the configured one. */
  appId?: string;
  /** Use this instead of the computed signature; null leaves it out. */
  signature?: string | null;
  msgSignature?: string | null;
  /** Unix seconds in the URL (default: now). */
  timestamp?: number;
  /** Changes the ciphertext after signing (a body forged in transit). */
  tamperEncrypt?: boolean;
  /** Send these bytes as the body instead of the (encrypted) message, still signed for `mode`. */
  rawBody?: string;
  attempts?: number;
  timeoutMs?: number;
}

/**
 * WeChat's push side: signs the URL (and in 兼容/安全 mode encrypts the body and adds
 * `encrypt_type=aes&msg_signature`) and POSTs to the webhook. Like WeChat it gives up on an
 * answer after 5 s and tries 3 times in all (被动回复用户消息); 4xx answers are final here. Each
 * attempt's answer time is recorded. The signing and AES framing are written again here on
 * purpose — a fake that reused the adapter's code would agree with any bug in it.
 */
export class FakeWechatPusher {
  /** Every attempt of every push, in order. */
  readonly attempts: PushAttempt[] = [];

  constructor(
    readonly options: { url: string; token: string; appId: string; encodingAESKey?: string; mode?: PushMode; account?: string },
  ) {}

  async push(xml: string, options: PushOptions = {}): Promise<PushAttempt[]> {
    const mode = options.mode ?? this.options.mode ?? 'plain';
    const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
    const nonce = String(randomInt(100_000_000, 2_000_000_000));
    const openId = /<FromUserName><!\[CDATA\[([^\]]*)\]\]><\/FromUserName>/.exec(xml)?.[1] ?? '';
    const query = new URLSearchParams({ signature: options.signature === undefined ? sign(this.options.token, timestamp, nonce) : (options.signature ?? ''), timestamp, nonce, openid: openId });
    if (options.signature === null) query.delete('signature');
    let body = options.rawBody ?? xml;
    if (mode !== 'plain') {
      const key = options.encodingAESKey ?? this.options.encodingAESKey;
      if (!key) throw new Error('an encrypted push needs an EncodingAESKey');
      let encrypt = encrypt32(options.rawBody ?? xml, key, options.appId ?? this.options.appId);
      const msgSignature = sign(this.options.token, timestamp, nonce, encrypt);
      if (options.tamperEncrypt) encrypt = `${encrypt.slice(0, 10)}${encrypt[10] === 'A' ? 'B' : 'A'}${encrypt.slice(11)}`;
      const envelope = `<Encrypt><![CDATA[${encrypt}]]></Encrypt>`;
      body = mode === 'safe' ? `<xml><ToUserName><![CDATA[${this.options.account ?? 'gh_3f1c2a9b7d41'}]]></ToUserName>${envelope}</xml>` : xml.replace(/<\/xml>\s*$/, `${envelope}</xml>`);
      query.set('encrypt_type', 'aes');
      if (options.msgSignature !== null) query.set('msg_signature', options.msgSignature ?? msgSignature);
    }
    const made: PushAttempt[] = [];
    for (let attempt = 0; attempt < (options.attempts ?? 3); attempt += 1) {
      const result = await this.post(`${this.options.url}?${query.toString()}`, body, options.timeoutMs ?? 5_000);
      made.push(result);
      this.attempts.push(result);
      if (typeof result.status === 'number' && result.status < 500) break;
    }
    return made;
  }

  /** The 服务器配置 URL check: GET with signature, timestamp, nonce, echostr. */
  async verifyUrl(echostr: string, options: { signature?: string | null; timestamp?: number } = {}): Promise<{ status: number; body: string }> {
    const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
    const nonce = String(randomInt(100_000_000, 2_000_000_000));
    const query = new URLSearchParams({ timestamp, nonce, echostr });
    if (options.signature !== null) query.set('signature', options.signature ?? sign(this.options.token, timestamp, nonce));
    const response = await fetch(`${this.options.url}?${query.toString()}`);
    return { status: response.status, body: await response.text() };
  }

  private async post(url: string, body: string, timeoutMs: number): Promise<PushAttempt> {
    const started = performance.now();
    try {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/xml' }, body, signal: AbortSignal.timeout(timeoutMs) });
      const text = await response.text();
      return { status: response.status, body: text, ms: performance.now() - started };
    } catch (error) {
      const status = error instanceof Error && error.name === 'TimeoutError' ? 'timeout' : 'network';
      return { status, body: '', ms: performance.now() - started };
    }
  }
}

export const sign = (...parts: string[]): string => createHash('sha1').update(parts.sort().join('')).digest('hex');

/** random(16) ‖ length(4, BE) ‖ msg ‖ appid, padded to 32, AES-256-CBC with IV = key[0..16]. */
export function encrypt32(message: string, encodingAESKey: string, appId: string): string {
  const key = Buffer.from(`${encodingAESKey}=`, 'base64');
  const msg = Buffer.from(message);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(msg.length);
  const frame = Buffer.concat([randomBytes(16), length, msg, Buffer.from(appId)]);
  const pad = 32 - (frame.length % 32);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([frame, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
}
