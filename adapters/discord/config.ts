import { z } from 'zod';
import { baseChannelConfig } from '../../src/channels/base-config.js';

const Snowflake = z.string().regex(/^\d{15,21}$/, 'a Discord id (snowflake): 15–21 digits, copied with Developer Mode on');

/** One Discord application's bot user (DESIGN §6). */
export const discordConfig = baseChannelConfig.extend({
  kind: z.literal('discord'),
  /** Bot token (Developer Portal → Bot → Reset Token). Never logged; a `Bot ` prefix is accepted. */
  token: z.string().min(1).transform((token) => token.replace(/^(Bot|Bearer)\s+/i, '')),
  /** REST base without version; discord.js appends `/v10/…` (@discordjs/rest `api`). A proxy or a test fake. */
  apiBase: z
    .url({ protocol: /^https?$/ })
    .default('https://discord.com/api')
    .transform((url) => url.replace(/\/+$/, '')),
  /** Overrides the gateway URL that `GET /gateway/bot` returns (tests, gateway proxies). */
  gatewayUrl: z.url({ protocol: /^wss?$/ }).optional(),
  /**
   * Guild text channels whose messages are support requests: a message in the channel opens a
   * conversation for its author; each thread under it is one conversation. DMs always count.
   */
  channels: z.array(Snowflake).max(500).default([]),
});
export type DiscordConfig = z.infer<typeof discordConfig>;
