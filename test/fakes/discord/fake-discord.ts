import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

/** A Discord JSON error answer (topics/opcodes-and-status-codes.mdx "JSON Error Codes"). */
export interface DiscordFailure {
  status: number;
  body: { message: string; code?: number; retry_after?: number; global?: boolean };
  headers?: Record<string, string>;
}

/** The failures a real bot meets when sending, as Discord words them. */
export const failures = {
  dmsClosed: (): DiscordFailure => ({ status: 403, body: { message: 'Cannot send messages to this user', code: 50007 } }),
  missingPermissions: (): DiscordFailure => ({ status: 403, body: { message: 'Missing Permissions', code: 50013 } }),
  missingAccess: (): DiscordFailure => ({ status: 403, body: { message: 'Missing Access', code: 50001 } }),
  serverError: (): DiscordFailure => ({ status: 502, body: { message: '502: Bad Gateway', code: 0 } }),
  /** A per-route 429 with the headers @discordjs/rest reads (topics/rate-limits.mdx). */
  rateLimited: (retryAfterSeconds: number): DiscordFailure => ({
    status: 429,
    body: { message: 'You are being rate limited.', retry_after: retryAfterSeconds, global: false },
    headers: {
      'retry-after': String(Math.ceil(retryAfterSeconds)),
      'x-ratelimit-limit': '5',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(Date.now() / 1000 + retryAfterSeconds),
      'x-ratelimit-reset-after': retryAfterSeconds.toFixed(3),
      'x-ratelimit-bucket': 'fake-bucket-channel-messages',
      'x-ratelimit-scope': 'user',
    },
  }),
};

export interface SentMessage {
  id: string;
  channelId: string;
  content: string;
  messageReference?: { message_id: string };
  files: { name: string; size: number }[];
  /** Message components (action rows of buttons) as sent; later edits are in `edits`. */
  components: Json[];
  at: number;
}

/** An interaction the fake dispatched (a customer clicking a button) and how the bot answered it. */
export interface FakeInteraction {
  id: string;
  token: string;
  payload: Json;
  /** When Discord first sent it: the 3 s to answer and the 15 min of the token run from here. */
  createdAt: number;
  /** The callback type that acknowledged it (6 or 7); undefined until answered. */
  acknowledgedWith: number | undefined;
  /** The message the clicked component is on. */
  messageId: string;
  channelId: string;
}

/** A request answering an interaction, with the status the fake gave it. */
export interface InteractionAnswer {
  interactionId: string;
  kind: 'callback' | 'edit-original';
  /** Callback type (6 DEFERRED_UPDATE_MESSAGE, 7 UPDATE_MESSAGE); undefined for an edit. */
  type: number | undefined;
  data: Json | undefined;
  status: number;
  at: number;
}

export interface FakeUser {
  id: string;
  username: string;
  global_name?: string | null;
  bot?: boolean;
}

type Json = Record<string, unknown>;

/** Interaction limits (interactions/receiving-and-responding.mdx "Interaction Callback", "Followup Messages"). */
const INTERACTION_DEADLINE_MS = 3_000;
const INTERACTION_TOKEN_MS = 15 * 60_000;

const DISCORD_EPOCH = 1_420_070_400_000n;

/**
 * Discord on loopback for discord.js 14 to talk to: REST under `/api/v10` (gateway info, create DM,
 * create/list messages with JSON or multipart bodies, JSON errors and 429 headers) and the gateway
 * WebSocket (HELLO, heartbeat ACKs, IDENTIFY → READY + GUILD_CREATE with channels and threads,
 * RESUME with replay or op 9 INVALID_SESSION, dispatches with increasing `s`). It records what it
 * received; messages it "stores" are listed by `GET /channels/:id/messages?after=`.
 */
export class FakeDiscord {
  readonly token = 'faketoken';
  readonly bot: FakeUser = { id: '1200000000000000001', username: 'SupportBot', bot: true };
  readonly applicationId = '1200000000000000002';
  readonly guildId = '1200000000000000010';
  readonly supportChannelId = '1200000000000000011';
  readonly otherChannelId = '1200000000000000012';
  /** A thread under the support channel, known from GUILD_CREATE. */
  readonly supportThreadId = '1200000000000000013';
  readonly sent: SentMessage[] = [];
  readonly requests: { method: string; path: string; at: number; authorization?: string }[] = [];
  /** Every interaction callback and original-response edit, in arrival order, refused ones included. */
  readonly answers: InteractionAnswer[] = [];
  /** Message edits, in order (an interaction's UPDATE_MESSAGE or webhook edit). */
  readonly edits: { messageId: string; content?: string; components?: Json[]; at: number }[] = [];
  private readonly interactions = new Map<string, FakeInteraction>();
  /** Op codes received from the bot, in order (1 heartbeat, 2 identify, 6 resume). */
  readonly opsReceived: number[] = [];
  identifyIntents: number[] = [];
  /** Answer the next RESUME with op 9 `d: false` (session not resumable), as after a long outage. */
  refuseResume = false;
  /** Extra threads announced by GUILD_CREATE or THREAD_CREATE. */
  private readonly threads: Json[] = [];
  private readonly history = new Map<string, Json[]>();
  private readonly dmChannels = new Map<string, string>();
  private readonly closedDms = new Set<string>();
  private readonly pending: DiscordFailure[] = [];
  private delayed: { successes: number; failure: DiscordFailure } | undefined;
  private readonly sockets = new Set<WebSocket>();
  private readonly live = new Set<WebSocket>();
  private session: { id: string; seq: number; log: { s: number; t: string; d: unknown }[] } | undefined;
  private counter = 0n;
  private readonly wss: WebSocketServer;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {
    this.wss = new WebSocketServer({ server, path: '/gateway' });
    this.wss.on('connection', (socket) => this.onConnection(socket));
  }

  static async start(): Promise<FakeDiscord> {
    let fake: FakeDiscord | undefined;
    const server = createServer((req, res) => {
      fake!.handle(req, res).catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: String(error), code: 0 }));
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    fake = new FakeDiscord(server, `http://127.0.0.1:${port}`);
    return fake;
  }

  get apiBase(): string {
    return `${this.url}/api`;
  }

  get gatewayUrl(): string {
    return `${this.url.replace('http', 'ws')}/gateway`;
  }

  /** Gateway connections that completed IDENTIFY or RESUME. */
  get connected(): number {
    return this.live.size;
  }

  /** A fresh snowflake, later than every one before (ids sort by time, message.mdx). */
  snowflake(): string {
    this.counter += 1n;
    return String(((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) + (this.counter % 4096n));
  }

  dmChannelOf(userId: string): string {
    let id = this.dmChannels.get(userId);
    if (!id) {
      id = this.snowflake();
      this.dmChannels.set(userId, id);
    }
    return id;
  }

  /** Sends to this user fail with 50007 until `openDms`. */
  closeDms(userId: string): void {
    this.closedDms.add(userId);
  }

  openDms(userId: string): void {
    this.closedDms.delete(userId);
  }

  /** The next message creations fail like this, in order. */
  failNext(...failures: DiscordFailure[]): void {
    this.pending.push(...failures);
  }

  /** Lets `successes` message creations through, then fails the next one (a split reply failing midway). */
  failAfter(successes: number, failure: DiscordFailure): void {
    this.delayed = { successes, failure };
  }

  /** A customer's message: stored for `GET …/messages`, and dispatched unless `dispatch: false` (sent while we were away). */
  post(message: Json, options: { dispatch?: boolean } = {}): void {
    const channelId = String(message.channel_id);
    const list = this.history.get(channelId) ?? [];
    if (!list.some((m) => m.id === message.id)) list.push(stripGatewayFields(message));
    this.history.set(channelId, list);
    if (options.dispatch !== false) this.dispatch('MESSAGE_CREATE', message);
  }

  /** A thread created under a channel (THREAD_CREATE), so discord.js caches it. */
  createThread(id: string, parentId: string): void {
    const thread = threadObject(id, parentId, this.guildId);
    this.threads.push(thread);
    this.dispatch('THREAD_CREATE', { ...thread, newly_created: true });
  }

  /** An event to every identified connection; kept for replay on RESUME while the session lives. */
  dispatch(t: string, d: unknown): void {
    if (!this.session) return;
    const s = ++this.session.seq;
    this.session.log.push({ s, t, d });
    for (const socket of this.live) socket.send(JSON.stringify({ op: 0, t, s, d }));
  }

  /** Drops every gateway connection with a resumable close code, as a network fault or a Discord restart would. */
  dropConnections(code = 4000): void {
    for (const socket of this.sockets) socket.close(code, 'fake: connection dropped');
    this.live.clear();
  }

  /** A stored message (customer's or ours), as it is now. */
  message(id: string): Json | undefined {
    for (const list of this.history.values()) {
      const found = list.find((m) => m.id === id);
      if (found) return found;
    }
    return undefined;
  }

  /**
   * `user` clicks the button `customId` on message `messageId`: INTERACTION_CREATE with a
   * MESSAGE_COMPONENT interaction, shaped as Discord sends it (receiving-and-responding.mdx
   * "Interaction Object"; `user` in DMs, `member` in guilds; the partial `channel`). Only a button
   * the message has, or had when it was sent (a client that has not yet shown an edit, two quick
   * clicks), can be clicked. Returns the interaction id.
   */
  click(messageId: string, customId: string, user: FakeUser): string {
    const message = this.message(messageId);
    if (!message) throw new Error(`fake: no message ${messageId} to click on`);
    const shown = [...((message.components as Json[] | undefined) ?? []), ...(this.sent.find((m) => m.id === messageId)?.components ?? [])];
    if (!buttonsOf(shown).some((b) => b.type === 2 && b.custom_id === customId)) throw new Error(`fake: message ${messageId} has no button ${customId}`);
    const channelId = String(message.channel_id);
    const id = this.snowflake();
    // Shaped like Discord's: base64 of `interaction:<id>:<random>`, URL-safe characters only.
    const token = Buffer.from(`interaction:${id}:${randomBytes(48).toString('base64url')}`).toString('base64url');
    const fullUser = { global_name: null, discriminator: '0', avatar: null, public_flags: 0, ...user };
    const dm = this.isDmChannel(channelId);
    const payload: Json = {
      id,
      application_id: this.applicationId,
      type: 3,
      data: { custom_id: customId, component_type: 2 },
      channel: this.partialChannel(channelId, fullUser),
      channel_id: channelId,
      ...(dm
        ? { user: fullUser, context: 1, authorizing_integration_owners: { '0': '0' } }
        : {
            guild_id: this.guildId,
            guild: { id: this.guildId, locale: 'en-US', features: [] },
            guild_locale: 'en-US',
            member: { user: fullUser, nick: null, roles: [], joined_at: '2025-01-01T00:00:00.000000+00:00', deaf: false, mute: false, flags: 0, pending: false, permissions: '2248473465835073', avatar: null, premium_since: null, communication_disabled_until: null },
            context: 0,
            authorizing_integration_owners: { '0': this.guildId },
          }),
      token,
      version: 1,
      message: structuredClone(message),
      app_permissions: '2248473465835073',
      locale: 'en-US',
      entitlements: [],
      entitlement_sku_ids: [],
      attachment_size_limit: 10_485_760,
    };
    this.interactions.set(id, { id, token, payload, createdAt: Date.now(), acknowledgedWith: undefined, messageId, channelId });
    this.dispatch('INTERACTION_CREATE', payload);
    return id;
  }

  /** The same interaction again (same id and token), as a resumed session replays it. */
  redispatch(interactionId: string): void {
    const interaction = this.interactions.get(interactionId);
    if (!interaction) throw new Error(`fake: no interaction ${interactionId}`);
    this.dispatch('INTERACTION_CREATE', interaction.payload);
  }

  interaction(id: string): FakeInteraction | undefined {
    return this.interactions.get(id);
  }

  /** Messages we sent to this channel, in order. */
  sentTo(channelId: string): SentMessage[] {
    return this.sent.filter((m) => m.channelId === channelId);
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    this.server.close();
  }

  private onConnection(socket: WebSocket): void {
    this.sockets.add(socket);
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.live.delete(socket);
    });
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 }, s: null, t: null }));
    socket.on('message', (raw) => {
      const payload = JSON.parse(String(raw)) as { op: number; d: Json | number | null };
      this.opsReceived.push(payload.op);
      switch (payload.op) {
        case 1:
          socket.send(JSON.stringify({ op: 11 }));
          break;
        case 2:
          this.identify(socket, payload.d as Json);
          break;
        case 6:
          this.resume(socket, payload.d as Json);
          break;
        default:
          break;
      }
    });
  }

  private identify(socket: WebSocket, d: Json): void {
    this.identifyIntents.push(Number(d.intents));
    this.session = { id: `session-${this.snowflake()}`, seq: 0, log: [] };
    this.live.add(socket);
    this.dispatch('READY', {
      v: 10,
      user: { ...this.bot, discriminator: '0', global_name: null, avatar: null },
      guilds: [{ id: this.guildId, unavailable: true }],
      session_id: this.session.id,
      resume_gateway_url: this.gatewayUrl,
      application: { id: this.applicationId, flags: 0 },
      shard: [0, 1],
    });
    // Without the channels, discord.js drops guild messages (Channels.js createChannel needs them).
    this.dispatch('GUILD_CREATE', {
      id: this.guildId,
      name: 'Fake Guild',
      unavailable: false,
      member_count: 3,
      joined_at: new Date().toISOString(),
      roles: [],
      emojis: [],
      stickers: [],
      members: [],
      presences: [],
      voice_states: [],
      channels: [
        { id: this.supportChannelId, type: 0, name: 'support', guild_id: this.guildId, position: 0, permission_overwrites: [] },
        { id: this.otherChannelId, type: 0, name: 'general', guild_id: this.guildId, position: 1, permission_overwrites: [] },
      ],
      threads: [threadObject(this.supportThreadId, this.supportChannelId, this.guildId), ...this.threads],
    });
  }

  private resume(socket: WebSocket, d: Json): void {
    if (this.refuseResume || !this.session || d.session_id !== this.session.id) {
      this.refuseResume = false;
      this.session = undefined;
      socket.send(JSON.stringify({ op: 9, d: false, s: null, t: null }));
      return;
    }
    const from = Number(d.seq);
    for (const event of this.session.log.filter((e) => e.s > from)) socket.send(JSON.stringify({ op: 0, ...event }));
    this.live.add(socket);
    this.dispatch('RESUMED', {});
  }

  private isDmChannel(channelId: string): boolean {
    return [...this.dmChannels.values()].includes(channelId);
  }

  /** The partial channel of an interaction: id, type and, for threads, the parent and metadata. */
  private partialChannel(channelId: string, user: Json): Json {
    if (this.isDmChannel(channelId)) return { id: channelId, type: 1, flags: 0, last_message_id: null, recipients: [user] };
    const thread = channelId === this.supportThreadId ? threadObject(channelId, this.supportChannelId, this.guildId) : this.threads.find((t) => t.id === channelId);
    if (thread) return { ...thread, permissions: '2248473465835073' };
    const name = channelId === this.supportChannelId ? 'support' : 'general';
    return { id: channelId, type: 0, guild_id: this.guildId, name, parent_id: null, position: 0, permissions: '2248473465835073', flags: 0, nsfw: false, topic: null, rate_limit_per_user: 0, last_message_id: null };
  }

  /** Applies an edit to a stored message (omitted fields stay), and tells the gateway like Discord does. */
  private editMessage(messageId: string, data: Json): Json | undefined {
    const message = this.message(messageId);
    if (!message) return undefined;
    if (typeof data.content === 'string') message.content = data.content;
    if (Array.isArray(data.components)) message.components = data.components;
    message.edited_timestamp = new Date().toISOString();
    this.edits.push({ messageId, ...(typeof data.content === 'string' ? { content: data.content } : {}), ...(Array.isArray(data.components) ? { components: data.components as Json[] } : {}), at: Date.now() });
    this.dispatch('MESSAGE_UPDATE', { ...message, ...(this.isDmChannel(String(message.channel_id)) ? { channel_type: 1 } : { guild_id: this.guildId }) });
    return message;
  }

  /**
   * `POST /interactions/:id/:token/callback`: the first answer, within 3 s, once per interaction
   * (Discord answers 404 10062 past the deadline or for a wrong token, 400 40060 to a second one).
   * Needs no bot token: the interaction token authenticates it.
   */
  private async interactionCallback(interactionId: string, token: string, req: IncomingMessage, url: URL, json: (status: number, body: unknown) => void, res204: () => void): Promise<void> {
    const { body } = await parseMessageBody(req);
    const type = typeof body.type === 'number' ? body.type : undefined;
    const data = typeof body.data === 'object' && body.data !== null ? (body.data as Json) : undefined;
    const answer = (status: number): InteractionAnswer => {
      const entry: InteractionAnswer = { interactionId, kind: 'callback', type, data, status, at: Date.now() };
      this.answers.push(entry);
      return entry;
    };
    const interaction = this.interactions.get(interactionId);
    if (!interaction || interaction.token !== token || Date.now() - interaction.createdAt > INTERACTION_DEADLINE_MS) {
      answer(404);
      return json(404, { message: 'Unknown interaction', code: 10062 });
    }
    if (interaction.acknowledgedWith !== undefined) {
      answer(400);
      return json(400, { message: 'Interaction has already been acknowledged.', code: 40060 });
    }
    if (type !== 6 && type !== 7) {
      answer(400);
      return json(400, { message: `fake: interaction callback type ${String(type)} is not simulated`, code: 50035 });
    }
    interaction.acknowledgedWith = type;
    answer(type === 7 ? 200 : 204);
    const message = type === 7 ? this.editMessage(interaction.messageId, data ?? {}) : this.message(interaction.messageId);
    if (url.searchParams.get('with_response') === 'true') {
      return json(200, { interaction: { id: interactionId, type: 3, response_message_id: interaction.messageId }, resource: { type, ...(type === 7 ? { message } : {}) } });
    }
    res204();
  }

  /**
   * `PATCH /webhooks/:application_id/:token/messages/@original`: after an acknowledgement and while
   * the token lives (15 min), edits the message the clicked component is on.
   */
  private async editOriginal(applicationId: string, token: string, req: IncomingMessage, json: (status: number, body: unknown) => void): Promise<void> {
    const { body } = await parseMessageBody(req);
    const interaction = [...this.interactions.values()].find((i) => i.token === token);
    const answer = (status: number): void => void this.answers.push({ interactionId: interaction?.id ?? '', kind: 'edit-original', type: undefined, data: body, status, at: Date.now() });
    if (!interaction || applicationId !== this.applicationId || interaction.acknowledgedWith === undefined) {
      answer(404);
      return json(404, { message: 'Unknown Webhook', code: 10015 });
    }
    if (Date.now() - interaction.createdAt > INTERACTION_TOKEN_MS) {
      answer(401);
      return json(401, { message: 'Invalid Webhook Token', code: 50027 });
    }
    answer(200);
    json(200, this.editMessage(interaction.messageId, body));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const path = url.pathname;
    const authorization = req.headers.authorization;
    this.requests.push({ method: req.method ?? 'GET', path: `${path}${url.search}`, at: Date.now(), ...(authorization ? { authorization } : {}) });
    const json = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (path.startsWith('/attachments/')) {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(Buffer.from(`file at ${path}`));
      return;
    }
    if (!path.startsWith('/api/v10/')) return json(404, { message: '404: Not Found', code: 0 });
    const route = path.slice('/api/v10'.length);
    let m: RegExpExecArray | null;
    if (req.method === 'POST' && (m = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(route))) return this.interactionCallback(m[1]!, decodeURIComponent(m[2]!), req, url, json, () => res.writeHead(204).end());
    // discord.js sends `@original` percent-encoded (%40original), as URLs may.
    if (req.method === 'PATCH' && (m = /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(?:@|%40)original$/.exec(route))) return this.editOriginal(m[1]!, decodeURIComponent(m[2]!), req, json);
    if (authorization !== `Bot ${this.token}`) return json(401, { message: '401: Unauthorized', code: 0 });
    if (req.method === 'GET' && route === '/gateway/bot') {
      // Points nowhere useful: the adapter's `gatewayUrl` must override it.
      return json(200, { url: 'ws://127.0.0.1:9', shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 60_000, max_concurrency: 1 } });
    }
    if (req.method === 'GET' && route === '/users/@me') return json(200, { ...this.bot, discriminator: '0', global_name: null, avatar: null });
    if (req.method === 'POST' && route === '/users/@me/channels') {
      const body = JSON.parse((await readBody(req)).toString('utf8')) as { recipient_id: string };
      return json(200, { id: this.dmChannelOf(body.recipient_id), type: 1, recipients: [{ id: body.recipient_id, username: 'someone', discriminator: '0' }] });
    }
    if ((m = /^\/channels\/(\d+)\/messages$/.exec(route))) {
      const channelId = m[1]!;
      if (req.method === 'GET') {
        const after = BigInt(url.searchParams.get('after') ?? '0');
        const limit = Number(url.searchParams.get('limit') ?? '50');
        const list = (this.history.get(channelId) ?? []).filter((msg) => BigInt(String(msg.id)) > after);
        // Newest first, like Discord; `after` pages start from the oldest after the id.
        return json(200, list.sort((a, b) => (BigInt(String(a.id)) < BigInt(String(b.id)) ? -1 : 1)).slice(0, limit).reverse());
      }
      if (this.delayed && this.delayed.successes-- <= 0) {
        this.pending.push(this.delayed.failure);
        this.delayed = undefined;
      }
      const failure = this.pending.shift() ?? (this.isClosedDm(channelId) ? failures.dmsClosed() : undefined);
      if (failure) return json(failure.status, failure.body, failure.headers);
      const { body, files } = await parseMessageBody(req);
      const sent: SentMessage = {
        id: this.snowflake(),
        channelId,
        content: String(body.content ?? ''),
        ...(body.message_reference ? { messageReference: body.message_reference as { message_id: string } } : {}),
        files,
        components: Array.isArray(body.components) ? (body.components as Json[]) : [],
        at: Date.now(),
      };
      this.sent.push(sent);
      const created = {
        id: sent.id,
        channel_id: channelId,
        author: { ...this.bot, discriminator: '0', global_name: null, avatar: null },
        content: sent.content,
        timestamp: new Date().toISOString(),
        edited_timestamp: null,
        type: 0,
        tts: false,
        mention_everyone: false,
        mentions: [],
        mention_roles: [],
        attachments: [],
        embeds: [],
        pinned: false,
        flags: 0,
        components: structuredClone(sent.components),
      };
      this.post(created, { dispatch: false });
      return json(200, created);
    }
    if (req.method === 'GET' && (m = /^\/channels\/(\d+)$/.exec(route))) {
      const thread = this.threads.find((t) => t.id === m![1]);
      return thread ? json(200, thread) : json(404, { message: 'Unknown Channel', code: 10003 });
    }
    if (req.method === 'POST' && route === '/attachments/refresh-urls') {
      const body = JSON.parse((await readBody(req)).toString('utf8')) as { attachment_urls: string[] };
      return json(200, { refreshed_urls: body.attachment_urls.map((original) => ({ original, refreshed: original })) });
    }
    return json(404, { message: '404: Not Found', code: 0 });
  }

  private isClosedDm(channelId: string): boolean {
    for (const [user, channel] of this.dmChannels) if (channel === channelId && this.closedDms.has(user)) return true;
    return false;
  }
}

/** The buttons (and other components) inside action rows. */
export function buttonsOf(rows: readonly Json[]): Json[] {
  return rows.flatMap((row) => (Array.isArray(row.components) ? (row.components as Json[]) : []));
}

function threadObject(id: string, parentId: string, guildId: string): Json {
  return {
    id,
    type: 11,
    name: `ticket ${id.slice(-4)}`,
    guild_id: guildId,
    parent_id: parentId,
    owner_id: '1',
    thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: new Date().toISOString(), locked: false },
    message_count: 0,
    member_count: 1,
  };
}

/** REST message objects carry neither `guild_id`, `member` nor `channel_type` (gateway extras). */
function stripGatewayFields(message: Json): Json {
  const { guild_id: _g, member: _m, channel_type: _c, ...rest } = message;
  return rest;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** JSON, or multipart with `payload_json` and `files[n]` (reference.mdx "Uploading Files"). */
async function parseMessageBody(req: IncomingMessage): Promise<{ body: Json; files: { name: string; size: number }[] }> {
  const raw = await readBody(req);
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('multipart/form-data')) return { body: JSON.parse(raw.toString('utf8')) as Json, files: [] };
  const form = await new Request('http://fake/', { method: 'POST', headers: { 'content-type': type }, body: new Uint8Array(raw) }).formData();
  const files: { name: string; size: number }[] = [];
  form.forEach((value, key) => {
    if (key.startsWith('files[') && typeof value !== 'string') files.push({ name: value.name, size: value.size });
  });
  const payload = form.get('payload_json');
  return { body: typeof payload === 'string' ? (JSON.parse(payload) as Json) : {}, files };
}
