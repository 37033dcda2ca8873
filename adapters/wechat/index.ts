import type { AdapterContext, InboundSink, WebhookReply, WebhookRequest } from '../../src/channels/contract.js';
import { WebhookRejection } from '../../src/channels/errors.js';
import { type AdapterBody, defineAdapter } from '../../src/channels/kit/index.js';
import type { ChannelCapabilities } from '../../src/domain/channel.js';
import { type WechatConfig, wechatConfig } from './config.js';
import { aesKey, type Secrets, signatureMatches, verifyAndDecrypt, WechatCryptoError, wechatSignature } from './crypto.js';
import { parseXml, toInboundMessage, XmlError } from './inbound.js';
import { describeCredentialError, sendChoiceReply, sendReply, TEXT_LIMIT, toChannelError, WechatApi, WechatApiError } from './outbound.js';

export const wechatCapabilities: ChannelCapabilities = {
  maxTextLength: TEXT_LIMIT,
  formats: ['text'],
  attachments: true,
  // Customer-service messages are allowed for 48 hours after the customer's last message (客服消息).
  replyWindowHours: 48,
  // Questions go out as 菜单消息; a tap comes back as a text message with <bizmsgmenuid>.
  menu: true,
};

/** `menuMessages: false` (an account WeChat refuses menu messages): questions are sent as text. */
const textOnlyCapabilities: ChannelCapabilities = { ...wechatCapabilities, menu: false };

/**
 * WeChat waits 5 s for an answer, then retries (3 tries in all). `success` tells it we took the
 * message and will not send a passive reply; anything else (or nothing) makes the user see
 * "该公众号暂时无法提供服务" (被动回复用户消息).
 */
const SUCCESS: WebhookReply = { status: 200, body: 'success', contentType: 'text/plain; charset=utf-8' };

export const wechat = defineAdapter({
  kind: 'wechat',
  configSchema: wechatConfig,
  defaultName: 'WeChat',
  create: (config, context) => wechatBody(config, context),
});

export const createWechatAdapter = (config: WechatConfig, context: AdapterContext) => wechat.create(config, context);

function wechatBody(config: WechatConfig, context: AdapterContext): AdapterBody {
  const log = context.logger;
  const api = new WechatApi(config, context.shared, log);
  const keys = [config.encodingAESKey, config.previousEncodingAESKey].filter((key): key is string => key !== undefined).map(aesKey);
  const secrets: Secrets = { token: config.token, keys, appId: config.appId };

  /** timestamp and nonce are in every signed URL; the timestamp must be near our clock. */
  function stamp(query: WebhookRequest['query']): { timestamp: string; nonce: string } {
    const { timestamp, nonce } = query;
    if (!timestamp || !nonce) throw new WebhookRejection(401, 'missing timestamp or nonce');
    if (!/^\d{1,12}$/.test(timestamp)) throw new WebhookRejection(403, 'timestamp is not unix seconds');
    const skew = Math.abs(Date.now() / 1000 - Number(timestamp));
    if (config.timestampToleranceSeconds > 0 && skew > config.timestampToleranceSeconds) {
      throw new WebhookRejection(403, `timestamp is ${Math.round(skew)} s away from this server's clock (limit ${config.timestampToleranceSeconds} s)`);
    }
    return { timestamp, nonce };
  }

  /** Plain `signature` = sha1(sort(token, timestamp, nonce)) (接入指南). It does not cover the body. */
  function checkPlainSignature(query: WebhookRequest['query']): void {
    if (!query.signature) throw new WebhookRejection(401, 'missing signature');
    const { timestamp, nonce } = stamp(query);
    if (!signatureMatches(wechatSignature(config.token, timestamp, nonce), query.signature)) throw new WebhookRejection(403, 'signature does not match the configured token');
  }

  /** The push's fields: decrypted and checked by msg_signature in 兼容/安全 mode, else by signature. */
  function readPush(request: WebhookRequest): Record<string, string> {
    const { query } = request;
    if (query.encrypt_type === 'aes' && keys.length > 0) {
      if (!query.msg_signature) throw new WebhookRejection(401, 'missing msg_signature');
      const { timestamp, nonce } = stamp(query);
      const outer = readXml(request.rawBody);
      const encrypt = outer.Encrypt;
      if (!encrypt) throw new WebhookRejection(400, 'encrypt_type=aes but the body has no <Encrypt>');
      let opened: { message: string; key: Buffer };
      try {
        opened = verifyAndDecrypt({ encrypt, msgSignature: query.msg_signature, timestamp, nonce }, secrets);
      } catch (error) {
        if (!(error instanceof WechatCryptoError)) throw error;
        if (error.problem === 'bad_signature') throw new WebhookRejection(403, 'msg_signature does not match the configured token');
        if (error.problem === 'appid_mismatch') throw new WebhookRejection(403, error.message);
        // Signed with our token but not decryptable: the key in the console differs from ours.
        log.error({ problem: error.problem }, 'a signed WeChat push does not decrypt with the configured EncodingAESKey(s)');
        throw new WebhookRejection(400, `could not decrypt the push with encodingAESKey${keys.length > 1 ? ' or previousEncodingAESKey' : ''} (${error.message})`);
      }
      if (opened.key !== keys[0]) log.info('push decrypted with previousEncodingAESKey (key rotation in progress)');
      return readXml(opened.message);
    }
    checkPlainSignature(query);
    const { Encrypt, ...fields } = readXml(request.rawBody);
    // Compatible mode sends the plain fields too; safe mode only the ciphertext.
    if (Encrypt !== undefined && fields.MsgType === undefined) throw new WebhookRejection(400, 'the push is encrypted (安全模式) but this channel has no encodingAESKey');
    return fields;
  }

  async function receive(request: WebhookRequest, sink: InboundSink): Promise<WebhookReply> {
    let outcome: ReturnType<typeof toInboundMessage>;
    try {
      outcome = toInboundMessage(readPush(request), config.id);
    } catch (error) {
      if (error instanceof XmlError) throw new WebhookRejection(error.problem === 'too_large' ? 413 : 400, error.message);
      throw error;
    }
    if (outcome.kind === 'ignored') {
      // Refusing a real push in a shape we do not know would only make WeChat retry it and show
      // the customer an error; it is acknowledged and logged instead.
      if (outcome.unexpected) log.warn({ reason: outcome.reason }, 'WeChat push in an unexpected shape; ignored');
      else log.debug({ reason: outcome.reason }, 'WeChat push ignored');
      return SUCCESS;
    }
    // Queued (Redis), then answered: never after processing, which could outlast WeChat's 5 s.
    await sink.accept(outcome.message);
    return SUCCESS;
  }

  return {
    capabilities: config.menuMessages ? wechatCapabilities : textOnlyCapabilities,
    async webhook(request, sink) {
      if (request.method === 'GET') {
        // 服务器配置 check: echo echostr unchanged once the signature holds (接入指南).
        checkPlainSignature(request.query);
        const { echostr } = request.query;
        if (echostr === undefined) throw new WebhookRejection(400, 'missing echostr');
        return { status: 200, body: echostr, contentType: 'text/plain; charset=utf-8' };
      }
      if (request.method !== 'POST') throw new WebhookRejection(405, 'WeChat pushes are POST requests (GET only for the URL check)');
      return receive(request, sink);
    },
    async send(address, message) {
      return { externalIds: await sendReply(api, address.threadKey, message, config.replyQuota) };
    },
    // Same window, quota and errors as send: the menu is one more customer-service message.
    ...(config.menuMessages ? { sendChoice: async (address, message) => ({ externalIds: await sendChoiceReply(api, address.threadKey, message, config.replyQuota) }) } : {}),
    async fetchAttachment(mediaId, maxBytes) {
      try {
        return await api.fetchMedia(mediaId, maxBytes);
      } catch (error) {
        throw toChannelError(error);
      }
    },
    async check() {
      await api.accessToken();
      return { status: 'ok' };
    },
    describeError: (error) => (error instanceof WechatApiError ? describeCredentialError(error) : (error as Error).message),
  };
}

function readXml(body: Buffer | string): Record<string, string> {
  try {
    return parseXml(body);
  } catch (error) {
    if (error instanceof XmlError) throw new WebhookRejection(error.problem === 'too_large' ? 413 : 400, error.message);
    throw error;
  }
}
