import { z } from 'zod';
import { baseChannelConfig } from '../../src/channels/base-config.js';

const base = (fallback: string) =>
  z
    .url({ protocol: /^https$/ })
    .default(fallback)
    .transform((url) => url.replace(/\/+$/, ''));

/**
 * One X account answering direct messages (DESIGN §6). OAuth 1.0a user context: the app's
 * consumer key/secret plus the support account's access token/secret (DM endpoints refuse
 * app-only auth, docs.x.com direct-messages/manage/integrate). Numbers go through `z.coerce`
 * because `${VAR}` placeholders arrive as strings.
 */
export const xConfig = baseChannelConfig.extend({
  kind: z.literal('x'),
  /** API key (consumer key) of the X app. */
  appKey: z.string().min(1),
  /** API key secret (consumer secret): signs requests, answers the CRC and checks webhook signatures. Never logged. */
  appSecret: z.string().min(1),
  /** The support account's access token and secret (created with Read + Write + Direct Messages permission). */
  accessToken: z.string().min(1),
  accessSecret: z.string().min(1),
  /** Numeric user id of the support account: events it sent itself are not customer messages. */
  userId: z.string().regex(/^\d{1,20}$/, 'the numeric user id of the support account'),
  /** X pushes to `/webhooks/<id>` (Account Activity / X Activity API), or the connector role polls `GET /2/dm_events`. */
  mode: z.enum(['webhook', 'polling']).default('webhook'),
  /**
   * API host. twitter-api-v2 has no base-URL option and always speaks https, so any other host
   * (a proxy, a test fake) must be https too.
   */
  apiBase: base('https://api.x.com'),
  /** Media upload host (`/1.1/media/upload.json`). */
  uploadBase: base('https://upload.x.com'),
  /**
   * PEM file of an extra CA to trust for apiBase/uploadBase (a TLS-intercepting proxy, or the test
   * fake); the system CAs are used when unset.
   */
  caFile: z.string().min(1).optional(),
  /**
   * Polling: `GET /2/dm_events` allows 15 requests per 15 minutes per user
   * (x-api/fundamentals/rate-limits.mdx); one poll a minute keeps a page-back in reserve.
   */
  pollIntervalMs: z.coerce.number().int().min(10).default(60_000),
  /** Requests to dm_events allowed per window (both only lowered in tests). */
  pollBudget: z.coerce.number().int().min(1).default(15),
  pollWindowMs: z.coerce.number().int().min(100).default(15 * 60_000),
  /** How long the poller rests after X refused the tier or the credentials (401/403). */
  pausedBackoffMs: z.coerce.number().int().min(10).default(15 * 60_000),
});
export type XConfig = z.infer<typeof xConfig>;
