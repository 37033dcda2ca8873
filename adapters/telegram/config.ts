import { z } from 'zod';
import { baseChannelConfig } from '../../src/channels/base-config.js';

/**
 * One Telegram bot (DESIGN §6). Numbers go through `z.coerce` because `${VAR}` placeholders
 * arrive as strings.
 */
export const telegramConfig = baseChannelConfig
  .extend({
    kind: z.literal('telegram'),
    /** From @BotFather: `<bot id>:<secret>`. Never logged; telegraf redacts it from its errors. */
    token: z.string().regex(/^\d+:[A-Za-z0-9_-]+$/, 'a bot token from @BotFather, like 123456789:AAH…'),
    /** Telegram pushes to `/webhooks/<id>`, or the connector role long-polls `getUpdates`; never both (Bot API "Getting updates"). */
    mode: z.enum(['webhook', 'polling']).default('webhook'),
    /**
     * Sent back by Telegram in `X-Telegram-Bot-Api-Secret-Token` on every webhook call; the only
     * proof a request comes from Telegram. 1–256 of `A-Z a-z 0-9 _ -` (Bot API setWebhook).
     */
    secretToken: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,256}$/, '1–256 characters of A-Z, a-z, 0-9, "_" and "-"')
      .optional(),
    /**
     * Bot API base URL: a self-hosted Bot API server, a proxy, or a test fake. telegraf resolves
     * `./bot<token>/<method>` against it, so a path prefix needs the trailing slash added here.
     */
    apiRoot: z
      .url({ protocol: /^https?$/ })
      .default('https://api.telegram.org')
      .transform((url) => (url.endsWith('/') ? url : `${url}/`)),
    /** Group chats: `ignore` them, take only messages that `@mention` or reply to the bot, or `all`. */
    groups: z.enum(['ignore', 'mentions', 'all']).default('mentions'),
    /** Long-poll hold time of `getUpdates` in polling mode (telegraf uses 50). */
    pollTimeoutSeconds: z.coerce.number().int().min(1).max(100).default(50),
    /**
     * Telegram's send limits (30/s per bot, ~1/s per chat) are enforced before the platform has to.
     * `false` turns both off — only for a local Bot API server without those limits, or benchmarks.
     * Booleans also come as `"true"`/`"false"` strings from `${VAR}` placeholders.
     */
    rateLimits: z.union([z.boolean(), z.stringbool()]).default(true),
  })
  .superRefine((config, context) => {
    if (config.mode === 'webhook' && config.secretToken === undefined) {
      context.addIssue({ code: 'custom', path: ['secretToken'], message: 'required in webhook mode (Telegram echoes it so forged requests can be refused)' });
    }
  });
export type TelegramConfig = z.infer<typeof telegramConfig>;
