import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ApiResponseError } from 'twitter-api-v2';
import type { AdapterContext, InboundSink, SharedState, WebhookReply, WebhookRequest } from '../../src/channels/contract.js';
import { PermanentChannelError, WebhookRejection } from '../../src/channels/errors.js';
import { type AdapterBody, backoffMs, defineAdapter, jsonBody, queueWithRetry, sameSecret, sleep } from '../../src/channels/kit/index.js';
import type { ChannelCapabilities } from '../../src/domain/channel.js';
import type { InboundMessageInput } from '../../src/domain/message.js';
import { type XConfig, xConfig } from './config.js';
import { compareIds, DmEventV2, DmIncludesV2, fromDmEventV2, type ParseOptions, parseWebhookBody } from './inbound.js';
import { createXClient, reasonOf, refusesAccount, retryAfterMs, sendReply, TEXT_LIMIT, toChannelError } from './outbound.js';

export const xCapabilities: ChannelCapabilities = {
  maxTextLength: TEXT_LIMIT,
  formats: ['text'],
  attachments: true,
  replyWindowHours: null,
  // POST dm_conversations: 15 requests / 15 min per user (x-api/fundamentals/rate-limits.mdx, 2026 table).
  sendRate: { max: 15, perMs: 15 * 60_000 },
};

/** Shared-state keys (scoped to the channel by the runtime). */
const CHECKPOINT = 'dm-checkpoint';
const POLL_LOG = 'dm-poll-requests';
const PAUSED = 'paused';
/** dm_events reaches 30 days back; a checkpoint older than that is worthless. */
const CHECKPOINT_TTL_MS = 31 * 24 * 3600_000;

const DM_EVENTS_QUERY = {
  'dm_event.fields': 'id,text,event_type,sender_id,dm_conversation_id,created_at,attachments,participant_ids',
  event_types: 'MessageCreate',
  expansions: 'sender_id,attachments.media_keys',
  'user.fields': 'id,name,username',
  'media.fields': 'media_key,type,url',
  max_results: 100,
};

export const x = defineAdapter({
  kind: 'x',
  configSchema: xConfig,
  defaultName: 'X',
  create: (config, context) => xBody(config, context),
});

export const createXAdapter = (config: XConfig, context: AdapterContext) => x.create(config, context);

/** `sha256=` + base64(HMAC-SHA256(consumer secret, data)): the CRC answer and the POST signature alike (webhooks/quickstart.mdx). */
export function xSignature(consumerSecret: string, data: string | Buffer): string {
  return `sha256=${createHmac('sha256', consumerSecret).update(data).digest('base64')}`;
}

function xBody(config: XConfig, context: AdapterContext): AdapterBody {
  const log = context.logger;
  const client = createXClient(config, config.caFile ? { ca: readFileSync(config.caFile) } : {});
  const parseOptions: ParseOptions = { channelId: config.id, userId: config.userId };
  const shared = context.shared;

  /** X refused the tier or the credentials: reported by verify() until a DM call succeeds again. */
  const pause = (reason: string): Promise<void> => shared.set(PAUSED, reason, config.pausedBackoffMs).catch(() => undefined);
  const resume = (): Promise<void> => shared.delete(PAUSED).catch(() => undefined);

  const base: AdapterBody = {
    capabilities: xCapabilities,
    async send(address, message) {
      try {
        const externalIds = await sendReply(client, address.threadKey, message);
        await resume();
        return { externalIds };
      } catch (error) {
        const cause = error instanceof Error && 'cause' in error ? error.cause : undefined;
        if (error instanceof PermanentChannelError && (error.code === 'forbidden' || error.code === 'unauthorized')) {
          await pause(error.message);
          log.error({ code: error.code, cause }, 'X refused DMs for this app or account; channel paused');
        }
        throw error;
      }
    },
    async check() {
      const paused = await shared.get(PAUSED).catch(() => null);
      if (paused) return { status: 'paused', error: paused };
      try {
        // users/me proves the keys; DM access itself shows on the first DM call (it pauses the channel).
        await client.v2.me();
        return { status: 'ok' };
      } catch (error) {
        if (error instanceof ApiResponseError && refusesAccount(error)) {
          const reason = `X refused this app or account (${error.code}): ${reasonOf(error)}`;
          await pause(reason);
          return { status: 'paused', error: reason };
        }
        if (error instanceof ApiResponseError && error.code === 429) return { status: 'ok', error: 'users/me is rate limited right now' };
        throw error;
      }
    },
    describeError: (error) => toChannelError(error).message,
  };

  if (config.mode === 'webhook') {
    return {
      ...base,
      async webhook(request: WebhookRequest, sink: InboundSink): Promise<WebhookReply> {
        if (request.method === 'GET') {
          // CRC: X proves we hold the consumer secret at registration and hourly after (webhooks/introduction.mdx).
          const token = request.query.crc_token;
          if (!token) throw new WebhookRejection(400, 'missing crc_token');
          return { status: 200, body: JSON.stringify({ response_token: xSignature(config.appSecret, token) }), contentType: 'application/json; charset=utf-8' };
        }
        if (request.method !== 'POST') throw new WebhookRejection(405, 'X webhooks are POST (GET only for the CRC)');
        const given = request.headers['x-twitter-webhooks-signature'];
        if (given === undefined) throw new WebhookRejection(401, 'missing x-twitter-webhooks-signature');
        if (!sameSecret(given, xSignature(config.appSecret, request.rawBody))) {
          throw new WebhookRejection(403, 'x-twitter-webhooks-signature does not match the consumer secret');
        }
        const body = jsonBody(request.rawBody);
        const batch = parseWebhookBody(body, parseOptions);
        if (batch.unrecognised) log.debug('X webhook event of another kind; ignored');
        // Every DM of the batch is queued before the 200: a failure makes X redeliver the whole
        // batch, and the ones already queued are dropped by their event ids.
        for (const message of batch.messages) await sink.accept(message);
        return { status: 200 };
      },
    };
  }

  const budget = new RequestBudget(shared, config.pollBudget, config.pollWindowMs);

  /**
   * One poll: pages `GET /2/dm_events` (newest first) back to the checkpoint, then queues the new
   * events oldest first, moving the checkpoint past each only once it is queued. The first poll
   * of a channel (no checkpoint) takes the newest page only, not 30 days of history.
   */
  async function pollOnce(sink: InboundSink, signal: AbortSignal): Promise<void> {
    const checkpoint = await shared.get(CHECKPOINT);
    const fresh: { event: DmEventV2; includes: DmIncludesV2 }[] = [];
    let token: string | undefined;
    for (;;) {
      await budget.take(signal);
      if (signal.aborted) return;
      const response = await client.v2.get<unknown>('dm_events', { ...DM_EVENTS_QUERY, ...(token ? { pagination_token: token } : {}) }, { fullResponse: true });
      await budget.observe(response.rateLimit);
      const page = PageV2.safeParse(response.data);
      if (!page.success) throw new Error(`GET /2/dm_events answered in an unexpected shape (${page.error.issues[0]?.path.join('.')})`);
      const includes = page.data.includes ?? {};
      let reached = false;
      for (const event of page.data.data ?? []) {
        if (checkpoint && compareIds(event.id, checkpoint) <= 0) {
          reached = true;
          break;
        }
        fresh.push({ event, includes });
      }
      token = page.data.meta?.next_token;
      if (reached || !token || !checkpoint) break;
    }
    fresh.sort((a, b) => compareIds(a.event.id, b.event.id));
    for (const { event, includes } of fresh) {
      const message = fromDmEventV2(event, includes, parseOptions);
      if (message && !(await queue(message, sink, signal))) return;
      await shared.set(CHECKPOINT, event.id, CHECKPOINT_TTL_MS);
    }
  }

  /** Queues one polled DM, retrying while the queue is down; false if stopped first. */
  async function queue(message: InboundMessageInput, sink: InboundSink, signal: AbortSignal): Promise<boolean> {
    const outcome = await queueWithRetry(sink, message, signal, (error, attempt) =>
      log.warn({ err: error, event: message.externalId, attempt }, 'could not queue an X DM; the checkpoint stays before it'),
    );
    if (outcome === 'invalid') log.error({ event: message.externalId }, 'X DM does not fit the message model; skipped');
    return outcome !== 'stopped';
  }

  return {
    ...base,
    /** Polling in the connector role, within 15 requests / 15 minutes per user. */
    async start(sink: InboundSink, signal: AbortSignal): Promise<void> {
      let failures = 0;
      while (!signal.aborted) {
        try {
          await pollOnce(sink, signal);
          failures = 0;
          await resume();
          await sleep(config.pollIntervalMs, signal);
        } catch (error) {
          if (signal.aborted) return;
          if (error instanceof ApiResponseError && error.code === 429) {
            const wait = retryAfterMs(error);
            log.warn({ waitMs: wait }, 'GET /2/dm_events rate limited; waiting for x-rate-limit-reset');
            await sleep(wait, signal);
          } else if (error instanceof ApiResponseError && refusesAccount(error)) {
            // Tier or credentials: retrying sooner would only spend requests on the same refusal.
            const reason = `X refused this app or account (${error.code}): ${reasonOf(error)}`;
            await pause(reason);
            log.error({ retryInMs: config.pausedBackoffMs }, `${reason}; polling paused`);
            await sleep(config.pausedBackoffMs, signal);
          } else {
            failures += 1;
            log.warn({ err: error, failures }, 'polling X DMs failed; retrying');
            await sleep(Math.max(config.pollIntervalMs, backoffMs(failures + 1)), signal);
          }
        }
      }
    },
  };
}

/** A page of `GET /2/dm_events`: `{data?, includes?, meta:{result_count, next_token?}}`. */
const PageV2 = z.object({
  data: z.array(DmEventV2).optional(),
  includes: DmIncludesV2.optional(),
  meta: z.object({ next_token: z.string().optional() }).optional(),
});

/**
 * At most `max` dm_events requests per `windowMs`, counted in shared state so a restart or a
 * failover to another instance does not start a fresh allowance; X's own `x-rate-limit-remaining: 0`
 * also blocks until its reset.
 */
class RequestBudget {
  constructor(
    private readonly shared: SharedState,
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  async take(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const now = Date.now();
      const blockedUntil = Number((await this.shared.get(`${POLL_LOG}:blocked`)) ?? 0);
      const recent = (await this.log()).filter((at) => at > now - this.windowMs);
      if (blockedUntil <= now && recent.length < this.max) {
        recent.push(now);
        await this.shared.set(POLL_LOG, JSON.stringify(recent), this.windowMs);
        return;
      }
      const freeAt = Math.max(blockedUntil, recent.length >= this.max ? recent[recent.length - this.max]! + this.windowMs : 0);
      await sleep(Math.max(10, freeAt - now), signal);
    }
  }

  async observe(rateLimit: { remaining: number; reset: number } | undefined): Promise<void> {
    if (rateLimit?.remaining === 0 && rateLimit.reset * 1000 > Date.now()) {
      await this.shared.set(`${POLL_LOG}:blocked`, String(rateLimit.reset * 1000), rateLimit.reset * 1000 - Date.now());
    }
  }

  private async log(): Promise<number[]> {
    const stored = await this.shared.get(POLL_LOG);
    const parsed = z.array(z.number()).safeParse(stored ? JSON.parse(stored) : []);
    return parsed.success ? parsed.data : [];
  }
}


