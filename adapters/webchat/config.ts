import { z } from 'zod';
import { baseChannelConfig } from '../../src/channels/base-config.js';

export const webchatConfig = baseChannelConfig.extend({
  kind: z.literal('webchat'),
  /**
   * Secret shared with the customer's app backend: `userHash = hex(HMAC-SHA256(secret, userId))`
   * lets a logged-in app user keep one history across devices. Unset = anonymous visitors only.
   */
  identitySecret: z.string().min(16, 'at least 16 characters').optional(),
  /** Origins allowed to embed the widget (CORS). Unset = any origin (tokens travel in headers, not cookies). */
  allowedOrigins: z.array(z.url()).optional(),
  /** Greeting shown in the widget before the first message. */
  welcomeMessage: z.string().max(500).optional(),
  /** How long a visitor token stays valid. */
  sessionDays: z.coerce.number().int().min(1).max(365).default(30),
  /** Abuse limits (Redis counters shared by all API processes). Raise them for a busy office NAT. */
  limits: z
    .object({
      messagesPerMinute: z.coerce.number().int().min(1).max(100_000).default(30),
      sessionsPerTenMinutes: z.coerce.number().int().min(1).max(1_000_000).default(30),
      uploadsPerTenMinutes: z.coerce.number().int().min(1).max(100_000).default(20),
    })
    .prefault({}),
});
export type WebchatConfig = z.infer<typeof webchatConfig>;
