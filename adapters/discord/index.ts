import { Client, GatewayDispatchEvents, GatewayIntentBits, Options, Partials, REST, Routes, SimpleShardingStrategy, type WebSocketOptions } from 'discord.js';
import type { AdapterContext, FetchedFile, InboundSink } from '../../src/channels/contract.js';
import { PermanentChannelError, RetryableChannelError } from '../../src/channels/errors.js';
import { type AdapterBody, defineAdapter, downloadAtMost, queueWithRetry, sleep } from '../../src/channels/kit/index.js';
import type { ChannelCapabilities } from '../../src/domain/channel.js';
import type { InboundMessageInput } from '../../src/domain/message.js';
import { type DiscordConfig, discordConfig } from './config.js';
import { answerClick, rememberChoice } from './choices.js';
import { DiscordInteraction, DiscordMessage, DiscordMessageDelete, type Place, snowflakeAfter, toButtonClick, toDeletion, toEdit, toInboundMessage } from './inbound.js';
import { choiceComponents, DiscordSender, InteractionResponder, TEXT_LIMIT, toChannelError } from './outbound.js';

export const discordCapabilities: ChannelCapabilities = {
  maxTextLength: TEXT_LIMIT,
  formats: ['text'],
  attachments: true,
  replyWindowHours: null,
  // Message components: a row of buttons whose click comes back as an interaction (issue 15).
  buttons: true,
  // 50 requests/s per bot, all routes together (topics/rate-limits.mdx "Global Rate Limit");
  // a DM's first reply costs two (open the DM channel, send).
  sendRate: { max: 40, perMs: 1_000 },
};

/**
 * Intents: guild channel list (threads' parents), guild and DM messages, and the privileged
 * Message Content intent, without which guild messages arrive with empty `content` and
 * `attachments` (gateway.mdx "Message Content Intent").
 */
export const INTENTS = GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages | GatewayIntentBits.DirectMessages | GatewayIntentBits.MessageContent;

/** Waits longer than this are handed back to the outbound queue instead of holding a worker. */
const MAX_INLINE_RATE_LIMIT_WAIT_MS = 30_000;
/** How long the per-channel catch-up cursors live in shared state without activity. */
const CURSOR_TTL_MS = 30 * 86_400_000;
const CURSOR_KEY = 'cursors';
const MAX_CURSORS = 1_000;
const CATCH_UP_PAGES = 20;
/** Message id → its conversation, so a MESSAGE_DELETE (ids only) can be attributed. */
const REMEMBERED_MESSAGES = 5_000;
/** Interaction ids this connection is answering or answered: a resumed session replays them. */
const REMEMBERED_INTERACTIONS = 1_000;
const CDN_HOSTS = new Set(['cdn.discordapp.com', 'media.discordapp.net']);

export const discord = defineAdapter({
  kind: 'discord',
  configSchema: discordConfig,
  defaultName: 'Discord',
  create: (config, context) => discordBody(config, context),
});

export const createDiscordAdapter = (config: DiscordConfig, context: AdapterContext) => discord.create(config, context);

interface Cursor {
  last: string;
  place: Place;
}

function discordBody(config: DiscordConfig, context: AdapterContext): AdapterBody {
  const log = context.logger;
  const rest = new REST({
    api: config.apiBase,
    // A 5xx after Discord may already have created the message: our queue retries with backoff
    // and `alreadySent`, instead of @discordjs/rest re-posting at once.
    retries: 0,
    rejectOnRateLimit: (limit) => limit.retryAfter > MAX_INLINE_RATE_LIMIT_WAIT_MS,
  }).setToken(config.token);
  const sender = new DiscordSender(rest);
  const responder = new InteractionResponder(rest);
  const support = new Set(config.channels);

  return {
    capabilities: discordCapabilities,
    async send(address, message) {
      return { externalIds: await sender.send(address.threadKey, message) };
    },
    /**
     * The text with one button per option. The options' captions and answered texts are stored
     * first, so that whichever process holds the gateway when the customer clicks can answer.
     */
    async sendChoice(address, message) {
      const components = choiceComponents(message.choice);
      try {
        await rememberChoice(context.shared, address, message.choice);
      } catch (error) {
        throw new RetryableChannelError(`could not keep the question's options in Redis: ${(error as Error).message}`, 'shared_state');
      }
      return { externalIds: await sender.send(address.threadKey, message, components) };
    },
    fetchAttachment: (remote, maxBytes) => downloadAttachment(rest, config.apiBase, remote, maxBytes),
    async check() {
      await rest.get(Routes.user('@me'));
      return { status: 'ok' };
    },
    describeError: (error) => toChannelError(error).message,
    start: (sink, signal) => runConnection(sink, signal),
  };

  /**
   * The gateway connection, in the connector role under the channel's lease. Raw dispatches are
   * parsed by our own schema (so a guild message is not lost to an uncached channel) and handled
   * one at a time, in order. Every READY — the first one after a lease takeover, or one after a
   * session that could not be resumed — triggers a catch-up over REST from the last seen id of
   * each known conversation channel; duplicates of a replayed message are dropped by the pipeline.
   */
  async function runConnection(sink: InboundSink, signal: AbortSignal): Promise<void> {
    const cursors = await loadCursors();
    const remembered = new Map<string, { threadKey: string; sender: InboundMessageInput['sender'] }>();
    const interactions = new Set<string>();
    const answering = new Set<Promise<void>>();
    let dirty = false;
    let chain: Promise<void> = Promise.resolve();
    let fatal: ((error: Error) => void) | undefined;

    const client = new Client({
      intents: INTENTS,
      // Discord sends no CHANNEL_CREATE for DMs: without the partial, discord.js cannot build the
      // DM channel a message arrives in (discord.js#5516, #5687).
      partials: [Partials.Channel],
      rest: { api: config.apiBase },
      // We read raw payloads, so messages, members, presences and reactions are not cached at
      // all; users only up to 100 (plus our own). Channels stay cached: a thread's parent decides
      // whether it is a support thread. Archived threads are swept hourly.
      makeCache: Options.cacheWithLimits({
        ...Options.DefaultMakeCacheSettings,
        MessageManager: 0,
        GuildMessageManager: 0,
        DMMessageManager: 0,
        ReactionManager: 0,
        ReactionUserManager: 0,
        PresenceManager: 0,
        VoiceStateManager: 0,
        GuildEmojiManager: 0,
        GuildStickerManager: 0,
        GuildScheduledEventManager: 0,
        StageInstanceManager: 0,
        ThreadMemberManager: 0,
        GuildMemberManager: { maxSize: 0, keepOverLimit: (member) => member.id === member.client.user.id },
        UserManager: { maxSize: 100, keepOverLimit: (user) => user.id === user.client.user.id },
      }),
      sweepers: { ...Options.DefaultSweeperSettings, threads: { interval: 3_600, lifetime: 3_600 } },
      ...(config.gatewayUrl ? { ws: gatewayOverride(config.gatewayUrl) } : {}),
    });

    const enqueue = (work: () => Promise<void>): void => {
      chain = chain.then(work).catch((error: unknown) => log.error({ err: error }, 'handling a Discord event failed'));
    };

    client.ws.on(GatewayDispatchEvents.Ready, () => enqueue(catchUp));
    client.ws.on(GatewayDispatchEvents.MessageCreate, (data: unknown) => enqueue(() => onMessage(data, 'create')));
    client.ws.on(GatewayDispatchEvents.MessageUpdate, (data: unknown) => enqueue(() => onMessage(data, 'edit')));
    client.ws.on(GatewayDispatchEvents.MessageDelete, (data: unknown) => enqueue(() => onDelete(data)));
    // Not on the chain: a click has 3 s to be answered, whatever a catch-up is doing.
    client.ws.on(GatewayDispatchEvents.InteractionCreate, (data: unknown) => onInteraction(data));
    client.on('shardDisconnect', (event) => fatal?.(new Error(`Discord closed the gateway for good (${event.code}); check the token and the Message Content intent`)));
    client.on('error', (error) => log.warn({ err: error }, 'discord.js error'));
    client.on('shardReconnecting', () => log.info('Discord gateway reconnecting'));
    client.on('shardResume', (_id, replayed) => log.info({ replayed }, 'Discord gateway session resumed'));

    const flusher = setInterval(() => void flush(), 1_000);
    try {
      await new Promise<void>((resolve, reject) => {
        fatal = reject;
        if (signal.aborted) return resolve();
        signal.addEventListener('abort', () => resolve(), { once: true });
        client.login(config.token).catch(reject);
      });
    } finally {
      clearInterval(flusher);
      await client.destroy();
      await chain;
      await Promise.allSettled([...answering]);
      await flush();
    }

    function onInteraction(data: unknown): void {
      const parsed = DiscordInteraction.safeParse(data);
      if (!parsed.success) return;
      const click = toButtonClick(parsed.data, support);
      // Commands and other interactions: we register none.
      if (!click) return;
      // A resumed session replays events: this connection is answering (or answered) that one.
      if (interactions.has(click.id)) return;
      interactions.add(click.id);
      if (interactions.size > REMEMBERED_INTERACTIONS) interactions.delete(interactions.values().next().value!);
      const done = answerClick({ channelId: config.id, shared: context.shared, responder, log, signal, accept }, click, data)
        .catch((error: unknown) => log.error({ interaction: click.id, reason: (error as Error).message }, 'answering a Discord button click failed'))
        .finally(() => answering.delete(done));
      answering.add(done);
    }

    async function onMessage(data: unknown, kind: 'create' | 'edit'): Promise<void> {
      const parsed = DiscordMessage.safeParse(data);
      if (!parsed.success) {
        // MESSAGE_UPDATE may carry a partial object; anything else in an unknown shape is logged.
        if (kind === 'create') log.warn({ issue: parsed.error.issues[0]?.path.join('.') }, 'Discord message in an unexpected shape; ignored');
        return;
      }
      const place = await placeOf(parsed.data);
      if (!place) return;
      await handle(parsed.data, place, kind, data);
    }

    async function handle(message: DiscordMessage, place: Place, kind: 'create' | 'edit', raw: unknown): Promise<void> {
      const options = { channelId: config.id, place, channelName: (id: string) => nameOf(client, id) };
      const inbound = kind === 'create' ? toInboundMessage(message, options, raw) : toEdit(message, options, raw);
      if (inbound && (await accept(inbound))) {
        remember(message.id, inbound);
      }
      // Our own and other bots' messages move the cursor too: the catch-up need not fetch them again.
      advance(message.channel_id, message.id, place);
    }

    async function onDelete(data: unknown): Promise<void> {
      const parsed = DiscordMessageDelete.safeParse(data);
      if (!parsed.success) return;
      const known = remembered.get(parsed.data.id);
      if (!known) return;
      await accept(toDeletion(parsed.data, { channelId: config.id, ...known }, new Date()));
    }

    /** DMs always; a configured support channel; a thread whose parent is one. */
    async function placeOf(message: DiscordMessage): Promise<Place | undefined> {
      if (message.guild_id === undefined) return 'dm';
      if (support.has(message.channel_id)) return 'channel';
      const channel = client.channels.cache.get(message.channel_id) ?? (await client.channels.fetch(message.channel_id).catch(() => null));
      return channel?.isThread() && channel.parentId !== null && support.has(channel.parentId) ? 'thread' : undefined;
    }

    /** Queues one message, retrying while the queue is down; false if stopped first. */
    async function accept(message: InboundMessageInput): Promise<boolean> {
      const outcome = await queueWithRetry(sink, message, signal, (error, attempt) =>
        log.warn({ err: error, externalId: message.externalId, attempt }, 'could not queue a Discord message; retrying'),
      );
      if (outcome === 'invalid') log.error({ externalId: message.externalId }, 'Discord message does not fit the message model; skipped');
      return outcome === 'queued';
    }

    function remember(id: string, inbound: InboundMessageInput): void {
      remembered.delete(id);
      remembered.set(id, { threadKey: inbound.threadKey, sender: inbound.sender });
      if (remembered.size > REMEMBERED_MESSAGES) remembered.delete(remembered.keys().next().value!);
    }

    function advance(channelId: string, id: string, place: Place): void {
      const cursor = cursors.get(channelId);
      if (cursor && !snowflakeAfter(id, cursor.last)) return;
      cursors.delete(channelId);
      cursors.set(channelId, { last: id, place });
      // Least recently active channels go first; their conversations are long quiet.
      if (cursors.size > MAX_CURSORS) cursors.delete(cursors.keys().next().value!);
      dirty = true;
    }

    /** `GET /channels/:id/messages?after=` pages (newest first, ≤ 100 each) per known channel. */
    async function catchUp(): Promise<void> {
      for (const [channelId, start] of [...cursors]) {
        let after = start.last;
        for (let page = 0; page < CATCH_UP_PAGES && !signal.aborted; page += 1) {
          let batch: unknown[];
          try {
            batch = (await client.rest.get(Routes.channelMessages(channelId), { query: new URLSearchParams({ after, limit: '100' }) })) as unknown[];
          } catch (error) {
            log.error({ err: error, discordChannel: channelId }, 'Discord catch-up failed for a channel; messages sent while disconnected may be missing');
            break;
          }
          const messages = batch
            .map((item) => DiscordMessage.safeParse(item))
            .flatMap((r) => (r.success ? [r.data] : []))
            .sort((a, b) => (snowflakeAfter(a.id, b.id) ? 1 : -1));
          for (const message of messages) {
            if (signal.aborted) return;
            await handle(message, start.place, 'create', message);
            after = message.id;
          }
          if (batch.length < 100) break;
        }
      }
      if (cursors.size > 0) log.info({ channels: cursors.size }, 'Discord catch-up done');
    }

    async function flush(): Promise<void> {
      if (!dirty) return;
      dirty = false;
      await context.shared.set(CURSOR_KEY, JSON.stringify([...cursors]), CURSOR_TTL_MS).catch((error: unknown) => {
        dirty = true;
        log.warn({ err: error }, 'could not save the Discord catch-up cursors');
      });
    }
  }

  async function loadCursors(): Promise<Map<string, Cursor>> {
    const stored = await context.shared.get(CURSOR_KEY);
    if (!stored) return new Map();
    try {
      return new Map(JSON.parse(stored) as [string, Cursor][]);
    } catch {
      return new Map();
    }
  }
}

function nameOf(client: Client, channelId: string): string | undefined {
  const channel = client.channels.cache.get(channelId);
  return channel && 'name' in channel && typeof channel.name === 'string' ? channel.name : undefined;
}

/**
 * discord.js takes the gateway URL from `GET /gateway/bot` and has no option for it; the sharding
 * strategy is built with the @discordjs/ws manager, whose lookup we wrap to point elsewhere.
 */
function gatewayOverride(url: string): Partial<WebSocketOptions> {
  return {
    buildStrategy(manager) {
      const lookup = manager.fetchGatewayInformation.bind(manager);
      manager.fetchGatewayInformation = async (force?: boolean) => ({ ...(await lookup(force)), url });
      return new SimpleShardingStrategy(manager);
    },
  };
}

/**
 * Downloads a file the parser left as its CDN link. Links are signed and expire (reference.mdx
 * "Signed Attachment CDN URLs"); an expired one is renewed once with `POST /attachments/refresh-urls`.
 * Only Discord's CDN hosts (or the configured API host, for proxies and tests) are fetched, and
 * never with the bot token.
 */
async function downloadAttachment(rest: REST, apiBase: string, remote: string, maxBytes: number): Promise<FetchedFile> {
  let url: URL;
  try {
    url = new URL(remote);
  } catch {
    throw new PermanentChannelError('not a Discord attachment link', 'unsupported');
  }
  if (!CDN_HOSTS.has(url.hostname) && url.host !== new URL(apiBase).host) throw new PermanentChannelError(`refusing to download from ${url.host}`, 'unsupported');
  let response = await get(url.href);
  if (response.status === 403 || response.status === 404) {
    const refreshed = (await rest.post('/attachments/refresh-urls', { body: { attachment_urls: [url.href] } }).catch(() => undefined)) as
      | { refreshed_urls?: { original: string; refreshed: string }[] }
      | undefined;
    const fresh = refreshed?.refreshed_urls?.[0]?.refreshed;
    if (!fresh) throw new PermanentChannelError('Discord no longer has this file (the link expired)', 'expired');
    response = await get(fresh);
  }
  if (response.status === 403 || response.status === 404) throw new PermanentChannelError('Discord no longer has this file', 'expired');
  if (!response.ok) throw new RetryableChannelError(`Discord's CDN answered ${response.status}`, 'fetch_failed');
  const bytes = await downloadAtMost(response, maxBytes);
  const mimeType = response.headers.get('content-type')?.split(';')[0]?.trim();
  return { bytes, ...(mimeType ? { mimeType } : {}), name: decodeURIComponent(url.pathname.split('/').at(-1) ?? 'file') };
}

async function get(url: string): Promise<Response> {
  try {
    return await fetch(url, { signal: AbortSignal.timeout(120_000) });
  } catch (error) {
    throw new RetryableChannelError(`could not download the file from Discord: ${(error as Error).message}`, 'fetch_failed');
  }
}
