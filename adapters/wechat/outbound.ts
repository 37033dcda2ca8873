import { extname } from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { FetchedFile, OutboundAttachment, OutboundChoice, OutboundMessage, SharedState } from '../../src/channels/contract.js';
import { PermanentChannelError, RetryableChannelError } from '../../src/channels/errors.js';
import { downloadAtMost, readAtMost, sendParts, textParts } from '../../src/channels/kit/index.js';
import { choiceToken, PickedChoice } from '../../src/domain/choice.js';
import { buildXml } from './inbound.js';

/**
 * Characters (UTF-16 units, what `splitText` counts) per customer-service text. WeChat states no
 * limit on that page; too long a text is refused with 45002 "content size out of limit", commonly
 * reported at 2,048 bytes. 600 units are at most 1,800 UTF-8 bytes (3 per CJK character, 4 per
 * emoji = 2 units), so no split part can reach it, in any script.
 */
export const TEXT_LIMIT = 600;
/** Temporary image uploads: up to 10 MB, BMP/PNG/JPEG/JPG/GIF (新增临时素材 uploadTempMedia). */
export const IMAGE_LIMIT = 10 * 1024 * 1024;
const IMAGE_EXTENSIONS: Readonly<Record<string, string>> = { 'image/jpeg': '.jpg', 'image/png': '.png', 'image/gif': '.gif', 'image/bmp': '.bmp' };

/*
 * 菜单消息 (`msgtype: msgmenu`): `head_content`, then one tappable line per `list` item `{id,
 * content}`, then `tail_content`. A tap comes back as the customer's text message with the item's
 * content and `<bizmsgmenuid>` = its id. The Official Account page (发送客服消息) gives no limits;
 * the WeCom page for the same message (微信客服 发送消息 → 菜单消息,
 * https://developer.work.weixin.qq.com/document/path/94677) says head and tail at most 1,024 bytes,
 * at most 10 items, id 1–64 bytes, content 1–128 bytes. We stay inside those.
 */
export const MENU_HEAD_BYTES = 1024;
export const MENU_ITEMS = 10;
export const MENU_ITEM_BYTES = 128;
/** 340 UTF-16 units are at most 1,020 UTF-8 bytes (3 per CJK character, 4 per emoji = 2 units). */
const MENU_HEAD_UNITS = 340;

/** "invalid credential / access_token is invalid or not latest", "access_token expired", "invalid access_token". */
const TOKEN_ERRORS = new Set([40001, 40014, 42001]);
const TOKEN_KEY = 'access-token';
/** A token fetch is at most two requests of REQUEST_TIMEOUT_MS; the lock outlives them. */
const LOCK_MS = 30_000;
const REQUEST_TIMEOUT_MS = 10_000;
/**
 * Refresh this long before `expires_in` runs out. stable_token in normal mode "updates the
 * access_token 5 minutes early" (getStableAccessToken 注意事项), so asking then gets a new one.
 */
const REFRESH_EARLY_S = 300;

/** A `{errcode, errmsg}` answer other than 0 (全局返回码). */
export class WechatApiError extends Error {
  override readonly name = 'WechatApiError';
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
    /** Which API answered: the token endpoints' errors are about our credentials. */
    readonly endpoint: string,
  ) {
    super(`${errmsg} (${errcode})`);
  }
}

/** An HTTP status WeChat's API does not use for answers (they come as 200 + errcode): a proxy or an outage. */
export class WechatHttpError extends Error {
  override readonly name = 'WechatHttpError';
  constructor(
    readonly status: number,
    readonly endpoint: string,
  ) {
    super(`WeChat API (${endpoint}) answered HTTP ${status}`);
  }
}

const TOKEN_ENDPOINTS = new Set(['stable_token', 'token']);

const ApiAnswer = z.looseObject({ errcode: z.number().int().optional(), errmsg: z.string().optional() });
const TokenAnswer = z.object({ access_token: z.string().min(1).max(2048), expires_in: z.coerce.number().int().positive() });
const UploadAnswer = z.object({ media_id: z.string().min(1) });
const VideoAnswer = z.object({ video_url: z.url({ protocol: /^https?$/ }) });

interface Token {
  token: string;
  expiresIn: number;
  source: 'stable_token' | 'token';
}

/**
 * The few API calls we make, with the access token every one needs. The token lives in the
 * channel's shared state, so every gateway process uses the same one ("中控服务器", Get_access_token):
 * fetched once under a Redis lock, refreshed early, and refreshed once more when WeChat refuses it.
 */
export class WechatApi {
  private stableUnavailable = false;

  constructor(
    private readonly options: { readonly apiBase: string; readonly appId: string; readonly appSecret: string },
    private readonly shared: SharedState,
    private readonly log: Logger,
  ) {}

  /** The shared token; fetched under the lock when there is none (double-checked after taking it). */
  async accessToken(): Promise<string> {
    const cached = await this.shared.get(TOKEN_KEY);
    if (cached) return cached;
    return this.shared.withLock(TOKEN_KEY, LOCK_MS, async () => (await this.shared.get(TOKEN_KEY)) ?? this.fetchAndStore(undefined));
  }

  /**
   * WeChat refused `rejected`. Under the lock: if another process already replaced it, use that;
   * otherwise fetch a new one. stable_token's normal mode returns the same token while it is valid
   * in WeChat's eyes; if it hands back the refused one, only force_refresh (20 a day) replaces it.
   */
  async refreshToken(rejected: string): Promise<string> {
    return this.shared.withLock(TOKEN_KEY, LOCK_MS, async () => {
      const current = await this.shared.get(TOKEN_KEY);
      if (current && current !== rejected) return current;
      return this.fetchAndStore(rejected);
    });
  }

  /** Runs `call` with the token; on 40001/42001/40014 refreshes once and runs it once more. */
  async withToken<T>(call: (token: string) => Promise<T>): Promise<T> {
    const token = await this.accessToken();
    try {
      return await call(token);
    } catch (error) {
      if (!(error instanceof WechatApiError) || !TOKEN_ERRORS.has(error.errcode)) throw error;
      this.log.info({ errcode: error.errcode }, 'WeChat refused the access token; refreshing it once');
      return call(await this.refreshToken(token));
    }
  }

  /** 客服消息 `message/custom/send`; WeChat answers `{errcode:0}` and no message id. */
  async sendCustom(payload: Record<string, unknown>): Promise<void> {
    await this.withToken(async (token) =>
      this.call('message/custom/send', `${this.options.apiBase}/cgi-bin/message/custom/send?access_token=${encodeURIComponent(token)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(payload),
      }),
    );
  }

  /** 新增临时素材 (type=image, form field `media`) → media_id, valid 3 days. */
  async uploadImage(attachment: OutboundAttachment): Promise<string> {
    const bytes = await attachment.read();
    const extension = IMAGE_EXTENSIONS[attachment.mimeType] ?? '.jpg';
    // WeChat checks the file name's extension against the type.
    const name = extname(attachment.name).toLowerCase() === extension || (extension === '.jpg' && /\.jpe?g$/i.test(attachment.name)) ? attachment.name : `${attachment.name}${extension}`;
    return this.withToken(async (token) => {
      const form = new FormData();
      form.append('media', new Blob([new Uint8Array(bytes)], { type: attachment.mimeType }), name);
      const answer = await this.call('media/upload', `${this.options.apiBase}/cgi-bin/media/upload?access_token=${encodeURIComponent(token)}&type=image`, { method: 'POST', body: form });
      return UploadAnswer.parse(answer).media_id;
    });
  }

  /**
   * 获取临时素材 `media/get`: the file itself, or JSON — an error, or `{video_url}` for videos,
   * which is then downloaded. Reads at most `maxBytes`.
   */
  async fetchMedia(mediaId: string, maxBytes: number): Promise<FetchedFile> {
    return this.withToken(async (token) => {
      const response = await this.open('media/get', `${this.options.apiBase}/cgi-bin/media/get?access_token=${encodeURIComponent(token)}&media_id=${encodeURIComponent(mediaId)}`, { method: 'GET' }, 120_000);
      if (!response.ok) throw new WechatHttpError(response.status, 'media/get');
      const type = mediaType(response.headers.get('content-type'));
      if (type === undefined || /json|text\/plain/.test(type)) {
        const answer = ApiAnswer.parse(parseJson(await readAtMost(response, 1024 * 1024), 'media/get'));
        if (answer.errcode !== undefined && answer.errcode !== 0) throw new WechatApiError(answer.errcode, answer.errmsg ?? '', 'media/get');
        const video = VideoAnswer.safeParse(answer);
        if (!video.success) throw new RetryableChannelError('WeChat answered media/get with neither a file nor a video link', 'bad_response');
        return download(video.data.video_url, maxBytes);
      }
      return { bytes: await downloadAtMost(response, maxBytes), mimeType: type, ...fileName(response.headers.get('content-disposition')) };
    });
  }

  private async fetchAndStore(rejected: string | undefined): Promise<string> {
    let fresh = await this.fetchToken(false);
    if (rejected !== undefined && fresh.token === rejected && fresh.source === 'stable_token') {
      this.log.warn('stable_token returned the token WeChat had just refused; forcing a refresh');
      fresh = await this.fetchToken(true);
    }
    const ttlSeconds = fresh.expiresIn > 2 * REFRESH_EARLY_S ? fresh.expiresIn - REFRESH_EARLY_S : Math.max(1, fresh.expiresIn / 2);
    await this.shared.set(TOKEN_KEY, fresh.token, ttlSeconds * 1000);
    return fresh.token;
  }

  /**
   * `POST /cgi-bin/stable_token` (getStableAccessToken): isolated from `/cgi-bin/token`, does not
   * rotate on every call. Only where it does not exist (a proxy or private deployment answering
   * 404/405/501) or is not granted (48001) do we fall back to `GET /cgi-bin/token`, whose every
   * call invalidates the previous token — harmless here, as all processes share the one we store.
   */
  private async fetchToken(force: boolean): Promise<Token> {
    const { apiBase, appId, appSecret } = this.options;
    if (!this.stableUnavailable) {
      try {
        const answer = await this.call('stable_token', `${apiBase}/cgi-bin/stable_token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: JSON.stringify({ grant_type: 'client_credential', appid: appId, secret: appSecret, force_refresh: force }),
        });
        const parsed = TokenAnswer.parse(answer);
        return { token: parsed.access_token, expiresIn: parsed.expires_in, source: 'stable_token' };
      } catch (error) {
        const missing = (error instanceof WechatHttpError && [404, 405, 501].includes(error.status)) || (error instanceof WechatApiError && error.errcode === 48001);
        if (!missing) throw error;
        this.log.warn({ reason: error.message }, 'stable_token is not available here; using /cgi-bin/token');
        this.stableUnavailable = true;
      }
    }
    const query = new URLSearchParams({ grant_type: 'client_credential', appid: appId, secret: appSecret });
    const parsed = TokenAnswer.parse(await this.call('token', `${apiBase}/cgi-bin/token?${query.toString()}`, { method: 'GET' }));
    return { token: parsed.access_token, expiresIn: parsed.expires_in, source: 'token' };
  }

  /** One JSON API call; a non-zero errcode becomes a WechatApiError. */
  private async call(endpoint: string, url: string, init: RequestInit): Promise<Record<string, unknown>> {
    const response = await this.open(endpoint, url, init, REQUEST_TIMEOUT_MS);
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new WechatHttpError(response.status, endpoint);
    }
    const answer = ApiAnswer.safeParse(parseJson(await readAtMost(response, 1024 * 1024), endpoint));
    if (!answer.success) throw new RetryableChannelError(`WeChat answered ${endpoint} with something other than a JSON object`, 'bad_response');
    const { errcode, errmsg } = answer.data;
    if (errcode !== undefined && errcode !== 0) throw new WechatApiError(errcode, errmsg ?? '', endpoint);
    return answer.data;
  }

  /** URLs carry the access token or the secret: errors name the endpoint, never the URL. */
  private async open(endpoint: string, url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      throw new RetryableChannelError(`could not reach WeChat (${endpoint}): ${networkReason(error)}`, 'network');
    }
  }
}

/** One item of a menu message: `id` comes back as `<bizmsgmenuid>` when the customer taps `content`. */
export interface MenuItem {
  readonly id: string;
  readonly content: string;
}

/** One customer-service message of a reply: the text split at TEXT_LIMIT, each image, a question's menu. */
export type ReplyPart = { kind: 'text'; text: string } | { kind: 'image'; attachment: OutboundAttachment } | { kind: 'menu'; head: string; items: readonly MenuItem[] };

/**
 * The same list on every attempt, so `alreadySent.length` says where a retry continues. Refuses
 * up front (nothing sent) what WeChat cannot deliver: files other than images, and replies that
 * need more messages than the 48-hour quota allows.
 */
export function planParts(message: Pick<OutboundMessage, 'text' | 'attachments'>, quota: number): ReplyPart[] {
  checkAttachments(message.attachments);
  const text = textParts(message.text, TEXT_LIMIT).map((part): ReplyPart => ({ kind: 'text', text: part }));
  return withinQuota([...text, ...images(message.attachments)], quota);
}

/**
 * A question with options (issue 15) as messages: the text, then its images, then one menu message
 * whose head is the end of the text — all of it when it fits the head's 1,024 bytes (the usual
 * case), else its last part, the parts before it going first as text messages. The adapter adds no
 * words of its own. Each option is a menu item: id `choiceToken({id, value})`, content its label.
 */
export function planChoiceParts(message: Pick<OutboundMessage, 'text' | 'attachments'> & { readonly choice: OutboundChoice }, quota: number): ReplyPart[] {
  checkAttachments(message.attachments);
  const items = menuItems(message.choice);
  const text = textParts(message.text, TEXT_LIMIT);
  let head = text.pop() ?? '';
  if (Buffer.byteLength(head) > MENU_HEAD_BYTES) {
    const pieces = textParts(head, MENU_HEAD_UNITS);
    head = pieces.pop() ?? '';
    text.push(...pieces);
  }
  const before = text.map((part): ReplyPart => ({ kind: 'text', text: part }));
  return withinQuota([...before, ...images(message.attachments), { kind: 'menu', head, items }], quota);
}

function menuItems(choice: OutboundChoice): MenuItem[] {
  if (choice.options.length === 0 || choice.options.length > MENU_ITEMS) {
    throw new PermanentChannelError(`A WeChat menu message carries 1 to ${MENU_ITEMS} options; this question has ${choice.options.length}`, 'unsupported_choice');
  }
  return choice.options.map((option) => {
    const picked = PickedChoice.safeParse({ id: choice.id, value: option.value });
    if (!picked.success) throw new PermanentChannelError(`The option "${option.value.slice(0, 40)}" of question "${choice.id.slice(0, 40)}" cannot be a WeChat menu id`, 'invalid_choice');
    return { id: choiceToken(picked.data), content: clipBytes(option.label.trim() || option.value, MENU_ITEM_BYTES) };
  });
}

function checkAttachments(attachments: readonly OutboundAttachment[]): void {
  for (const attachment of attachments) {
    if (!IMAGE_EXTENSIONS[attachment.mimeType]) {
      throw new PermanentChannelError(`${attachment.name}: WeChat customer-service messages can carry images (JPEG, PNG, GIF, BMP), not ${attachment.mimeType} files`, 'unsupported_attachment');
    }
    if (attachment.size > IMAGE_LIMIT) throw new PermanentChannelError(`${attachment.name} is over WeChat's 10 MB limit for images`, 'too_large');
  }
}

const images = (attachments: readonly OutboundAttachment[]): ReplyPart[] => attachments.map((attachment): ReplyPart => ({ kind: 'image', attachment }));

function withinQuota(parts: ReplyPart[], quota: number): ReplyPart[] {
  if (parts.length > quota) {
    throw new PermanentChannelError(
      `This reply would take ${parts.length} WeChat messages (text is split every ${TEXT_LIMIT} characters, each image is one more), but WeChat allows only ${quota} customer-service messages per customer message within 48 hours. Shorten it or send fewer images.`,
      'too_long',
    );
  }
  return parts;
}

/** At most `max` UTF-8 bytes, cut between code points, with "…" when cut. */
function clipBytes(text: string, max: number): string {
  if (Buffer.byteLength(text) <= max) return text;
  let out = '';
  let bytes = Buffer.byteLength('…');
  for (const char of text) {
    bytes += Buffer.byteLength(char);
    if (bytes > max) break;
    out += char;
  }
  return `${out}…`;
}

/** WeChat gives no message id for customer-service messages; ours names the reply and the part. */
export const partId = (messageId: string, index: number): string => `${messageId}-${index}`;

/** Sends the parts an earlier attempt did not deliver (kit `sendParts`). */
export async function sendReply(api: WechatApi, openId: string, message: OutboundMessage, quota: number): Promise<string[]> {
  return sendPlanned(api, openId, planParts(message, quota), message);
}

/** A question as a menu message (after any text that does not fit its head), resuming like `sendReply`. */
export async function sendChoiceReply(api: WechatApi, openId: string, message: OutboundMessage & { readonly choice: OutboundChoice }, quota: number): Promise<string[]> {
  return sendPlanned(api, openId, planChoiceParts(message, quota), message);
}

async function sendPlanned(api: WechatApi, openId: string, parts: readonly ReplyPart[], message: OutboundMessage): Promise<string[]> {
  return sendParts(
    parts,
    message,
    async (part, index) => {
      switch (part.kind) {
        case 'text':
          await api.sendCustom({ touser: openId, msgtype: 'text', text: { content: part.text } });
          break;
        case 'image':
          await api.sendCustom({ touser: openId, msgtype: 'image', image: { media_id: await api.uploadImage(part.attachment) } });
          break;
        case 'menu':
          await api.sendCustom({ touser: openId, msgtype: 'msgmenu', msgmenu: { head_content: part.head, list: part.items, tail_content: '' } });
          break;
      }
      return partId(message.messageId, index);
    },
    toChannelError,
  );
}

/**
 * What a failed call means for the outbound worker (STYLE §8), with reasons an agent can act on.
 * Codes from 全局返回码 and the 客服消息 page.
 */
export function toChannelError(error: unknown, sentExternalIds: readonly string[] = []): RetryableChannelError | PermanentChannelError {
  const retryable = (message: string, code: string, retryAfterMs?: number) => new RetryableChannelError(message, code, retryAfterMs, sentExternalIds);
  const permanent = (message: string, code: string) => new PermanentChannelError(message, code, sentExternalIds);
  if (error instanceof PermanentChannelError) return permanent(error.message, error.code);
  if (error instanceof RetryableChannelError) return retryable(error.message, error.code, error.retryAfterMs);
  if (error instanceof WechatHttpError) {
    return error.status >= 500 || error.status === 429 ? retryable(error.message, 'platform_unavailable') : permanent(error.message, 'rejected');
  }
  // Network faults are RetryableChannelErrors already; this is the rest (a file that could not be read, Redis).
  if (!(error instanceof WechatApiError)) return retryable(`the WeChat call failed: ${error instanceof Error ? error.message : String(error)}`, 'send_error');
  const { errcode } = error;
  if (errcode === -1) return retryable(`WeChat is busy (${error.message}); retrying`, 'platform_busy');
  if (TOKEN_ENDPOINTS.has(error.endpoint)) return permanent(describeCredentialError(error), 'credentials');
  switch (errcode) {
    case 45015:
      return permanent('The customer last wrote more than 48 hours ago; WeChat only allows replies within 48 hours (45015)', 'reply_window_closed');
    case 45047:
      return permanent(
        'WeChat allows only a few customer-service messages per customer message (5 in 48 hours on current accounts) and this customer has had them all (45047). The reply can go out after the customer writes again.',
        'quota_exceeded',
      );
    case 40003:
      return permanent('WeChat does not know this OpenID for this Official Account (40003 invalid openid)', 'invalid_recipient');
    case 43004:
      return permanent('The customer no longer follows the Official Account, so WeChat refuses messages to them (43004 require subscribe)', 'unsubscribed');
    case 48001:
      return permanent('The Official Account may not use the customer-service message API (48001 api unauthorized): it needs the 客服消息 permission of a verified account', 'unauthorized');
    case 45002:
      return permanent(`WeChat refused the text as too long (45002 ${error.errmsg})`, 'too_long');
    case 40200:
      return permanent(
        'WeChat refused the menu message (40200 invalid account type): menu messages need a verified Official Account, not a test or unverified account. Set menuMessages: false on the channel to ask questions as text.',
        'menu_unsupported',
      );
    case 40007:
      return permanent('WeChat no longer has this file: temporary media expire after 3 days (40007 invalid media_id)', 'expired');
    case 40004:
    case 40005:
    case 40006:
    case 40009:
    case 41005:
      return permanent(`WeChat refused the image (${error.message})`, 'media_rejected');
    case 40001:
    case 40014:
    case 42001:
      // Already refreshed once in withToken: another process may be rotating it; try again later.
      return retryable(`WeChat refused a freshly fetched access token (${error.message})`, 'token_rejected');
    case 45011:
      return retryable(`WeChat's per-minute API limit was reached (${error.message})`, 'rate_limited', 60_000);
    case 45009:
      return retryable(`The Official Account reached its daily API call limit (${error.message}); an administrator can reset it with clear_quota`, 'rate_limited', 600_000);
    default:
      return permanent(`WeChat refused it: ${error.message}`, 'rejected');
  }
}

/** Why the token endpoints refused us, in words an operator can act on (also the channel status). */
export function describeCredentialError(error: WechatApiError): string {
  switch (error.errcode) {
    case 40125:
    case 40001:
      return `WeChat refused the AppSecret (${error.message}). Copy it again from 设置与开发 → 基本配置; resetting it there invalidates the old one.`;
    case 40013:
      return `WeChat does not know this AppID (${error.message}). Check appId against 设置与开发 → 基本配置.`;
    case 40164:
    case 61004:
      return `This server's IP address is not on the Official Account's IP allow-list (${error.message}). Add it under 设置与开发 → 基本配置 → IP白名单: WeChat refuses API calls from other addresses.`;
    case 89503:
      return `WeChat wants an administrator to confirm API calls from this IP address (${error.message}); add it to the IP allow-list to stop the prompts.`;
    default:
      return `WeChat refused the access-token request: ${error.message}`;
  }
}

/** A passive reply (被动回复用户消息), text type: sent back in the webhook answer, within 5 s. */
export function passiveTextReply(reply: { toUser: string; fromUser: string; createTime: number; content: string }): string {
  return buildXml([
    ['ToUserName', reply.toUser],
    ['FromUserName', reply.fromUser],
    ['CreateTime', reply.createTime],
    ['MsgType', 'text'],
    ['Content', reply.content],
  ]);
}

async function download(url: string, maxBytes: number): Promise<FetchedFile> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(120_000) });
  } catch (error) {
    throw new RetryableChannelError(`could not download the video from WeChat: ${networkReason(error)}`, 'fetch_failed');
  }
  if (response.status === 404 || response.status === 403) throw new PermanentChannelError('WeChat no longer has this video', 'expired');
  if (!response.ok) throw new RetryableChannelError(`WeChat's video server answered ${response.status}`, 'fetch_failed');
  return { bytes: await downloadAtMost(response, maxBytes), mimeType: mediaType(response.headers.get('content-type')) ?? 'video/mp4' };
}

function parseJson(body: Buffer | undefined, endpoint: string): unknown {
  if (!body) throw new RetryableChannelError(`WeChat's answer to ${endpoint} is implausibly large`, 'bad_response');
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new RetryableChannelError(`WeChat answered ${endpoint} with something other than JSON`, 'bad_response');
  }
}

const mediaType = (header: string | null): string | undefined => header?.split(';')[0]?.trim().toLowerCase() || undefined;

/** `Content-disposition: attachment; filename="MEDIA_ID.jpg"` (获取临时素材 example answer). */
function fileName(header: string | null): { name?: string } {
  const name = header ? /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(header)?.[1] : undefined;
  if (!name) return {};
  try {
    return { name: decodeURIComponent(name).slice(0, 255) };
  } catch {
    return { name: name.slice(0, 255) };
  }
}

function networkReason(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'timed out';
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  if (cause && typeof cause.code === 'string') return cause.code;
  return error instanceof Error ? error.message : String(error);
}
