import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A Bot API error answer (https://core.telegram.org/bots/api#making-requests). */
export interface BotApiFailure {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

/** The failures a real bot meets when sending, as Telegram words them. */
export const failures = {
  tooManyRequests: (retryAfter: number): BotApiFailure => ({ error_code: 429, description: `Too Many Requests: retry after ${retryAfter}`, parameters: { retry_after: retryAfter } }),
  blocked: (): BotApiFailure => ({ error_code: 403, description: 'Forbidden: bot was blocked by the user' }),
  chatNotFound: (): BotApiFailure => ({ error_code: 400, description: 'Bad Request: chat not found' }),
  serverError: (): BotApiFailure => ({ error_code: 500, description: 'Internal Server Error' }),
};

export interface RecordedCall {
  method: string;
  params: Record<string, unknown>;
  /** Uploaded files of a multipart request, by field name. */
  files: Record<string, { filename: string; bytes: Buffer }>;
  at: number;
}

export type FakeUpdate = { update_id: number } & Record<string, unknown>;

interface StoredFile {
  path: string;
  bytes: Buffer;
  /** Reported size; more than 20 MB makes getFile refuse the file, as Telegram does. */
  size: number;
  /** Report the size in getFile's result instead of refusing (what a self-hosted server does). */
  reportOnly: boolean;
}

interface Waiter {
  offset: number;
  limit: number;
  respond(status: number, body: unknown): void;
  handOut(updates: FakeUpdate[]): void;
  timer: NodeJS.Timeout;
}

const DOWNLOAD_LIMIT = 20 * 1024 * 1024;
const TEXT_LIMIT = 4096;

/**
 * A Telegram Bot API server on loopback for telegraf to talk to (`apiRoot`). It follows the
 * documented protocol where our adapter depends on it: `POST /bot<token>/<method>` with JSON or
 * multipart, `{ok, result}` / `{ok:false, error_code, description, parameters}` answers with the
 * matching HTTP status, getUpdates long polling with offset confirmation and 409 conflicts, the
 * webhook push with the secret header, getFile's 20 MB limit and `GET /file/bot<token>/<path>`.
 */
export class FakeBotApi {
  readonly calls: RecordedCall[] = [];
  /**
   * Messages the "platform" accepted and delivered (refused sends are only in `calls`); `at` is
   * the arrival in epoch ms with sub-millisecond precision, comparable across processes (benchmarks).
   */
  readonly delivered: { chatId: string; messageId: number; params: Record<string, unknown>; at: number }[] = [];
  /** update_id of every update getUpdates returned, in order (a redelivery appears twice). */
  readonly handedOut: number[] = [];
  /** Paths requested from the file server (`GET /file/bot<token>/<path>`). */
  readonly downloads: string[] = [];
  readonly bot = { id: 7_000_001, is_bot: true, first_name: 'Acme Support', username: 'acme_support_bot' };
  webhook: { url: string; secret_token?: string; allowed_updates?: string[] } | undefined;
  /** Telegram's record of its last failed webhook delivery, as getWebhookInfo reports it. */
  webhookLastError: { date: number; message: string } | undefined;
  /** Highest offset a getUpdates call confirmed below (every update_id < it is gone). */
  confirmedOffset = 0;
  private pending: FakeUpdate[] = [];
  private nextUpdateId = 500_000;
  private waiter: Waiter | undefined;
  private allowedUpdates: string[] | undefined;
  private readonly scripted = new Map<string, (BotApiFailure | 'ok')[]>();
  private readonly blocked = new Set<string>();
  private readonly files = new Map<string, StoredFile>();
  private readonly lastMessageId = new Map<string, number>();

  private constructor(
    private readonly server: Server,
    readonly token: string,
  ) {}

  static async start(token = `${7_000_001}:${randomBytes(18).toString('base64url')}`): Promise<FakeBotApi> {
    let fake: FakeBotApi | undefined;
    const server = createServer((req, res) => {
      fake!.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500).end(String(error));
      });
    });
    fake = new FakeBotApi(server, token);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    if (this.waiter) this.answerWaiter([]);
    const closed = new Promise((resolve) => this.server.close(resolve));
    this.server.closeAllConnections();
    await closed;
  }

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Makes an update available to getUpdates, numbering it like Telegram does (sequentially). */
  queueUpdate(update: Omit<FakeUpdate, 'update_id'> & { update_id?: number }): FakeUpdate {
    const numbered = { ...update, update_id: update.update_id ?? (this.nextUpdateId += 1) } as FakeUpdate;
    this.pending.push(numbered);
    if (this.waiter) {
      const ready = this.select(this.waiter.offset, this.waiter.limit);
      if (ready.length > 0) this.answerWaiter(ready);
    }
    return numbered;
  }

  /** Updates Telegram still holds (not yet confirmed). */
  unconfirmed(): FakeUpdate[] {
    return [...this.pending];
  }

  /**
   * Delivers an update to the webhook as Telegram does: POST of the JSON with the secret header,
   * re-sent while the answer is not 2xx (up to `attempts` times). Returns every status seen.
   */
  async pushWebhook(update: FakeUpdate, options: { url?: string; secret?: string | null; attempts?: number } = {}): Promise<number[]> {
    const url = options.url ?? this.webhook?.url;
    if (!url) throw new Error('no webhook is set');
    const secret = options.secret === undefined ? this.webhook?.secret_token : options.secret;
    const statuses: number[] = [];
    for (let attempt = 0; attempt < (options.attempts ?? 1); attempt += 1) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
        body: JSON.stringify(update),
      });
      await response.arrayBuffer();
      statuses.push(response.status);
      if (response.ok) break;
    }
    return statuses;
  }

  /** The next send calls to this chat get these answers, in order (`'ok'` lets one through). */
  failNext(chatId: number | string, ...answers: (BotApiFailure | 'ok')[]): void {
    const key = String(chatId);
    this.scripted.set(key, [...(this.scripted.get(key) ?? []), ...answers]);
  }

  /** Every send to this chat is refused until `unblock` (the user blocked the bot). */
  block(chatId: number | string): void {
    this.blocked.add(String(chatId));
  }

  unblock(chatId: number | string): void {
    this.blocked.delete(String(chatId));
  }

  /** Serves a file under `file_id`; `size` can claim more than the bytes (a "large" file without the memory). */
  addFile(fileId: string, file: { path: string; bytes?: Buffer; size?: number; reportOnly?: boolean }): void {
    const bytes = file.bytes ?? Buffer.alloc(0);
    this.files.set(fileId, { path: file.path, bytes, size: file.size ?? bytes.length, reportOnly: file.reportOnly ?? false });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const fileRoute = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (fileRoute) return this.download(fileRoute[1]!, decodeURIComponent(fileRoute[2]!), res);
    const route = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!route) return this.answer(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    const token = route[1]!;
    const method = route[2]!;
    const { params, files } = await readParams(req, url);
    this.calls.push({ method, params, files, at: Date.now() });
    if (token !== this.token) return this.answer(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const handler = this.methods[method];
    if (!handler) return this.answer(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    handler(params, files, res);
  }

  private readonly methods: Record<string, (params: Record<string, unknown>, files: RecordedCall['files'], res: ServerResponse) => void> = {
    getMe: (_p, _f, res) => this.ok(res, this.bot),
    setWebhook: (params, _f, res) => {
      const url = String(params.url ?? '');
      if (url && !url.startsWith('https://')) return this.fail(res, { error_code: 400, description: 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook' });
      const allowed = params.allowed_updates as string[] | undefined;
      this.webhook = url ? { url, ...(params.secret_token ? { secret_token: String(params.secret_token) } : {}), ...(allowed ? { allowed_updates: allowed } : {}) } : undefined;
      this.ok(res, true);
    },
    deleteWebhook: (params, _f, res) => {
      this.webhook = undefined;
      if (params.drop_pending_updates === true || params.drop_pending_updates === 'true') this.pending = [];
      this.ok(res, true);
    },
    getWebhookInfo: (_p, _f, res) =>
      this.ok(res, {
        url: this.webhook?.url ?? '',
        has_custom_certificate: false,
        pending_update_count: this.pending.length,
        ...(this.webhookLastError ? { last_error_date: this.webhookLastError.date, last_error_message: this.webhookLastError.message } : {}),
        ...(this.webhook?.allowed_updates ? { allowed_updates: this.webhook.allowed_updates } : {}),
      }),
    getUpdates: (params, _f, res) => this.getUpdates(params, res),
    sendMessage: (params, _f, res) => {
      const text = String(params.text ?? '');
      if (text.length === 0) return this.fail(res, { error_code: 400, description: 'Bad Request: message text is empty' });
      if (text.length > TEXT_LIMIT) return this.fail(res, { error_code: 400, description: 'Bad Request: message is too long' });
      this.send(params, res, { text });
    },
    sendPhoto: (params, files, res) => {
      const upload = files.photo;
      if (!upload && typeof params.photo !== 'string') return this.fail(res, { error_code: 400, description: 'Bad Request: there is no photo in the request' });
      this.send(params, res, { photo: [{ file_id: `photo-${randomBytes(6).toString('hex')}`, file_unique_id: randomBytes(4).toString('hex'), width: 1, height: 1, file_size: upload?.bytes.length ?? 0 }] });
    },
    sendDocument: (params, files, res) => {
      const upload = files.document;
      if (!upload && typeof params.document !== 'string') return this.fail(res, { error_code: 400, description: 'Bad Request: there is no document in the request' });
      this.send(params, res, { document: { file_id: `doc-${randomBytes(6).toString('hex')}`, file_unique_id: randomBytes(4).toString('hex'), file_name: upload?.filename, file_size: upload?.bytes.length ?? 0 } });
    },
    getFile: (params, _f, res) => {
      const fileId = String(params.file_id ?? '');
      const file = this.files.get(fileId);
      if (!file) return this.fail(res, { error_code: 400, description: 'Bad Request: invalid file_id' });
      if (file.size > DOWNLOAD_LIMIT && !file.reportOnly) return this.fail(res, { error_code: 400, description: 'Bad Request: file is too big' });
      this.ok(res, { file_id: fileId, file_unique_id: `u-${fileId}`, file_size: file.size, file_path: file.path });
    },
  };

  /**
   * "An update is considered confirmed as soon as getUpdates is called with an offset higher than
   * its update_id"; a newer getUpdates ends a waiting one with 409; no polling while a webhook is set.
   */
  private getUpdates(params: Record<string, unknown>, res: ServerResponse): void {
    if (this.webhook) return this.fail(res, { error_code: 409, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first" });
    if (this.waiter) {
      const previous = this.waiter;
      this.waiter = undefined;
      clearTimeout(previous.timer);
      previous.respond(409, { ok: false, error_code: 409, description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running' });
    }
    const offset = Number(params.offset ?? 0);
    const limit = Math.min(100, Math.max(1, Number(params.limit ?? 100)));
    const timeout = Number(params.timeout ?? 0);
    if (Array.isArray(params.allowed_updates)) this.allowedUpdates = params.allowed_updates.map(String);
    if (offset > 0) {
      this.pending = this.pending.filter((update) => update.update_id >= offset);
      this.confirmedOffset = Math.max(this.confirmedOffset, offset);
    }
    const ready = this.select(offset, limit);
    if (ready.length > 0 || timeout <= 0) return this.handOut(res, ready);
    const waiter: Waiter = {
      offset,
      limit,
      respond: (status, body) => this.answer(res, status, body),
      handOut: (updates) => this.handOut(res, updates),
      timer: setTimeout(() => this.answerWaiter([]), timeout * 1000),
    };
    this.waiter = waiter;
    // A client that gives up (aborted long poll) no longer waits.
    res.on('close', () => {
      if (this.waiter === waiter) {
        clearTimeout(waiter.timer);
        this.waiter = undefined;
      }
    });
  }

  private select(offset: number, limit: number): FakeUpdate[] {
    const allowed = this.allowedUpdates;
    // Types the bot did not subscribe to are never delivered.
    if (allowed && allowed.length > 0) this.pending = this.pending.filter((update) => Object.keys(update).some((key) => allowed.includes(key)));
    return this.pending.filter((update) => update.update_id >= offset).slice(0, limit);
  }

  private answerWaiter(updates: FakeUpdate[]): void {
    const waiter = this.waiter;
    if (!waiter) return;
    this.waiter = undefined;
    clearTimeout(waiter.timer);
    waiter.handOut(updates);
  }

  private handOut(res: ServerResponse, updates: FakeUpdate[]): void {
    if (res.writableEnded || res.destroyed) return;
    this.handedOut.push(...updates.map((update) => update.update_id));
    this.ok(res, updates);
  }

  private send(params: Record<string, unknown>, res: ServerResponse, content: Record<string, unknown>): void {
    const chatId = String(params.chat_id ?? '');
    if (!chatId) return this.fail(res, { error_code: 400, description: 'Bad Request: chat_id is empty' });
    const scripted = this.scripted.get(chatId)?.shift();
    if (scripted && scripted !== 'ok') return this.fail(res, scripted);
    if (this.blocked.has(chatId)) return this.fail(res, failures.blocked());
    const messageId = (this.lastMessageId.get(chatId) ?? 1000) + 1;
    this.lastMessageId.set(chatId, messageId);
    const id = Number(chatId);
    this.delivered.push({ chatId, messageId, params, at: performance.timeOrigin + performance.now() });
    this.ok(res, { message_id: messageId, date: Math.floor(Date.now() / 1000), chat: id < 0 ? { id, type: 'supergroup', title: 'Group' } : { id, type: 'private', first_name: 'Customer' }, from: this.bot, ...content });
  }

  private download(token: string, path: string, res: ServerResponse): void {
    this.downloads.push(path);
    const file = token === this.token ? [...this.files.values()].find((f) => f.path === path) : undefined;
    if (!file) return this.answer(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(file.bytes.length) });
    res.end(file.bytes);
  }

  private ok(res: ServerResponse, result: unknown): void {
    this.answer(res, 200, { ok: true, result });
  }

  private fail(res: ServerResponse, failure: BotApiFailure): void {
    this.answer(res, failure.error_code, { ok: false, ...failure });
  }

  private answer(res: ServerResponse, status: number, body: unknown): void {
    if (res.writableEnded || res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }
}

/** Fields that arrive JSON-serialised inside multipart or query parameters. */
const JSON_FIELDS = new Set(['reply_parameters', 'allowed_updates', 'reply_markup', 'link_preview_options']);

/** Bot API parameters come as query string, JSON, urlencoded form or multipart (Bot API "Making requests"). */
async function readParams(req: IncomingMessage, url: URL): Promise<{ params: Record<string, unknown>; files: RecordedCall['files'] }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const params: Record<string, unknown> = {};
  const files: RecordedCall['files'] = {};
  const setField = (key: string, value: string): void => {
    params[key] = JSON_FIELDS.has(key) ? safeJson(value) : value;
  };
  url.searchParams.forEach((value, key) => setField(key, value));
  const type = req.headers['content-type'] ?? '';
  if (body.length === 0) return { params, files };
  if (type.startsWith('application/json')) Object.assign(params, JSON.parse(body.toString('utf8')));
  else if (type.startsWith('application/x-www-form-urlencoded')) new URLSearchParams(body.toString('utf8')).forEach((value, key) => setField(key, value));
  else if (type.startsWith('multipart/form-data')) {
    const form = await new Response(body, { headers: { 'content-type': type } }).formData();
    const uploads: [string, File][] = [];
    form.forEach((value, key) => (typeof value === 'string' ? setField(key, value) : uploads.push([key, value])));
    for (const [key, value] of uploads) files[key] = { filename: value.name, bytes: Buffer.from(await value.arrayBuffer()) };
  }
  return { params, files };
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
