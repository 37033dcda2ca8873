import { isIP } from 'node:net';
import { z } from 'zod';
import type { InboxEventType } from './events.js';

/**
 * Outbound webhooks (issue 18): the event types a receiver can subscribe to, and the rules for a
 * receiver's address that need no network (the address it resolves to is checked when sending,
 * `src/desk/webhooks/send.ts`).
 */

/** Every domain event a receiver can subscribe to, as the API and SSE name them. */
export const WEBHOOK_EVENT_TYPES = [
  'conversation.created',
  'conversation.updated',
  'message.created',
  'message.updated',
  'conversation.escalated',
  'message.redacted',
  'conversation.sla_breached',
  'conversation.sla_warning',
  'csat.received',
] as const satisfies readonly InboxEventType[];
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent only by `POST /api/webhooks/:id/test`, whatever the endpoint subscribes to. */
export const WEBHOOK_TEST_EVENT = 'webhook.test';

export const WebhookEventFilter = z
  .array(z.union([z.enum(WEBHOOK_EVENT_TYPES), z.literal('*')]))
  .min(1)
  .max(WEBHOOK_EVENT_TYPES.length + 1)
  .transform((list) => (list.includes('*') ? ['*' as const] : [...new Set(list)]));

export class WebhookUrlError extends Error {
  override readonly name = 'WebhookUrlError';
}

/**
 * Addresses no receiver may have: link-local (169.254.0.0/16, where clouds serve instance
 * metadata and credentials: 169.254.169.254, and AWS's IPv6 fd00:ec2::254), and the unspecified
 * address. Loopback and private ranges stay allowed on purpose: self-hosted teams run their
 * receivers (Rasa, an LLM service) on the same host or their LAN, and tests use 127.0.0.1.
 */
export function blockedAddress(address: string): string | undefined {
  const family = isIP(address);
  if (family === 4) return blockedV4(address);
  if (family !== 6) return undefined;
  const lower = address.toLowerCase().replace(/^\[|\]$/g, '');
  const mapped = /^(?:0{0,4}:){0,5}(?:0{0,4}:)?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower)?.[1];
  if (mapped) return blockedV4(mapped);
  const hex = /^(?:0{0,4}:){0,5}(?:0{0,4}:)?ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex) {
    const high = Number.parseInt(hex[1]!, 16);
    return blockedV4(`${high >> 8}.${high & 255}.${Number.parseInt(hex[2]!, 16) >> 8}.${Number.parseInt(hex[2]!, 16) & 255}`);
  }
  const groups = expandV6(lower);
  if (!groups) return undefined;
  if (groups.every((g) => g === 0)) return 'the unspecified address';
  // fe80::/10: link-local.
  if ((groups[0]! & 0xffc0) === 0xfe80) return 'a link-local address';
  if (groups.join(':') === [0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254].join(':')) return 'a cloud metadata address';
  return undefined;
}

function blockedV4(address: string): string | undefined {
  const [a, b] = address.split('.').map(Number);
  if (a === 169 && b === 254) return 'a link-local address (cloud metadata)';
  if (a === 0) return 'the unspecified address';
  return undefined;
}

function expandV6(address: string): number[] | undefined {
  const withoutZone = address.split('%')[0]!;
  const [head, tail] = withoutZone.includes('::') ? withoutZone.split('::') : [withoutZone, undefined];
  const parse = (part: string | undefined) => (part ? part.split(':').map((g) => Number.parseInt(g, 16)) : []);
  const left = parse(head);
  const right = parse(tail);
  const fill = tail === undefined ? 0 : 8 - left.length - right.length;
  const groups = [...left, ...Array<number>(Math.max(0, fill)).fill(0), ...right];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}

export const MAX_WEBHOOK_URL = 2000;

/**
 * A receiver's address, checked without the network: http or https, no user or password in it
 * (they would be shown in the inbox and the log; a receiver authenticates us by the signature),
 * no fragment, and not a blocked literal address. Returns the normalized URL.
 */
export function checkWebhookUrl(text: string): string {
  if (text.length > MAX_WEBHOOK_URL) throw new WebhookUrlError(`at most ${MAX_WEBHOOK_URL} characters`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new WebhookUrlError('not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new WebhookUrlError('only http and https receivers');
  if (url.username !== '' || url.password !== '') throw new WebhookUrlError('no user or password in the URL (the receiver checks the signature instead)');
  if (url.hash !== '') throw new WebhookUrlError('no #fragment');
  if (url.hostname === '') throw new WebhookUrlError('no host');
  const blocked = blockedAddress(url.hostname.replace(/^\[|\]$/g, ''));
  if (blocked) throw new WebhookUrlError(`the host is ${blocked}`);
  return url.toString();
}
