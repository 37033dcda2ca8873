import { Agent } from 'node:https';
import { ApiRequestError, ApiResponseError, type ITwitterApiClientPlugin, TwitterApi } from 'twitter-api-v2';
import { z } from 'zod';
import type { OutboundAttachment, OutboundMessage } from '../../src/channels/contract.js';
import { PermanentChannelError, RetryableChannelError } from '../../src/channels/errors.js';
import { sendParts, textParts } from '../../src/channels/kit/index.js';
import type { XConfig } from './config.js';

/** `text` of a DM is at most 10 000 characters (docs.x.com direct-messages/manage/integrate). */
export const TEXT_LIMIT = 10_000;
/** dm_image up to 5 MB, dm_gif up to 15 MB (media upload best practices). */
const MEDIA_CATEGORY: Record<string, { category: 'dm_image' | 'dm_gif'; limit: number }> = {
  'image/jpeg': { category: 'dm_image', limit: 5 * 1024 * 1024 },
  'image/png': { category: 'dm_image', limit: 5 * 1024 * 1024 },
  'image/webp': { category: 'dm_image', limit: 5 * 1024 * 1024 },
  'image/gif': { category: 'dm_gif', limit: 15 * 1024 * 1024 },
};

/**
 * twitter-api-v2 has no base-URL option: its prefixes are constants (`src/globals.ts`). A plugin
 * rewrites `args.params.url` (`args.url` is a copy, request-maker.mixin.ts) so OAuth 1.0a is
 * signed over the URL actually requested. Off upload.x.com the library would send media upload
 * urlencoded with the binary outside the signature, so multipart is forced for it.
 */
function baseUrlPlugin(apiBase: string, uploadBase: string): ITwitterApiClientPlugin {
  return {
    onBeforeRequestConfig(args) {
      const url = args.params.url;
      if (url.startsWith('https://upload.x.com/')) {
        args.params.url = uploadBase + url.slice('https://upload.x.com'.length);
        if (url.includes('/1.1/media/upload.json')) args.params.forceBodyMode = 'form-data';
      } else if (url.startsWith('https://api.x.com/')) {
        args.params.url = apiBase + url.slice('https://api.x.com'.length);
      }
    },
  };
}

/** An OAuth 1.0a user-context client for the support account, pointed at `apiBase`/`uploadBase`. */
export function createXClient(config: XConfig, options: { ca?: string | Buffer } = {}): TwitterApi {
  const plugins = config.apiBase === 'https://api.x.com' && config.uploadBase === 'https://upload.x.com' ? [] : [baseUrlPlugin(config.apiBase, config.uploadBase)];
  return new TwitterApi(
    { appKey: config.appKey, appSecret: config.appSecret, accessToken: config.accessToken, accessSecret: config.accessSecret },
    { plugins, ...(options.ca ? { httpAgent: new Agent({ ca: options.ca, keepAlive: true }) } : {}) },
  );
}

/**
 * twitter-api-v2 1.29.1 types the result as `{dm_conversation_id, dm_event_id}` but resolves to
 * X's body `{data:{dm_conversation_id, dm_event_id}}` (PLATFORMS §3); both are accepted.
 */
const DmIds = z.object({ dm_conversation_id: z.string(), dm_event_id: z.string() });
const SentDm = z.union([z.object({ data: DmIds }), DmIds]);

type Part = { kind: 'text'; text: string } | { kind: 'media'; attachment: OutboundAttachment };

/** The DMs one reply becomes: its text in ≤ 10 000-character parts, then one DM per attachment (X allows one per DM). */
export function planReply(message: Pick<OutboundMessage, 'text' | 'attachments'>): Part[] {
  for (const attachment of message.attachments) {
    const media = MEDIA_CATEGORY[attachment.mimeType];
    if (!media) throw new PermanentChannelError(`X direct messages carry JPEG, PNG, WebP or GIF images here; ${attachment.name} is ${attachment.mimeType}`, 'unsupported_attachment');
    if (attachment.size > media.limit) throw new PermanentChannelError(`${attachment.name} is larger than X allows for ${media.category} (${media.limit / 1048576} MB)`, 'too_large');
  }
  const texts: Part[] = textParts(message.text, TEXT_LIMIT).map((text) => ({ kind: 'text', text }));
  return [...texts, ...message.attachments.map((attachment): Part => ({ kind: 'media', attachment }))];
}

/**
 * Sends the parts of a reply not yet delivered (`alreadySent` counts them), one DM each, and
 * returns their `dm_event_id`s — the ids X echoes back to the webhook, so the echo matches.
 */
export async function sendReply(client: TwitterApi, participantId: string, message: OutboundMessage): Promise<string[]> {
  return sendParts(
    planReply(message),
    message,
    async (part) => {
      const body: Parameters<TwitterApi['v2']['sendDmToParticipant']>[1] =
        part.kind === 'text' ? { text: part.text } : { attachments: [{ media_id: await uploadDmMedia(client, part.attachment) }] };
      const result = SentDm.safeParse(await client.v2.sendDmToParticipant(participantId, body));
      // Delivered but unidentifiable: record it as sent rather than risk sending it twice.
      return result.success ? ('data' in result.data ? result.data.data : result.data).dm_event_id : `unknown-${Date.now()}`;
    },
    toChannelError,
  );
}

const UPLOAD_PREFIX = 'https://upload.x.com/1.1/';
const CHUNK = 1024 * 1024;
const Uploaded = z.object({ media_id_string: z.string(), processing_info: z.object({ state: z.string(), check_after_secs: z.number().optional() }).optional() });

/**
 * Chunked media upload (INIT / APPEND / FINALIZE, then STATUS while X processes a GIF) with the
 * DM media category. Written out rather than `client.v1.uploadMedia`, whose APPEND loop leaves a
 * rejected promise unhandled when X refuses a chunk (1.29.1 `mediaChunkedUpload`), which would
 * take the worker process down instead of failing one reply.
 */
async function uploadDmMedia(client: TwitterApi, attachment: OutboundAttachment): Promise<string> {
  const bytes = await attachment.read();
  const category = MEDIA_CATEGORY[attachment.mimeType]!.category;
  const options = { prefix: UPLOAD_PREFIX, forceBodyMode: 'form-data' as const };
  const init = Uploaded.parse(await client.v1.post('media/upload.json', { command: 'INIT', total_bytes: bytes.length, media_type: attachment.mimeType, media_category: category }, options));
  const mediaId = init.media_id_string;
  for (let offset = 0, segment = 0; offset < bytes.length; offset += CHUNK, segment += 1) {
    await client.v1.post('media/upload.json', { command: 'APPEND', media_id: mediaId, segment_index: segment, media: bytes.subarray(offset, offset + CHUNK) }, options);
  }
  let state = Uploaded.parse(await client.v1.post('media/upload.json', { command: 'FINALIZE', media_id: mediaId }, options)).processing_info;
  for (let checks = 0; state && state.state !== 'succeeded'; checks += 1) {
    if (state.state === 'failed' || checks >= 20) throw new PermanentChannelError(`X could not process ${attachment.name} (${state.state})`, 'media_failed');
    await new Promise((resolve) => setTimeout(resolve, Math.min(10, state?.check_after_secs ?? 1) * 1000));
    state = Uploaded.parse(await client.v1.get('media/upload.json', { command: 'STATUS', media_id: mediaId }, { prefix: UPLOAD_PREFIX })).processing_info;
  }
  return mediaId;
}

/** X's own words for a refusal: v2 problem `detail`, else its title or the v1.1 error message. */
export function reasonOf(error: ApiResponseError): string {
  const data = error.data;
  const first = data.errors?.[0];
  const fromList = first && 'message' in first ? first.message : undefined;
  const detail = data.detail ?? fromList ?? data.error;
  const text = data.title && detail && detail !== data.title ? `${data.title}: ${detail}` : (detail ?? data.title ?? `HTTP ${error.code}`);
  return text.slice(0, 500);
}

/**
 * A 403 that refuses the app rather than one recipient: the access tier lacks DM endpoints
 * ("You currently have access to a subset of X API V2 endpoints…", reason client-not-enrolled,
 * tweepy#2148) or the app/token was suspended or lacks DM permission.
 */
export function refusesAccount(error: unknown): boolean {
  if (!(error instanceof ApiResponseError)) return false;
  if (error.code === 401) return true;
  if (error.code !== 403) return false;
  const data = error.data as { reason?: string; type?: string; detail?: string; errors?: { code?: number; message?: string }[] };
  if (data.reason === 'client-not-enrolled' || data.type?.endsWith('/client-forbidden')) return true;
  if (/subset of X API|access level|not permitted to access this resource|oauth1-permissions|suspended/i.test(data.detail ?? '')) return true;
  return data.errors?.some((e) => e.code === 453 || e.code === 93 || e.code === 326) ?? false;
}

/** Maps an error of the X API (or the network) to what the outbound worker does next (STYLE §8). */
export function toChannelError(error: unknown, sent: readonly string[] = []): Error {
  if (error instanceof PermanentChannelError || error instanceof RetryableChannelError) return error;
  if (error instanceof ApiResponseError) {
    const reason = reasonOf(error);
    if (error.code === 429) return new RetryableChannelError(`X rate limit reached: ${reason}`, 'rate_limited', retryAfterMs(error), sent);
    if (refusesAccount(error)) return new PermanentChannelError(`X refused this app or account (${error.code}): ${reason}`, error.code === 401 ? 'unauthorized' : 'forbidden', sent);
    if (error.code >= 500) return new RetryableChannelError(`X answered ${error.code}: ${reason}`, 'platform_error', undefined, sent);
    // 400 / 403 for one recipient (they do not accept DMs from us, blocked, deactivated).
    return new PermanentChannelError(`X refused the message (${error.code}): ${reason}`, error.code === 403 ? 'not_permitted' : 'rejected', sent);
  }
  if (error instanceof ApiRequestError) return new RetryableChannelError(`could not reach X: ${error.requestError.message}`, 'network', undefined, sent);
  return new RetryableChannelError((error as Error).message, 'send_error', undefined, sent);
}

/** Until `x-rate-limit-reset` (epoch seconds), at least one second; a minute when X sent no header. */
export function retryAfterMs(error: ApiResponseError, now = Date.now()): number {
  const reset = error.rateLimit?.reset ?? Number(error.headers['x-rate-limit-reset']);
  if (!Number.isFinite(reset) || reset <= 0) return 60_000;
  return Math.max(1_000, reset * 1000 - now);
}
