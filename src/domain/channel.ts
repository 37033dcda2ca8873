import { z } from 'zod';

/** The six channel kinds of DESIGN §5. */
export const channelKinds = ['webchat', 'email', 'telegram', 'discord', 'x', 'wechat'] as const;
export const ChannelKind = z.enum(channelKinds);
export type ChannelKind = z.infer<typeof ChannelKind>;

/**
 * Channel ids appear in URLs, queue names, job ids and Redis keys, so they are restricted to
 * characters that are safe in all of them (no `:` — BullMQ uses it as its key separator).
 */
export const ChannelId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lowercase letters, digits, "_" and "-", at most 63 characters');

export const ChannelHealth = z.enum(['ok', 'starting', 'error', 'paused', 'unknown']);
export type ChannelHealth = z.infer<typeof ChannelHealth>;

export const ChannelStatus = z.object({
  status: ChannelHealth,
  error: z.string().nullable().default(null),
  checkedAt: z.string().nullable().default(null),
});
export type ChannelStatus = z.infer<typeof ChannelStatus>;

/** What the inbox and the outbound worker need to know about a channel's limits. */
export interface ChannelCapabilities {
  /** Longest text one platform message may carry; longer replies are split. */
  readonly maxTextLength: number;
  readonly formats: readonly ('text' | 'html' | 'markdown')[];
  readonly attachments: boolean;
  /** Hours after the customer's last message in which a reply is allowed; null = no window. */
  readonly replyWindowHours: number | null;
  /**
   * The platform's send rate for the whole account (Telegram ≈ 30 messages/s per bot), enforced
   * by the channel's outbound queue across all worker processes before the platform has to.
   */
  readonly sendRate?: { readonly max: number; readonly perMs: number };
  /**
   * Replies are threaded by naming earlier messages (email's In-Reply-To/References): the
   * outbound address then carries `threadExternalIds`. Reading that history is a third of a
   * reply's database work, so other channels skip it.
   */
  readonly threadsByReference?: boolean;
  /**
   * How the channel presents a question with options (`sendChoice`, issue 15), at most one:
   * `buttons` tappable under the message, the tap coming back as an event (Telegram inline
   * keyboard, Discord components, the widget); `menu` options whose tap comes back as a message
   * (WeChat msgmenu); `links` one URL per option (email). None: the options are written into the
   * text and the customer answers by typing.
   */
  readonly buttons?: boolean;
  readonly menu?: boolean;
  readonly links?: boolean;
}
