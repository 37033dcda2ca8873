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

/** A button of an inline keyboard as the fake keeps it (callback buttons; other kinds keep their fields). */
export type FakeButton = { text: string; callback_data?: string } & Record<string, unknown>;

/** A message the bot sent, as Telegram holds it now (edits change it): what a callback query carries. */
export interface BotMessage {
  message_id: number;
  date: number;
  chat: Record<string, unknown> & { id: number };
  from: FakeBotApi['bot'];
  text?: string;
  edit_date?: number;
  reply_markup?: { inline_keyboard: FakeButton[][] };
  [field: string]: unknown;
}

/** The user pressing a button (Bot API User). */
export interface Presser {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

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
/** How long the fake lets a callback query be answered. */
const QUERY_LIFETIME_MS = 15 * 60 * 1000;
/** "callback_data: Data to be sent in a callback query to the bot when the button is pressed, 1-64 bytes" (Bot API InlineKeyboardButton). */
const CALLBACK_DATA_LIMIT = 64;
/** Fields of InlineKeyboardButton of which exactly one must be used (Bot API InlineKeyboardButton). */
const BUTTON_ACTIONS = ['url', 'callback_data', 'web_app', 'login_url', 'switch_inline_query', 'switch_inline_query_current_chat', 'switch_inline_query_chosen_chat', 'callback_game', 'pay'];

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
  /** The bot's sent messages by `<chat>:<message_id>`, in their current (possibly edited) state. */
  private readonly sent = new Map<string, BotMessage>();
  /** Callback queries handed out (pressButton), by id: when, and whether answerCallbackQuery was called. */
  private readonly queries = new Map<string, { issuedAt: number; answered: boolean }>();
  private readonly scriptedCalls = new Map<string, BotApiFailure[]>();

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
    const allowed = this.webhook?.allowed_updates;
    // Types the bot did not subscribe to with setWebhook are never delivered.
    if (allowed && allowed.length > 0 && !Object.keys(update).some((key) => allowed.includes(key))) return [];
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

  /** The next calls of `method` (whatever the chat) get these failures, in order. */
  failNextCall(method: string, ...answers: BotApiFailure[]): void {
    this.scriptedCalls.set(method, [...(this.scriptedCalls.get(method) ?? []), ...answers]);
  }

  /** A message the bot sent, as it is now (after any edits). */
  message(chatId: number | string, messageId: number): BotMessage | undefined {
    const stored = this.sent.get(`${chatId}:${messageId}`);
    return stored && structuredClone(stored);
  }

  /**
   * The user pressing a callback button under the bot's message: the `callback_query` update
   * Telegram would send (numbered, not yet queued: `queueUpdate` it for getUpdates or `pushWebhook`
   * it). It carries the message as it is now, keyboard included. `data` is the pressed button's;
   * Telegram does not check it against the keyboard, so a modified client can send any. With
   * `inaccessible`, the message comes as Bot API 7.0's InaccessibleMessage (`date: 0`, no content).
   */
  pressButton(from: Presser, chatId: number | string, messageId: number, data: string, options: { inaccessible?: boolean } = {}): FakeUpdate {
    const message = this.sent.get(`${chatId}:${messageId}`);
    if (!message) throw new Error(`the bot sent no message ${messageId} to chat ${chatId}`);
    const id = randomBytes(8).readBigUInt64BE().toString();
    this.queries.set(id, { issuedAt: Date.now(), answered: false });
    return {
      update_id: (this.nextUpdateId += 1),
      callback_query: {
        id,
        from: { is_bot: false, ...from },
        message: options.inaccessible ? { chat: message.chat, message_id: message.message_id, date: 0 } : structuredClone(message),
        chat_instance: `-${String(chatId).replace('-', '')}917`,
        data,
      },
    };
  }

  /** Whether answerCallbackQuery was called for this callback query. */
  answered(callbackQueryId: string): boolean {
    return this.queries.get(callbackQueryId)?.answered ?? false;
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
    answerCallbackQuery: (params, _f, res) => {
      const scripted = this.scriptedCalls.get('answerCallbackQuery')?.shift();
      if (scripted) return this.fail(res, scripted);
      const query = this.queries.get(String(params.callback_query_id ?? ''));
      // A query can be answered once, and only for a while (clients stop waiting after ~15 s; the server later).
      if (!query || query.answered || Date.now() - query.issuedAt > QUERY_LIFETIME_MS) {
        return this.fail(res, { error_code: 400, description: 'Bad Request: query is too old and response timeout expired or query ID is invalid' });
      }
      if (params.text !== undefined && String(params.text).length > 200) return this.fail(res, { error_code: 400, description: 'Bad Request: MESSAGE_TOO_LONG' });
      query.answered = true;
      this.ok(res, true);
    },
    editMessageText: (params, _f, res) => {
      const text = String(params.text ?? '');
      if (text.length === 0) return this.fail(res, { error_code: 400, description: 'Bad Request: message text is empty' });
      if (text.length > TEXT_LIMIT) return this.fail(res, { error_code: 400, description: 'Bad Request: MESSAGE_TOO_LONG' });
      // Without reply_markup the keyboard goes: editing the text replaces the whole message.
      this.edit('editMessageText', params, res, { text });
    },
    editMessageReplyMarkup: (params, _f, res) => this.edit('editMessageReplyMarkup', params, res, {}),
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
    const markup = readKeyboard(params.reply_markup);
    if (typeof markup === 'string') return this.fail(res, { error_code: 400, description: markup });
    const scripted = this.scripted.get(chatId)?.shift();
    if (scripted && scripted !== 'ok') return this.fail(res, scripted);
    if (this.blocked.has(chatId)) return this.fail(res, failures.blocked());
    const messageId = (this.lastMessageId.get(chatId) ?? 1000) + 1;
    this.lastMessageId.set(chatId, messageId);
    const id = Number(chatId);
    this.delivered.push({ chatId, messageId, params, at: performance.timeOrigin + performance.now() });
    const message: BotMessage = {
      message_id: messageId,
      date: Math.floor(Date.now() / 1000),
      chat: id < 0 ? { id, type: 'supergroup', title: 'Group' } : { id, type: 'private', first_name: 'Customer' },
      from: this.bot,
      ...content,
      ...(markup ? { reply_markup: markup } : {}),
    };
    this.sent.set(`${chatId}:${messageId}`, message);
    this.ok(res, message);
  }

  /**
   * editMessageText / editMessageReplyMarkup of a message the bot sent (Bot API "Updating
   * messages"): the new text and keyboard replace the old (no reply_markup = no keyboard), and an
   * edit that changes nothing is refused, as Telegram refuses it.
   */
  private edit(method: string, params: Record<string, unknown>, res: ServerResponse, change: { text?: string }): void {
    if (params.inline_message_id !== undefined) return this.fail(res, { error_code: 400, description: 'Bad Request: MESSAGE_ID_INVALID' });
    const chatId = String(params.chat_id ?? '');
    if (!chatId) return this.fail(res, { error_code: 400, description: 'Bad Request: chat_id is empty' });
    if (params.message_id === undefined) return this.fail(res, { error_code: 400, description: 'Bad Request: message identifier is not specified' });
    const markup = readKeyboard(params.reply_markup);
    if (typeof markup === 'string') return this.fail(res, { error_code: 400, description: markup });
    const scripted = this.scriptedCalls.get(method)?.shift();
    if (scripted) return this.fail(res, scripted);
    if (this.blocked.has(chatId)) return this.fail(res, failures.blocked());
    const message = this.sent.get(`${chatId}:${Number(params.message_id)}`);
    if (!message) return this.fail(res, { error_code: 400, description: 'Bad Request: message to edit not found' });
    const text = change.text ?? message.text;
    if (text === message.text && sameKeyboard(markup, message.reply_markup)) {
      return this.fail(res, { error_code: 400, description: 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message' });
    }
    if (text !== undefined) message.text = text;
    if (markup) message.reply_markup = markup;
    else delete message.reply_markup;
    message.edit_date = Math.floor(Date.now() / 1000);
    this.ok(res, message);
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

/**
 * An inline keyboard parameter as Telegram checks it: undefined when there is none (or it is
 * empty: no buttons is no keyboard), else the keyboard, or Telegram's refusal as a string.
 */
function readKeyboard(value: unknown): { inline_keyboard: FakeButton[][] } | undefined | string {
  if (value === undefined) return undefined;
  // A reply keyboard, its removal or force_reply: not buttons under the message.
  if (typeof value === 'object' && value !== null && ('keyboard' in value || 'remove_keyboard' in value || 'force_reply' in value)) return undefined;
  const rows = typeof value === 'object' && value !== null && 'inline_keyboard' in value ? value.inline_keyboard : undefined;
  if (!Array.isArray(rows) || !rows.every((row) => Array.isArray(row))) return "Bad Request: can't parse inline keyboard markup JSON object";
  for (const button of rows.flat() as unknown[]) {
    if (typeof button !== 'object' || button === null || typeof (button as { text?: unknown }).text !== 'string') return "Bad Request: can't parse inline keyboard button: Text must be a String";
    const actions = BUTTON_ACTIONS.filter((field) => field in button);
    if (actions.length === 0) return 'Bad Request: text buttons are unallowed in the inline keyboard';
    const data = (button as { callback_data?: unknown }).callback_data;
    if (actions.includes('callback_data') && (typeof data !== 'string' || Buffer.byteLength(data, 'utf8') < 1 || Buffer.byteLength(data, 'utf8') > CALLBACK_DATA_LIMIT)) {
      return 'Bad Request: BUTTON_DATA_INVALID';
    }
  }
  const keyboard = (rows as FakeButton[][]).filter((row) => row.length > 0);
  return keyboard.length > 0 ? { inline_keyboard: structuredClone(keyboard) } : undefined;
}

function sameKeyboard(a: { inline_keyboard: FakeButton[][] } | undefined, b: { inline_keyboard: FakeButton[][] } | undefined): boolean {
  return JSON.stringify(a?.inline_keyboard ?? []) === JSON.stringify(b?.inline_keyboard ?? []);
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
