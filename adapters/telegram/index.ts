import { basename, extname } from 'node:path';
import { Telegram, TelegramError } from 'telegraf';
import { z } from 'zod';
import type { AdapterContext, FetchedFile, InboundSink, OutboundChoice, WebhookReply, WebhookRequest } from '../../src/channels/contract.js';
import { PermanentChannelError, RetryableChannelError, WebhookRejection } from '../../src/channels/errors.js';
import { type AdapterBody, defineAdapter, downloadAtMost, jsonBody, queueWithRetry, retryDelayMs, secretMatcher, sleep, tooLargeToKeep } from '../../src/channels/kit/index.js';
import type { ChannelCapabilities } from '../../src/domain/channel.js';
import { parseChoiceToken, type PickedChoice } from '../../src/domain/choice.js';
import type { InboundMessageInput } from '../../src/domain/message.js';
import { type TelegramConfig, telegramConfig } from './config.js';
import { ALLOWED_UPDATES, buttonOf, type CallbackQuery, callbackQueryIdOf, fromTap, needsBotIdentity, type ParseOptions, TelegramUpdate, toInboundMessage } from './inbound.js';
import { ChatPacer, inlineKeyboard, sendReply, TEXT_LIMIT, toChannelError } from './outbound.js';

export const telegramCapabilities: ChannelCapabilities = {
  maxTextLength: TEXT_LIMIT,
  formats: ['text'],
  attachments: true,
  replyWindowHours: null,
  // "no more than 30 messages per second" per bot (Bot FAQ "My bot is hitting limits").
  sendRate: { max: 30, perMs: 1_000 },
  // Inline keyboard buttons; a press comes back as a callback_query update.
  buttons: true,
};

/** `rateLimits: false`: no account-wide limiter on the channel's outbound queue. */
const unlimitedCapabilities: ChannelCapabilities = { ...telegramCapabilities, sendRate: undefined };

/** Bots may download files up to 20 MB (Bot API getFile). */
export const DOWNLOAD_LIMIT = 20 * 1024 * 1024;
/** How long a webhook waits to learn the bot's username for a group message (it answers Telegram, which waits ≤ 60 s). */
const IDENTITY_TIMEOUT_MS = 5_000;
/** How long answering a button press, or editing its message, may hold up the update (and the chat's next one). */
const TAP_CALL_TIMEOUT_MS = 5_000;
/** How long the options of a question stay known for its answer; a survey is rarely answered after a week. */
const ASKED_TTL_MS = 8 * 24 * 3600 * 1000;

/**
 * What the answer to a question needs of the question, kept in the channel's shared state (Redis)
 * so whichever process receives the press can caption it and edit the message: the chat it went
 * to, and each option's caption and `answered` text.
 */
const AskedChoice = z.object({
  chatId: z.string(),
  options: z.array(z.object({ value: z.string(), label: z.string(), answered: z.string() })),
});
type AskedChoice = z.infer<typeof AskedChoice>;
const askedKey = (choiceId: string): string => `choice:${choiceId}`;

export const telegram = defineAdapter({
  kind: 'telegram',
  configSchema: telegramConfig,
  defaultName: 'Telegram',
  create: (config, context) => telegramBody(config, context),
});

export const createTelegramAdapter = (config: TelegramConfig, context: AdapterContext) => telegram.create(config, context);

function telegramBody(config: TelegramConfig, context: AdapterContext): AdapterBody {
  const log = context.logger;
  // webhookReply off: otherwise telegraf may answer an API call inside a webhook response, where
  // its result and errors are lost (telegraf client.ts WEBHOOK_REPLY_METHOD_ALLOWLIST).
  const api = new Telegram(config.token, { apiRoot: config.apiRoot, webhookReply: false });
  const pacer = config.rateLimits ? new ChatPacer() : new ChatPacer(() => 0);

  // The bot's own id and username decide whether a group message mentions or answers it.
  let bot: { id: number; username: string | undefined } | undefined;
  let identifying: Promise<void> | undefined;
  const identify = (): Promise<void> =>
    (identifying ??= api.getMe().then(
      (me) => {
        bot = { id: me.id, username: me.username };
      },
      (error: unknown) => {
        identifying = undefined;
        throw error;
      },
    ));
  const parseOptions = (): ParseOptions => ({ channelId: config.id, groups: config.groups, botId: bot?.id, botUsername: bot?.username });

  const base: AdapterBody = {
    capabilities: config.rateLimits ? telegramCapabilities : unlimitedCapabilities,
    async send(address, message) {
      return { externalIds: await sendReply(api, pacer, address.threadKey, message) };
    },
    /** The question's text with one button per option under it (an inline keyboard). */
    async sendChoice(address, message) {
      const keyboard = inlineKeyboard(message.choice);
      await remember(message.choice, address.threadKey);
      return { externalIds: await sendReply(api, pacer, address.threadKey, message, keyboard) };
    },
    fetchAttachment: (fileId, maxBytes) => downloadFile(api, fileId, maxBytes),
    async check() {
      const me = await api.getMe();
      bot = { id: me.id, username: me.username };
      const problem = config.mode === 'webhook' ? await registration() : undefined;
      return problem ? { status: 'error', error: problem } : { status: 'ok' };
    },
    describeError: (error) => (error instanceof TelegramError && error.code === 401 ? 'Telegram refused the bot token (401)' : (error as Error).message),
  };

  const publicUrl = context.publicUrl.replace(/\/+$/, '');
  const webhookUrl = `${publicUrl}/webhooks/${config.id}`;
  let registered = false;
  /**
   * Points Telegram at this gateway when it is reachable over https (setWebhook refuses http).
   * The first check in a process always registers: getWebhookInfo does not reveal the secret
   * token, so a changed secret would otherwise go unnoticed until every delivery failed with 403.
   * Returns Telegram's own delivery error, if it has one pending, for the channel status.
   */
  async function registration(): Promise<string | undefined> {
    if (!publicUrl.startsWith('https://')) return undefined;
    const info = await api.getWebhookInfo();
    if (!registered || info.url !== webhookUrl) {
      await api.setWebhook(webhookUrl, { secret_token: config.secretToken, allowed_updates: [...ALLOWED_UPDATES] });
      if (registered) log.warn({ previous: info.url }, 'the bot webhook pointed elsewhere; registered it again');
      registered = true;
      return undefined;
    }
    const recent = info.last_error_date !== undefined && Date.now() / 1000 - info.last_error_date < 600;
    return recent && info.pending_update_count > 0 ? `Telegram cannot deliver updates to ${webhookUrl}: ${info.last_error_message ?? 'unknown error'}` : undefined;
  }

  if (config.mode === 'webhook') {
    // The schema requires it in webhook mode; an empty secret would accept an empty header.
    if (!config.secretToken) throw new Error(`channel ${config.id}: secretToken is required in webhook mode`);
    const rightToken = secretMatcher(config.secretToken);
    return {
      ...base,
      async webhook(request: WebhookRequest, sink: InboundSink): Promise<WebhookReply> {
        if (request.method !== 'POST') throw new WebhookRejection(405, 'Telegram webhooks are POST requests');
        const given = request.headers['x-telegram-bot-api-secret-token'];
        if (given === undefined) throw new WebhookRejection(401, 'missing X-Telegram-Bot-Api-Secret-Token');
        if (!rightToken(given)) throw new WebhookRejection(403, 'wrong X-Telegram-Bot-Api-Secret-Token');
        const body = jsonBody(request.rawBody);
        const update = TelegramUpdate.safeParse(body);
        if (!update.success) {
          const updateId = typeof body === 'object' && body !== null && 'update_id' in body ? body.update_id : undefined;
          if (typeof updateId !== 'number') throw new WebhookRejection(400, 'not a Telegram Update (no update_id)');
          // A real update in a shape we do not know: refusing it would stall the chat's later updates.
          log.warn({ updateId, issue: update.error.issues[0]?.path.join('.') }, 'Telegram update in an unexpected shape; ignored');
          await answerUnknown(body);
          return { status: 200 };
        }
        if (update.data.callback_query) {
          // A failing accept throws: 503, and Telegram delivers the press again.
          await tap(update.data.callback_query, body, async (message) => {
            await sink.accept(message);
            return true;
          });
          return { status: 200 };
        }
        if (!bot && needsBotIdentity(update.data, config.groups)) {
          // Until then a mention cannot be recognised; failing makes Telegram redeliver rather than lose it.
          await withTimeout(identify(), IDENTITY_TIMEOUT_MS, 'looking up the bot (getMe) for a group message');
        }
        const message = toInboundMessage(update.data, body, parseOptions());
        if (message) await sink.accept(message);
        return { status: 200 };
      },
    };
  }

  return {
    ...base,
    /**
     * Long polling in the connector role. An update is confirmed by the next getUpdates whose
     * offset is above its id (Bot API getUpdates), so the offset moves only after every update of
     * the batch is in the queue: a crash or Redis outage leaves them with Telegram, never lost.
     * On stop we do not "commit" with one more call as telegraf does: a lost lease means another
     * instance may be polling, and a second getUpdates would end its poll with 409. The one
     * unconfirmed batch comes again and is deduplicated by its message ids.
     */
    async start(sink: InboundSink, signal: AbortSignal): Promise<void> {
      await identify();
      // Polling and a webhook exclude each other (getUpdates answers 409 while one is set).
      await api.deleteWebhook();
      let offset = 0;
      let failures = 0;
      while (!signal.aborted) {
        let updates: readonly { update_id: number }[];
        try {
          updates = await api.callApi('getUpdates', { timeout: config.pollTimeoutSeconds, limit: 100, offset, allowed_updates: [...ALLOWED_UPDATES] }, { signal: asTelegrafSignal(signal) });
        } catch (error) {
          if (signal.aborted) return;
          // 401 bad token, 409 a webhook or another poller: the connector runner records it and backs off.
          if (error instanceof TelegramError && (error.code === 401 || error.code === 409)) throw error;
          failures += 1;
          const retryAfter = error instanceof TelegramError ? error.parameters?.retry_after : undefined;
          log.warn({ err: error }, 'getUpdates failed; retrying');
          await sleep(retryAfter !== undefined ? retryAfter * 1000 : retryDelayMs(failures), signal);
          continue;
        }
        failures = 0;
        for (const update of updates) {
          if (!(await queue(update, sink, signal))) return;
        }
        const last = updates.at(-1);
        if (last) offset = last.update_id + 1;
      }
    },
  };

  /** Queues one polled update, retrying while the queue is down; false if stopped before it was queued. */
  async function queue(update: { update_id: number }, sink: InboundSink, signal: AbortSignal): Promise<boolean> {
    const parsed = TelegramUpdate.safeParse(update);
    if (!parsed.success) {
      log.warn({ updateId: update.update_id }, 'Telegram update in an unexpected shape; ignored');
      await answerUnknown(update);
      return true;
    }
    const enqueue = async (message: InboundMessageInput): Promise<boolean> => {
      const outcome = await queueWithRetry(sink, message, signal, (error, attempt) =>
        log.warn({ err: error, updateId: update.update_id, attempt }, 'could not queue a Telegram update; it stays unconfirmed'),
      );
      if (outcome === 'invalid') log.error({ updateId: update.update_id }, 'Telegram update does not fit the message model; skipped');
      return outcome !== 'stopped';
    };
    if (parsed.data.callback_query) return tap(parsed.data.callback_query, update, enqueue);
    const message = toInboundMessage(parsed.data, update, parseOptions());
    return message ? enqueue(message) : true;
  }

  /** Keeps what the press of one of this question's buttons will need, for any process (`AskedChoice`). */
  async function remember(choice: OutboundChoice, chatId: string): Promise<void> {
    const asked: AskedChoice = { chatId, options: choice.options.map(({ value, label, answered }) => ({ value, label, answered })) };
    try {
      await context.shared.set(askedKey(choice.id), JSON.stringify(asked), ASKED_TTL_MS);
    } catch (error) {
      // Sent without it, the press could not be captioned nor its message settled; try again later.
      throw new RetryableChannelError(`could not keep the question's options: ${(error as Error).message}`, 'state_unavailable');
    }
  }

  async function recall(choiceId: string): Promise<AskedChoice | undefined> {
    try {
      const stored = await context.shared.get(askedKey(choiceId));
      const parsed = stored === null ? undefined : AskedChoice.safeParse(JSON.parse(stored));
      return parsed?.success ? parsed.data : undefined;
    } catch (error) {
      log.warn({ err: error, choiceId }, 'could not read the options of a question; its answer is taken without them');
      return undefined;
    }
  }

  /**
   * A button press. Ours (`c|<choice>|<value>` data under a message in a chat): queued as the
   * customer's pick; once it is queued, answered (Telegram clients show a spinner until then) and
   * the question's message settled — its text becomes the option's `answered` text and the buttons
   * go. Anything else is only answered. While we still know the question, a press must match it
   * (the same chat, one of its values): Telegram passes any data a client sends, unchecked.
   * Returns false when stopped before the pick was queued (polling: the update comes again).
   */
  async function tap(query: CallbackQuery, raw: unknown, enqueue: (message: InboundMessageInput) => Promise<boolean>): Promise<boolean> {
    const picked = query.data === undefined ? undefined : parseChoiceToken(query.data);
    const chatId = query.message ? String(query.message.chat.id) : undefined;
    const asked = picked && chatId ? await recall(picked.id) : undefined;
    const option = asked?.options.find((o) => o.value === picked?.value);
    if (picked && asked && (asked.chatId !== chatId || !option)) {
      log.warn({ callbackQueryId: query.id, choiceId: picked.id, chatId }, 'a button press that does not match the question we sent; answered, not taken');
    } else if (picked) {
      const message = fromTap(query, picked, raw, { ...parseOptions(), receivedAt: new Date().toISOString(), storedLabel: option?.label });
      if (message) {
        if (!(await enqueue(message))) return false;
        await answerQuery(query.id);
        await settle(query, picked, option?.answered);
        return true;
      }
    }
    await answerQuery(query.id);
    return true;
  }

  /** Answers a press; a failure (already answered, too old) costs the customer a spinner, never the pick. */
  async function answerQuery(id: string): Promise<void> {
    try {
      await api.callApi('answerCallbackQuery', { callback_query_id: id }, { signal: asTelegrafSignal(AbortSignal.timeout(TAP_CALL_TIMEOUT_MS)) });
    } catch (error) {
      log.info({ err: error, callbackQueryId: id }, 'could not answer a button press');
    }
  }

  async function answerUnknown(raw: unknown): Promise<void> {
    const id = callbackQueryIdOf(raw);
    if (id !== undefined) await answerQuery(id);
  }

  /**
   * Edits the question's message after its answer: to the option's `answered` text, which drops
   * the keyboard (editMessageText without reply_markup removes it), or, when that text is no
   * longer known, removes only the keyboard. A message whose keyboard no longer has the pressed
   * button was settled already (a second press from a client that had not yet seen the edit):
   * left as it is, so it keeps saying what was answered first.
   */
  async function settle(query: CallbackQuery, picked: PickedChoice, answered: string | undefined): Promise<void> {
    const message = query.message;
    if (!message) return;
    const accessible = message.date !== 0;
    if (accessible && !buttonOf(query)) return;
    const signal = asTelegrafSignal(AbortSignal.timeout(TAP_CALL_TIMEOUT_MS));
    const target = { chat_id: message.chat.id, message_id: message.message_id };
    try {
      if (answered !== undefined && answered.trim() !== '') await api.callApi('editMessageText', { ...target, text: answered }, { signal });
      else await api.callApi('editMessageReplyMarkup', { ...target, reply_markup: { inline_keyboard: [] } }, { signal });
    } catch (error) {
      // "message is not modified": a redelivered press, already settled.
      const unchanged = error instanceof TelegramError && /message is not modified/i.test(error.description);
      if (unchanged) log.debug({ callbackQueryId: query.id }, 'the question was already settled');
      else log.warn({ err: error, callbackQueryId: query.id, choiceId: picked.id }, "could not edit the question's message after its answer");
    }
  }
}

/**
 * Downloads a file the parser left as a `file_id`: getFile gives a path valid for at least an
 * hour, then `<apiRoot>/file/bot<token>/<path>` (Bot API getFile). Bots get at most 20 MB; for
 * larger files Telegram answers getFile with "file is too big".
 */
async function downloadFile(api: Telegram, fileId: string, maxBytes: number): Promise<FetchedFile> {
  const tooBig = () => new PermanentChannelError("the file is over Telegram's 20 MB bot download limit", 'too_large');
  let file: Awaited<ReturnType<Telegram['getFile']>>;
  try {
    file = await api.getFile(fileId);
  } catch (error) {
    if (error instanceof TelegramError && /file is too big/i.test(error.description)) throw tooBig();
    if (error instanceof TelegramError && error.code === 400) throw new PermanentChannelError(`Telegram cannot provide this file: ${error.description}`, 'unavailable');
    throw toChannelError(error);
  }
  if (file.file_size !== undefined && file.file_size > DOWNLOAD_LIMIT) throw tooBig();
  if (file.file_size !== undefined && file.file_size > maxBytes) throw tooLargeToKeep(maxBytes);
  if (!file.file_path) throw new PermanentChannelError('Telegram gave no download path for this file', 'unavailable');
  const link = await api.getFileLink(file);
  // A local Bot API server (--local) returns paths on its own disk instead of a download URL.
  if (link.protocol === 'file:') throw new PermanentChannelError('files on a local Bot API server disk are not supported', 'unsupported');
  let response: Response;
  try {
    response = await fetch(link, { signal: AbortSignal.timeout(120_000) });
  } catch (error) {
    // The URL holds the bot token: report the reason only.
    throw new RetryableChannelError(`could not download the file from Telegram: ${(error as Error).message}`, 'fetch_failed');
  }
  if (response.status === 404) throw new PermanentChannelError('Telegram no longer has this file', 'expired');
  if (!response.ok) throw new RetryableChannelError(`Telegram's file server answered ${response.status}`, 'fetch_failed');
  const bytes = await downloadAtMost(response, maxBytes);
  const mimeType = mimeTypes[extname(file.file_path).toLowerCase()];
  return { bytes, name: basename(file.file_path), ...(mimeType ? { mimeType } : {}) };
}

/** Telegram's file server answers application/octet-stream; its paths keep the extension. */
const mimeTypes: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.oga': 'audio/ogg',
  '.ogg': 'audio/ogg',
  '.mp3': 'audio/mpeg',
  '.m4a': 'audio/mp4',
  '.pdf': 'application/pdf',
  '.tgs': 'application/x-tgsticker',
};

/**
 * telegraf 4 types `signal` as the `abort-controller` polyfill's class; the node-fetch 2 it calls
 * accepts the native one (it checks the constructor name, node-fetch `isAbortSignal`).
 */
type TelegrafSignal = NonNullable<NonNullable<Parameters<Telegram['callApi']>[2]>['signal']>;
const asTelegrafSignal = (signal: AbortSignal): TelegrafSignal => signal as unknown as TelegrafSignal;


async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
