import { z } from 'zod';
import { baseChannelConfig } from '../../src/channels/base-config.js';

const flag = z.union([z.boolean(), z.stringbool()]);
const port = z.coerce.number().int().min(1).max(65_535);

const tls = z
  .object({
    /** `false` accepts self-signed/expired certificates — only for a server on your own network. */
    rejectUnauthorized: flag.default(true),
    /** SNI name when `host` is an IP address. */
    servername: z.string().min(1).optional(),
  })
  .default({ rejectUnauthorized: true });

/**
 * With `secure: false`: `required` upgrades with STARTTLS and refuses a server that does not offer
 * it (a stripped STARTTLS must not send the password in clear); `off` never upgrades — only for a
 * server on loopback or a local bridge.
 */
const starttls = z.enum(['required', 'off']).default('required');

/**
 * One mailbox (DESIGN §6): IMAP for what customers send, SMTP for replies. Numbers and booleans go
 * through coercion because `${VAR}` placeholders arrive as strings.
 */
export const emailConfig = baseChannelConfig.extend({
  kind: z.literal('email'),
  /** The support address customers write to; replies are sent from it. */
  address: z.email().transform((address) => address.toLowerCase()),
  imap: z.object({
    host: z.string().min(1),
    port: port.default(993),
    /** Implicit TLS (port 993). */
    secure: flag.default(true),
    starttls,
    user: z.string().min(1),
    password: z.string().min(1),
    mailbox: z.string().min(1).default('INBOX'),
    tls,
    /**
     * Where a mailbox starts on its very first connection: `all` takes every message already in
     * it (nothing is missed), `new` only what arrives from then on. After that, the checkpoint
     * decides and every message after it is fetched, however long the outage.
     */
    initialSync: z.enum(['all', 'new']).default('all'),
    /** How often an idle connection is checked with NOOP; a connection that does not answer in `timeoutSeconds` is replaced. */
    watchdogSeconds: z.coerce.number().int().min(1).max(3_600).default(60),
    /** Connect, greeting and watchdog answer deadline. */
    timeoutSeconds: z.coerce.number().int().min(1).max(600).default(30),
    /** IDLE is ended and re-issued this often (RFC 2177: at least every 29 minutes). */
    idleRestartMinutes: z.coerce.number().int().min(1).max(29).default(25),
    /** Larger messages are fetched up to this size and shown as truncated (the whole mail stays in the mailbox). */
    maxMessageBytes: z.coerce
      .number()
      .int()
      .min(64 * 1024)
      .max(512 * 1024 * 1024)
      .default(50 * 1024 * 1024),
  }),
  smtp: z.object({
    host: z.string().min(1),
    /** 465 implicit TLS, or 587 with STARTTLS. */
    port: port.default(465),
    secure: flag.default(true),
    starttls,
    /** Unset: no AUTH (a relay that trusts this server's IP). */
    user: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    tls,
    /** Pooled SMTP connections kept open for replies. */
    maxConnections: z.coerce.number().int().min(1).max(20).default(3),
  }),
  /** Display name of the mailbox in From, e.g. `Acme Support`; defaults to the channel `name`. */
  fromName: z.string().min(1).max(100).optional(),
  /** Put the agent's name in From: `"Alice (Acme Support)" <support@…>`. Automatic replies never do. */
  agentNameInFrom: flag.default(false),
  /**
   * Reply-To carries `local+<message id>@domain`, so a reply that lost its In-Reply-To/References
   * headers still finds its conversation. Only for servers that deliver `+` addresses to the
   * mailbox (Gmail, Microsoft 365, Fastmail, Postfix with `recipient_delimiter = +`); elsewhere
   * the customer's reply would bounce.
   */
  replyToken: flag.default(false),
  /** Mark messages \Seen in the mailbox once they are in the queue (default: flags untouched, the mailbox opened read-only). */
  markSeen: flag.default(false),
});
export type EmailConfig = z.infer<typeof emailConfig>;
