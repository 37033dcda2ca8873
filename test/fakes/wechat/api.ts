import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** errmsg texts as WeChat words them (全局返回码); real answers add " rid: …". */
const ERRMSG: Readonly<Record<number, string>> = {
  [-1]: 'system error',
  40001: 'invalid credential, access_token is invalid or not latest',
  40003: 'invalid openid',
  40007: 'invalid media_id',
  40008: 'invalid message type',
  40013: 'invalid appid',
  40125: 'invalid appsecret',
  40200: 'invalid account type',
  41001: 'access_token missing',
  41005: 'media data missing',
  42001: 'access_token expired',
  43004: 'require subscribe',
  45002: 'content size out of limit',
  45011: 'api minute-quota reach limit mustslower retry next minute',
  45015: 'response out of time limit or subscription is canceled',
  45047: 'out of response count limit',
  47001: 'data format error',
};

/** 客服消息 may be sent this long after the customer's last message (45015 after). */
const REPLY_WINDOW_MS = 48 * 3_600_000;

/** A 菜单消息 as WeChat received it: the customer sees head, one tappable line per item, tail. */
export interface RecordedMenu {
  head: string;
  items: { id: string; content: string }[];
  tail: string;
}

export interface RecordedSend {
  /** Position in `sends` (WeChat returns no message id for customer-service messages). */
  seq: number;
  touser: string;
  msgtype: string;
  content?: string;
  mediaId?: string;
  menu?: RecordedMenu;
  /** The access token the call carried. */
  token: string;
  at: number;
}

interface IssuedToken {
  expiresAt: number;
  /** Refused with 42001 (expired) or 40001 (invalid / not latest) before its time. */
  state: 'valid' | 'expired' | 'invalid';
}

interface StoredMedia {
  bytes: Buffer;
  contentType: string;
  filename: string;
  /** Served as `{video_url}` JSON, the bytes from `/video-cdn/<id>` (获取临时素材, 视频). */
  video: boolean;
}

/**
 * The WeChat API endpoints the adapter uses, on loopback (`apiBase`), following the documented
 * protocol where the adapter depends on it: HTTP 200 with `{errcode, errmsg}` for every refusal;
 * `POST /cgi-bin/stable_token` (normal mode keeps the token while valid and renews it in its last
 * 5 minutes; force_refresh issues a new one and invalidates the old); `GET /cgi-bin/token`;
 * `POST /cgi-bin/message/custom/send`; `POST /cgi-bin/media/upload` (multipart `media`);
 * `GET /cgi-bin/media/get` (the file, an error JSON, or `{video_url}` for videos).
 */
export class FakeWechatApi {
  readonly sends: RecordedSend[] = [];
  readonly uploads: { mediaId: string; filename: string; contentType: string; bytes: Buffer; type: string }[] = [];
  /** media_id of every media/get call, in order. */
  readonly mediaGets: string[] = [];
  /** How often each token endpoint issued or returned a token (or refused). */
  readonly fetches = { stable: 0, forced: 0, token: 0 };
  /** Slows the token endpoints, so concurrent fetchers would overlap if nothing serialised them. */
  tokenDelayMs = 0;
  tokenLifetimeSeconds = 7200;
  /** false → `/cgi-bin/stable_token` answers 404, as a proxy without it would. */
  stableTokenAvailable = true;
  /** false → token requests are refused with 40164 (IP allow-list). */
  ipAllowed = true;
  /** false → menu messages are refused with 40200, as for test and unverified accounts. */
  menuAllowed = true;
  /** When each customer last wrote, where a test says so; sends later than 48 h after it get 45015. */
  private readonly lastWrote = new Map<string, number>();
  private readonly tokens = new Map<string, IssuedToken>();
  private stableCurrent: string | undefined;
  private readonly scripted = new Map<string, number[]>();
  private readonly always = new Map<string, number>();
  private readonly media = new Map<string, StoredMedia>();

  private constructor(
    private readonly server: Server,
    readonly appId: string,
    readonly appSecret: string,
  ) {}

  static async start(appId = 'wx1a2b3c4d5e6f7a8b', appSecret = randomBytes(16).toString('hex')): Promise<FakeWechatApi> {
    let fake: FakeWechatApi | undefined;
    const server = createServer((req, res) => {
      fake!.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500).end(String(error));
      });
    });
    fake = new FakeWechatApi(server, appId, appSecret);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const closed = new Promise((resolve) => this.server.close(resolve));
    this.server.closeAllConnections();
    await closed;
  }

  /** Every token handed out so far (normal stable_token calls that returned the same one count too). */
  get tokenFetches(): number {
    return this.fetches.stable + this.fetches.forced + this.fetches.token;
  }

  /** Every token issued so far now answers 42001 "access_token expired". */
  expireTokens(): void {
    for (const token of this.tokens.values()) if (token.state === 'valid') token.state = 'expired';
  }

  /** Every token issued so far now answers 40001 "invalid credential … not latest". */
  invalidateTokens(): void {
    for (const token of this.tokens.values()) if (token.state === 'valid') token.state = 'invalid';
  }

  /** The next sends to this OpenID get these errcodes, in order (0 lets one through). */
  failNext(openId: string, ...errcodes: number[]): void {
    this.scripted.set(openId, [...(this.scripted.get(openId) ?? []), ...errcodes]);
  }

  /** Every send to this OpenID gets `errcode` until `clear`. */
  failAlways(openId: string, errcode: number): void {
    this.always.set(openId, errcode);
  }

  clear(openId: string): void {
    this.always.delete(openId);
    this.scripted.delete(openId);
  }

  sendsTo(openId: string): RecordedSend[] {
    return this.sends.filter((send) => send.touser === openId);
  }

  /** The menu messages this OpenID received, oldest first. */
  menusTo(openId: string): (RecordedSend & { menu: RecordedMenu })[] {
    return this.sends.filter((send): send is RecordedSend & { menu: RecordedMenu } => send.touser === openId && send.menu !== undefined);
  }

  /**
   * The customer's last message was at `at` (ms): from 48 h later, sends to them get 45015, as
   * WeChat's 客服消息 window rules. OpenIDs never named here have an open window.
   */
  customerLastWrote(openId: string, at: number): void {
    this.lastWrote.set(openId, at);
  }

  /** Temporary media a customer sent, served by media/get under `mediaId`. */
  addMedia(mediaId: string, file: { bytes: Buffer; contentType: string; filename?: string; video?: boolean }): void {
    this.media.set(mediaId, { bytes: file.bytes, contentType: file.contentType, filename: file.filename ?? `${mediaId}.jpg`, video: file.video ?? false });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const body = await readBody(req);
    const video = /^\/video-cdn\/([^/]+)$/.exec(url.pathname);
    if (video) return this.videoDownload(decodeURIComponent(video[1]!), res);
    switch (`${req.method} ${url.pathname}`) {
      case 'POST /cgi-bin/stable_token':
        return this.stableToken(body, res);
      case 'GET /cgi-bin/token':
        return this.classicToken(url, res);
      case 'POST /cgi-bin/message/custom/send':
        return this.customSend(url, body, res);
      case 'POST /cgi-bin/media/upload':
        return this.upload(url, req, body, res);
      case 'GET /cgi-bin/media/get':
        return this.mediaGet(url, res);
      default:
        res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body>404 Not Found</body></html>');
    }
  }

  private async stableToken(body: Buffer, res: ServerResponse): Promise<void> {
    if (!this.stableTokenAvailable) {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body>404 Not Found</body></html>');
      return;
    }
    await delay(this.tokenDelayMs);
    const params = safeJson(body.toString('utf8'));
    const refusal = this.credentialRefusal(String(params.grant_type ?? ''), String(params.appid ?? ''), String(params.secret ?? ''));
    if (refusal) return this.error(res, refusal);
    const force = params.force_refresh === true;
    if (force) this.fetches.forced += 1;
    else this.fetches.stable += 1;
    const current = this.stableCurrent ? this.tokens.get(this.stableCurrent) : undefined;
    const remaining = current ? Math.floor((current.expiresAt - Date.now()) / 1000) : 0;
    // Normal mode: the same token while valid; the platform renews it in its last 5 minutes.
    if (!force && this.stableCurrent && current?.state === 'valid' && remaining > 300) {
      return this.json(res, { access_token: this.stableCurrent, expires_in: remaining });
    }
    if (force && current?.state === 'valid') current.state = 'invalid';
    this.stableCurrent = this.issue();
    this.json(res, { access_token: this.stableCurrent, expires_in: this.tokenLifetimeSeconds });
  }

  private async classicToken(url: URL, res: ServerResponse): Promise<void> {
    await delay(this.tokenDelayMs);
    const refusal = this.credentialRefusal(url.searchParams.get('grant_type') ?? '', url.searchParams.get('appid') ?? '', url.searchParams.get('secret') ?? '');
    // getAccessToken answers a wrong secret with 40001, not 40125.
    if (refusal) return this.error(res, refusal === 40125 ? 40001 : refusal);
    this.fetches.token += 1;
    this.json(res, { access_token: this.issue(), expires_in: this.tokenLifetimeSeconds });
  }

  private credentialRefusal(grantType: string, appId: string, secret: string): number | undefined {
    if (grantType !== 'client_credential') return 40002;
    if (appId !== this.appId) return 40013;
    if (secret !== this.appSecret) return 40125;
    if (!this.ipAllowed) return 40164;
    return undefined;
  }

  private issue(): string {
    const token = `${randomBytes(3).toString('hex')}_${randomBytes(48).toString('base64url')}`;
    this.tokens.set(token, { expiresAt: Date.now() + this.tokenLifetimeSeconds * 1000, state: 'valid' });
    return token;
  }

  /** The errcode for a call's access_token, or 0 when it is good. */
  private tokenProblem(url: URL): number {
    const token = url.searchParams.get('access_token');
    if (!token) return 41001;
    const issued = this.tokens.get(token);
    if (!issued || issued.state === 'invalid') return 40001;
    if (issued.state === 'expired' || issued.expiresAt < Date.now()) return 42001;
    return 0;
  }

  private customSend(url: URL, body: Buffer, res: ServerResponse): void {
    const problem = this.tokenProblem(url);
    if (problem) return this.error(res, problem);
    const params = safeJson(body.toString('utf8'));
    const touser = typeof params.touser === 'string' ? params.touser : '';
    if (!touser) return this.error(res, 40003);
    const scripted = this.scripted.get(touser)?.shift() ?? this.always.get(touser) ?? 0;
    if (scripted !== 0) return this.error(res, scripted);
    const wrote = this.lastWrote.get(touser);
    if (wrote !== undefined && Date.now() - wrote > REPLY_WINDOW_MS) return this.error(res, 45015);
    const msgtype = String(params.msgtype ?? '');
    const token = url.searchParams.get('access_token') ?? '';
    const seq = this.sends.length;
    if (msgtype === 'text') {
      const content = (params.text as { content?: unknown } | undefined)?.content;
      if (typeof content !== 'string' || content === '') return this.error(res, 44003);
      if (Buffer.byteLength(content) > 2048) return this.error(res, 45002);
      this.sends.push({ seq, touser, msgtype, content, token, at: Date.now() });
    } else if (msgtype === 'image') {
      const mediaId = (params.image as { media_id?: unknown } | undefined)?.media_id;
      if (typeof mediaId !== 'string' || !this.uploads.some((u) => u.mediaId === mediaId)) return this.error(res, 40007);
      this.sends.push({ seq, touser, msgtype, mediaId, token, at: Date.now() });
    } else if (msgtype === 'msgmenu') {
      if (!this.menuAllowed) return this.error(res, 40200);
      const menu = readMenu(params.msgmenu);
      if (typeof menu === 'number') return this.error(res, menu);
      this.sends.push({ seq, touser, msgtype, menu, token, at: Date.now() });
    } else {
      return this.error(res, 40008);
    }
    this.json(res, { errcode: 0, errmsg: 'ok' });
  }

  private async upload(url: URL, req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> {
    const problem = this.tokenProblem(url);
    if (problem) return this.error(res, problem);
    const type = url.searchParams.get('type') ?? '';
    const contentType = req.headers['content-type'] ?? '';
    if (!contentType.startsWith('multipart/form-data')) return this.error(res, 41005);
    const form = await new Response(new Uint8Array(body), { headers: { 'content-type': contentType } }).formData();
    const media = form.get('media');
    if (!media || typeof media === 'string') return this.error(res, 41005);
    const mediaId = `up_${randomBytes(16).toString('base64url')}`;
    const bytes = Buffer.from(await media.arrayBuffer());
    this.uploads.push({ mediaId, filename: media.name, contentType: media.type, bytes, type });
    this.json(res, { type, media_id: mediaId, created_at: Math.floor(Date.now() / 1000) });
  }

  private mediaGet(url: URL, res: ServerResponse): void {
    const problem = this.tokenProblem(url);
    if (problem) return this.error(res, problem);
    const mediaId = url.searchParams.get('media_id') ?? '';
    this.mediaGets.push(mediaId);
    const file = this.media.get(mediaId);
    if (!file) return this.error(res, 40007);
    if (file.video) return this.json(res, { video_url: `${this.url}/video-cdn/${encodeURIComponent(mediaId)}` });
    res.writeHead(200, {
      'content-type': file.contentType,
      'content-disposition': `attachment; filename="${file.filename}"`,
      'content-length': String(file.bytes.length),
    });
    res.end(file.bytes);
  }

  private videoDownload(mediaId: string, res: ServerResponse): void {
    const file = this.media.get(mediaId);
    if (!file?.video) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': file.contentType, 'content-length': String(file.bytes.length) });
    res.end(file.bytes);
  }

  private error(res: ServerResponse, errcode: number): void {
    const text = errcode === 40164 ? 'invalid ip 203.0.113.7 ipv6 ::ffff:203.0.113.7, not in whitelist' : (ERRMSG[errcode] ?? 'error');
    // WeChat reports refusals with HTTP 200 and a JSON body (some with text/plain).
    this.json(res, { errcode, errmsg: `${text} rid: ${randomBytes(4).toString('hex')}-${randomBytes(4).toString('hex')}` }, 'text/plain');
  }

  private json(res: ServerResponse, body: unknown, type = 'application/json; encoding=utf-8'): void {
    if (res.writableEnded || res.destroyed) return;
    res.writeHead(200, { 'content-type': type }).end(JSON.stringify(body));
  }
}

/**
 * `msgmenu: {head_content, list: [{id, content}], tail_content}` checked against the limits WeChat
 * documents for the same message on WeCom (≤ 1,024 bytes of head and tail, 1–10 items, id 1–64
 * bytes, content 1–128 bytes): 45002 when text is too long, 47001 when the shape is wrong.
 */
function readMenu(value: unknown): RecordedMenu | number {
  if (!value || typeof value !== 'object') return 47001;
  const { head_content: head = '', list, tail_content: tail = '' } = value as Record<string, unknown>;
  if (typeof head !== 'string' || typeof tail !== 'string' || !Array.isArray(list)) return 47001;
  if (Buffer.byteLength(head) > 1024 || Buffer.byteLength(tail) > 1024) return 45002;
  if (list.length === 0 || list.length > 10) return 47001;
  const items: RecordedMenu['items'] = [];
  for (const item of list as unknown[]) {
    const { id, content } = (item ?? {}) as Record<string, unknown>;
    if (typeof id !== 'string' || typeof content !== 'string') return 47001;
    if (id === '' || Buffer.byteLength(id) > 64 || content === '' || Buffer.byteLength(content) > 128) return 47001;
    items.push({ id, content });
  }
  return { head, items, tail };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function safeJson(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const delay = (ms: number): Promise<void> => (ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve());
