import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { makeTestCertificate, type TestCertificate } from './tls.js';

export interface XUser {
  readonly id: string;
  readonly name: string;
  readonly username: string;
}

/** A DM as the fake X stores it (the v2 DM event fields we serve). */
export interface StoredDm {
  id: string;
  text: string;
  sender_id: string;
  recipient_id: string;
  created_at: string;
  media_id?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: Record<string, unknown>;
  /** Field names of multipart bodies that were files. */
  files: string[];
  authorization: string;
  at: number;
}

/** An X API v2 problem answer, in X's words. */
export interface XFailure {
  status: number;
  body: Record<string, unknown>;
  /** Sets x-rate-limit-reset to now + this many seconds (429). */
  resetInSeconds?: number;
}

export const xFailures = {
  /** The tier refusal of tweepy#2148 / X API v2 `client-forbidden`. */
  tier: (): XFailure => ({
    status: 403,
    body: {
      client_id: '1234567',
      detail: 'You currently have access to a subset of X API V2 endpoints and limited v1.1 endpoints (e.g. media post, oauth) only. If you need access to this endpoint, you may need a different access level. You can learn more here: https://developer.x.com/en/portal/product',
      registration_url: 'https://developer.x.com/en/docs/projects/overview',
      title: 'Client Forbidden',
      required_enrollment: 'Appropriate Level of API Access',
      reason: 'client-not-enrolled',
      type: 'https://api.twitter.com/2/problems/client-forbidden',
    },
  }),
  /** One recipient does not accept DMs from us. */
  notPermitted: (): XFailure => ({
    status: 403,
    body: { detail: 'You are not permitted to send a message to this user.', title: 'Forbidden', type: 'about:blank', status: 403 },
  }),
  unauthorized: (): XFailure => ({ status: 401, body: { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' } }),
  tooManyRequests: (resetInSeconds: number): XFailure => ({ status: 429, body: { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 }, resetInSeconds }),
  serverError: (): XFailure => ({ status: 503, body: { title: 'Service Unavailable', detail: 'Service Unavailable', type: 'about:blank', status: 503 } }),
};

export const CONSUMER = { appKey: 'fake-consumer-key', appSecret: 'fake-consumer-secret-0123456789', accessToken: '1600000000000000001-fakeaccesstoken', accessSecret: 'fake-access-secret' };

/**
 * The parts of the X API the adapter uses, over HTTPS on loopback: `GET /2/users/me`,
 * `GET /2/dm_events` (newest first, `pagination_token` paging, `includes.users`, a per-user
 * request limit answering 429 with `x-rate-limit-reset`), `POST /2/dm_conversations/with/:id/messages`
 * and chunked `POST /1.1/media/upload.json`. It stores every DM sent or received, so polling sees
 * our own replies exactly as the real timeline does, and records every request.
 */
export class FakeXApi {
  readonly requests: RecordedRequest[] = [];
  readonly dms: StoredDm[] = [];
  readonly users = new Map<string, XUser>();
  readonly me: XUser = { id: '1600000000000000001', name: 'Acme Support', username: 'acme_support' };
  /** dm_events requests allowed per window (X: 15 per 15 minutes per user). */
  dmEventsLimit = { max: 15, windowMs: 15 * 60_000 };
  /** 429s the fake answered to dm_events because the limit was exceeded (a well-behaved poller causes none). */
  limitBreaches = 0;
  /** Every answer of users/me and dm_events fails with this until cleared (tier refused, keys revoked). */
  accountFailure: XFailure | undefined;
  private readonly scripted = new Map<string, XFailure[]>();
  private readonly media = new Map<string, { bytes: Buffer[]; type: string; category: string; finalized: boolean }>();
  private nextId = 1_850_000_000_000_000_000n;

  private constructor(
    private readonly server: Server,
    private readonly certificate: TestCertificate,
  ) {
    this.users.set(this.me.id, this.me);
  }

  static async start(): Promise<FakeXApi> {
    const certificate = makeTestCertificate();
    let fake: FakeXApi | undefined;
    const server = createServer({ key: certificate.key, cert: certificate.cert }, (req, res) => {
      fake!.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500).end(String(error));
      });
    });
    fake = new FakeXApi(server, certificate);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return fake;
  }

  get url(): string {
    return `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get caFile(): string {
    return this.certificate.caFile;
  }

  get cert(): Buffer {
    return this.certificate.cert;
  }

  async stop(): Promise<void> {
    const closed = new Promise((resolve) => this.server.close(resolve));
    this.server.closeAllConnections();
    await closed;
    this.certificate.dispose();
  }

  addUser(user: XUser): void {
    this.users.set(user.id, user);
  }

  /** A customer writes to the support account; returns the stored DM (its id is the dedup key). */
  receive(from: XUser, text: string): StoredDm {
    this.addUser(from);
    const dm: StoredDm = { id: this.newId(), text, sender_id: from.id, recipient_id: this.me.id, created_at: new Date().toISOString() };
    this.dms.push(dm);
    return dm;
  }

  /** DMs we (the support account) sent to this participant, in order. */
  sentTo(participantId: string): StoredDm[] {
    return this.dms.filter((dm) => dm.sender_id === this.me.id && dm.recipient_id === participantId);
  }

  requestsTo(method: string, path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && r.path === path);
  }

  /** The next sends to this participant get these answers, in order. */
  failNext(participantId: string, ...failures: XFailure[]): void {
    this.scripted.set(participantId, [...(this.scripted.get(participantId) ?? []), ...failures]);
  }

  /** Every send to this participant is refused with `failure` until `clear` (a standing refusal). */
  block(participantId: string, failure: XFailure): void {
    this.scripted.set(participantId, Array.from({ length: 1000 }, () => failure));
  }

  clear(participantId: string): void {
    this.scripted.delete(participantId);
  }

  /** The Account Activity API `message_create` event of a stored DM, with the `users` map. */
  accountActivityBody(dm: StoredDm): Record<string, unknown> {
    return {
      for_user_id: this.me.id,
      direct_message_events: [legacyEvent(dm)],
      users: Object.fromEntries([dm.sender_id, dm.recipient_id].map((id) => [id, legacyUser(this.users.get(id) ?? { id, name: id, username: id })])),
    };
  }

  /** The X Activity API `dm.received` envelope (event-payloads.mdx) of a stored DM. */
  activityBody(dm: StoredDm, eventType = dm.sender_id === this.me.id ? 'dm.sent' : 'dm.received'): Record<string, unknown> {
    const { for_user_id: _forUser, ...payload } = this.accountActivityBody(dm);
    return { data: { event_type: eventType, event_uuid: `uuid-${dm.id}`, filter: { user_id: this.me.id }, tag: 'support', payload } };
  }

  /**
   * POSTs an event to a webhook as X does: JSON, `x-twitter-webhooks-signature: sha256=<base64
   * HMAC-SHA256(consumer secret, body)>` (`secret: null` leaves the header out). Returns the status.
   */
  async push(url: string, body: unknown, options: { secret?: string | null } = {}): Promise<number> {
    const raw = JSON.stringify(body);
    const secret = options.secret === undefined ? CONSUMER.appSecret : options.secret;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (secret !== null) headers['x-twitter-webhooks-signature'] = `sha256=${createHmac('sha256', secret).update(raw).digest('base64')}`;
    const response = await fetch(url, { method: 'POST', headers, body: raw });
    await response.arrayBuffer();
    return response.status;
  }

  private newId(): string {
    this.nextId += 1_000_000n + BigInt(Math.floor(Math.random() * 1000));
    return this.nextId.toString();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const raw = await readBody(req);
    const { body, files } = await decodeBody(req, raw);
    const record: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), body, files, authorization: req.headers.authorization ?? '', at: Date.now() };
    this.requests.push(record);
    const auth = record.authorization;
    if (!auth.startsWith('OAuth ') || !auth.includes(`oauth_consumer_key="${CONSUMER.appKey}"`) || !auth.includes(`oauth_token="${encodeURIComponent(CONSUMER.accessToken)}"`)) {
      return answer(res, 401, { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' });
    }
    if (record.method === 'GET' && url.pathname === '/2/users/me') {
      if (this.accountFailure) return this.fail(res, this.accountFailure);
      return answer(res, 200, { data: { id: this.me.id, name: this.me.name, username: this.me.username } });
    }
    if (record.method === 'GET' && url.pathname === '/2/dm_events') return this.dmEvents(url, res);
    const send = /^\/2\/dm_conversations\/with\/(\d+)\/messages$/.exec(url.pathname);
    if (record.method === 'POST' && send) return this.send(send[1]!, body, res);
    if (record.method === 'POST' && url.pathname === '/1.1/media/upload.json') return this.upload(body, files, res);
    answer(res, 404, { title: 'Not Found Error', type: 'https://api.twitter.com/2/problems/resource-not-found', detail: `no route ${url.pathname}` });
  }

  private windowRequests(now: number): number {
    return this.requests.filter((r) => r.path === '/2/dm_events' && r.at > now - this.dmEventsLimit.windowMs).length;
  }

  private dmEvents(url: URL, res: ServerResponse): void {
    const now = Date.now();
    const used = this.windowRequests(now);
    const oldestInWindow = this.requests.find((r) => r.path === '/2/dm_events' && r.at > now - this.dmEventsLimit.windowMs)?.at ?? now;
    const reset = Math.ceil((oldestInWindow + this.dmEventsLimit.windowMs) / 1000);
    const headers = { 'x-rate-limit-limit': String(this.dmEventsLimit.max), 'x-rate-limit-remaining': String(Math.max(0, this.dmEventsLimit.max - used)), 'x-rate-limit-reset': String(reset) };
    if (used > this.dmEventsLimit.max) {
      this.limitBreaches += 1;
      return answer(res, 429, { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 }, headers);
    }
    if (this.accountFailure) return this.fail(res, this.accountFailure);
    const max = Math.min(100, Number(url.searchParams.get('max_results') ?? 100));
    const newestFirst = [...this.dms].sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
    const start = Number(url.searchParams.get('pagination_token') ?? 0);
    const page = newestFirst.slice(start, start + max);
    const next = start + max < newestFirst.length ? String(start + max) : undefined;
    const senders = [...new Set(page.map((dm) => dm.sender_id))].map((id) => this.users.get(id)).filter((u): u is XUser => u !== undefined);
    answer(
      res,
      200,
      {
        ...(page.length > 0 ? { data: page.map((dm) => ({ id: dm.id, event_type: 'MessageCreate', text: dm.text, sender_id: dm.sender_id, dm_conversation_id: conversationId(dm), created_at: dm.created_at, participant_ids: [dm.sender_id, dm.recipient_id] })) } : {}),
        ...(senders.length > 0 ? { includes: { users: senders } } : {}),
        meta: { result_count: page.length, ...(next ? { next_token: next } : {}) },
      },
      headers,
    );
  }

  private send(participantId: string, body: Record<string, unknown>, res: ServerResponse): void {
    const failure = this.scripted.get(participantId)?.shift();
    if (failure) return this.fail(res, failure);
    const text = typeof body.text === 'string' ? body.text : '';
    const attachments = Array.isArray(body.attachments) ? (body.attachments as { media_id?: string }[]) : [];
    if (text.length > 10_000) return answer(res, 400, { title: 'Invalid Request', detail: 'text is longer than 10000 characters', type: 'https://api.twitter.com/2/problems/invalid-request' });
    if (text === '' && attachments.length === 0) return answer(res, 400, { title: 'Invalid Request', detail: 'text or attachments is required', type: 'https://api.twitter.com/2/problems/invalid-request' });
    const mediaId = attachments[0]?.media_id;
    if (mediaId !== undefined && !this.media.get(mediaId)?.finalized) return answer(res, 400, { title: 'Invalid Request', detail: `unknown media_id ${mediaId}`, type: 'https://api.twitter.com/2/problems/invalid-request' });
    const dm: StoredDm = { id: this.newId(), text, sender_id: this.me.id, recipient_id: participantId, created_at: new Date().toISOString(), ...(mediaId ? { media_id: mediaId } : {}) };
    this.dms.push(dm);
    answer(res, 201, { data: { dm_conversation_id: conversationId(dm), dm_event_id: dm.id } });
  }

  /** Chunked upload INIT / APPEND / FINALIZE (v1.1 media/upload, multipart). */
  private upload(body: Record<string, unknown>, files: string[], res: ServerResponse): void {
    const command = String(body.command ?? '');
    if (command === 'INIT') {
      const id = this.newId();
      this.media.set(id, { bytes: [], type: String(body.media_type ?? ''), category: String(body.media_category ?? ''), finalized: false });
      return answer(res, 202, { media_id: Number(id), media_id_string: id, expires_after_secs: 86_400 });
    }
    const entry = this.media.get(String(body.media_id ?? ''));
    if (!entry) return answer(res, 400, { errors: [{ code: 324, message: 'Invalid media id' }] });
    if (command === 'APPEND') {
      if (!files.includes('media')) return answer(res, 400, { errors: [{ code: 38, message: 'media parameter is missing.' }] });
      entry.bytes.push(body.media as Buffer);
      res.writeHead(204).end();
      return;
    }
    if (command === 'FINALIZE') {
      entry.finalized = true;
      const size = entry.bytes.reduce((n, b) => n + b.length, 0);
      return answer(res, 201, { media_id: 0, media_id_string: String(body.media_id), size, expires_after_secs: 86_400, image: { image_type: entry.type } });
    }
    answer(res, 400, { errors: [{ code: 38, message: `unknown command ${command}` }] });
  }

  /** What was uploaded under a media id (category, MIME type, bytes). */
  uploaded(mediaId: string): { category: string; type: string; bytes: Buffer } | undefined {
    const entry = this.media.get(mediaId);
    return entry && { category: entry.category, type: entry.type, bytes: Buffer.concat(entry.bytes) };
  }

  private fail(res: ServerResponse, failure: XFailure): void {
    const headers: Record<string, string> = {};
    if (failure.resetInSeconds !== undefined) {
      headers['x-rate-limit-limit'] = '15';
      headers['x-rate-limit-remaining'] = '0';
      headers['x-rate-limit-reset'] = String(Math.ceil(Date.now() / 1000 + failure.resetInSeconds));
    }
    answer(res, failure.status, failure.body, headers);
  }
}

function conversationId(dm: StoredDm): string {
  const [a, b] = [dm.sender_id, dm.recipient_id].sort((x, y) => (BigInt(x) < BigInt(y) ? -1 : 1));
  return `${a}-${b}`;
}

function legacyEvent(dm: StoredDm): Record<string, unknown> {
  return {
    type: 'message_create',
    id: dm.id,
    created_timestamp: String(Date.parse(dm.created_at)),
    message_create: { target: { recipient_id: dm.recipient_id }, sender_id: dm.sender_id, message_data: { text: dm.text, entities: { hashtags: [], symbols: [], user_mentions: [], urls: [] } } },
  };
}

function legacyUser(user: XUser): Record<string, unknown> {
  return { id: user.id, created_timestamp: '1422556069340', name: user.name, screen_name: user.username, protected: false, verified: false, followers_count: 1, friends_count: 1, statuses_count: 1 };
}

function answer(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function decodeBody(req: IncomingMessage, raw: Buffer): Promise<{ body: Record<string, unknown>; files: string[] }> {
  const type = req.headers['content-type'] ?? '';
  if (raw.length === 0) return { body: {}, files: [] };
  if (type.startsWith('application/json')) return { body: JSON.parse(raw.toString('utf8')) as Record<string, unknown>, files: [] };
  if (type.startsWith('application/x-www-form-urlencoded')) return { body: Object.fromEntries(new URLSearchParams(raw.toString('utf8'))), files: [] };
  if (type.startsWith('multipart/form-data')) return parseMultipart(raw, /boundary=(?:"([^"]+)"|([^;]+))/.exec(type)?.slice(1).find(Boolean) ?? '');
  return { body: { raw: raw.toString('utf8') }, files: [] };
}

/**
 * multipart/form-data by hand, on bytes: every part's value stays a Buffer when it has a filename
 * or is the binary `media` field, so uploaded bytes can be compared exactly.
 */
function parseMultipart(raw: Buffer, boundary: string): { body: Record<string, unknown>; files: string[] } {
  const body: Record<string, unknown> = {};
  const files: string[] = [];
  const delimiter = Buffer.from(`--${boundary}`);
  let at = raw.indexOf(delimiter);
  while (at !== -1) {
    const start = at + delimiter.length;
    if (raw.subarray(start, start + 2).toString() === '--') break;
    const next = raw.indexOf(delimiter, start);
    if (next === -1) break;
    const part = raw.subarray(start + 2, next - 2); // skip CRLF after the delimiter and before the next
    const split = part.indexOf('\r\n\r\n');
    const head = part.subarray(0, split).toString('utf8');
    const value = part.subarray(split + 4);
    const name = /name="([^"]*)"/.exec(head)?.[1] ?? '';
    if (/filename=/.test(head) || /content-type:/i.test(head) || name === 'media') {
      body[name] = Buffer.from(value);
      files.push(name);
    } else body[name] = value.toString('utf8');
    at = next;
  }
  return { body, files };
}
