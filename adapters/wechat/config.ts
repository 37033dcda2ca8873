import { z } from 'zod';
import { baseChannelConfig } from '../../src/channels/base-config.js';

/**
 * The EncodingAESKey of 服务器配置: "43 characters from A–Z, a–z, 0–9" (消息加解密接入指引,
 * https://developers.weixin.qq.com/doc/subscription/guide/dev/push/encryption). Base64 of a
 * 32-byte AES key without its trailing `=`.
 */
const encodingAESKey = z.string().regex(/^[A-Za-z0-9]{43}$/, 'the 43-character EncodingAESKey (A–Z, a–z, 0–9) from 设置与开发 → 基本配置 → 服务器配置');

/**
 * One WeChat Official Account (DESIGN §6). Numbers go through `z.coerce` because `${VAR}`
 * placeholders arrive as strings.
 */
export const wechatConfig = baseChannelConfig
  .extend({
    kind: z.literal('wechat'),
    /** 开发者ID (AppID): `wx` and 16 characters. Also the trailing id inside every encrypted push. */
    appId: z.string().regex(/^wx[0-9A-Za-z]{16}$/, 'the AppID from 设置与开发 → 基本配置, like wx1234567890abcdef'),
    /** 开发者密码 (AppSecret); only sent to the access-token endpoints, never logged. */
    appSecret: z.string().min(1),
    /** 服务器配置 → Token: "3–32 English letters or digits"; signs every push. */
    token: z.string().regex(/^[A-Za-z0-9]{3,32}$/, '3–32 letters or digits, exactly as in 服务器配置 → Token'),
    /** Set → encrypted pushes (兼容/安全模式) are decrypted and their msg_signature checked. */
    encodingAESKey: encodingAESKey.optional(),
    /**
     * The key before the last change in the console: pushes that do not decrypt with the current
     * key are tried with this one, as the 消息加解密 FAQ advises during a key rotation.
     */
    previousEncodingAESKey: encodingAESKey.optional(),
    /** API host: a regional host (e.g. https://sh.api.weixin.qq.com), a proxy, or a test fake. */
    apiBase: z
      .url({ protocol: /^https?$/ })
      .default('https://api.weixin.qq.com')
      .transform((url) => url.replace(/\/+$/, '')),
    /**
     * Customer-service messages WeChat allows per customer message within 48 hours: 5 in the current
     * 客服消息 table, 20 on older accounts and documents. A reply that would need more messages
     * (long text split at 600 characters, plus images) is refused before anything is sent.
     */
    replyQuota: z.coerce.number().int().min(1).max(100).default(5),
    /**
     * Pushes whose `timestamp` differs from our clock by more than this are refused (0 = never).
     * In plain mode the signature covers only token, timestamp and nonce — not the body — so this
     * bounds how long a signed URL seen in a log or proxy could be replayed with a forged body.
     */
    timestampToleranceSeconds: z.coerce.number().int().min(0).max(86_400).default(300),
    /**
     * Questions with options (surveys) go out as 菜单消息 (`msgmenu`), tapped in the chat. Only
     * verified accounts may send them (others get 40200 "invalid account type"); `false` makes the
     * desk write the options into the text, and the customer answers by typing.
     */
    menuMessages: z.union([z.boolean(), z.stringbool()]).default(true),
  })
  .superRefine((config, context) => {
    if (config.previousEncodingAESKey !== undefined && config.encodingAESKey === undefined) {
      context.addIssue({ code: 'custom', path: ['previousEncodingAESKey'], message: 'needs encodingAESKey (the current key) as well' });
    }
  });
export type WechatConfig = z.infer<typeof wechatConfig>;
