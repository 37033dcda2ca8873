import { randomBytes } from 'node:crypto';
import { startTestGateway, type TestGateway, type TestGatewayOptions } from '../../support/gateway.js';
import { eventually, request } from '../../support/http.js';
import type { Dovecot } from './dovecot.js';
import type { FakeSmtp } from './smtp.js';

export const CHANNEL_ID = 'mail';
export const ADDRESS = 'support@example.com';

/** The channel entry (DESIGN §6) for a mailbox on the private Dovecot and replies through the fake MTA. */
export function emailChannel(dovecot: Dovecot, smtp: FakeSmtp, fields: Record<string, unknown> = {}, imap: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: CHANNEL_ID,
    kind: 'email',
    name: 'Acme Support',
    address: ADDRESS,
    imap: { host: '127.0.0.1', port: dovecot.port, secure: false, starttls: 'off', user: dovecot.user, password: dovecot.password, watchdogSeconds: 5, timeoutSeconds: 5, ...imap },
    smtp: { host: '127.0.0.1', port: smtp.port, secure: false, starttls: 'off' },
    replyToken: true,
    ...fields,
  };
}

/** A gateway running every role (so it runs the IMAP connector) with one mailbox. */
export function startEmailGateway(
  dovecot: Dovecot,
  smtp: FakeSmtp,
  fields: Record<string, unknown> = {},
  options: Omit<TestGatewayOptions, 'channels'> & { imap?: Record<string, unknown> } = {},
): Promise<TestGateway> {
  const { imap, ...rest } = options;
  return startTestGateway({ ...rest, env: { ROLE: 'all', ...rest.env }, channels: [emailChannel(dovecot, smtp, fields, imap)] });
}

export const reuseOf = (g: TestGateway) => ({ schema: g.schema, prefix: g.prefix, dataDir: g.dataDir });

export interface CustomerMail {
  from?: string;
  to?: string;
  subject?: string;
  text: string;
  /** `null` leaves the header out. */
  messageId?: string | null;
  inReplyTo?: string;
  references?: readonly string[];
  headers?: Record<string, string>;
  date?: Date;
}

/** A plain customer mail as a mail client would send it (CRLF, UTF-8 quoted-printable body). */
export function customerMail(mail: CustomerMail): string {
  const headers: [string, string][] = [
    ['Return-Path', `<${(mail.from ?? 'alice@customer.example').replace(/^.*<|>.*$/g, '')}>`],
    ['From', mail.from ?? 'Alice Chen <alice@customer.example>'],
    ['To', mail.to ?? `Acme Support <${ADDRESS}>`],
    ['Subject', encodeWord(mail.subject ?? 'Withdrawal stuck')],
    ['Date', (mail.date ?? new Date()).toUTCString().replace('GMT', '+0000')],
  ];
  if (mail.messageId !== null) headers.push(['Message-ID', mail.messageId ?? newMessageId()]);
  if (mail.inReplyTo) headers.push(['In-Reply-To', mail.inReplyTo]);
  if (mail.references?.length) headers.push(['References', mail.references.join('\r\n ')]);
  for (const [key, value] of Object.entries(mail.headers ?? {})) headers.push([key, value]);
  headers.push(['MIME-Version', '1.0'], ['Content-Type', 'text/plain; charset=utf-8'], ['Content-Transfer-Encoding', 'base64']);
  const body = Buffer.from(mail.text, 'utf8').toString('base64').replace(/.{76}/g, '$&\r\n');
  return `${headers.map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n${body}\r\n`;
}

export const newMessageId = (): string => `<${randomBytes(8).toString('hex')}@customer.example>`;

const encodeWord = (text: string): string => (/^[\x20-\x7e]*$/.test(text) ? text : `=?UTF-8?B?${Buffer.from(text).toString('base64')}?=`);

export interface ApiMessage {
  id: string;
  text: string;
  html?: string;
  status: string;
  direction: string;
  externalId: string | null;
  author: { type: string; name: string };
  error?: { code: string; message: string; retryable: boolean };
  attachments: { id: string; name?: string; url: string }[];
}

export interface ApiConversation {
  id: string;
  subject: string | null;
  status: string;
  contact: { name: string; email?: string; identities: { externalId: string }[] };
}

export async function conversations(gateway: TestGateway, token: string): Promise<ApiConversation[]> {
  return (await request(gateway.url, 'GET', `/api/conversations?channel=${CHANNEL_ID}&limit=100`, { token })).body.items;
}

export async function messagesOf(gateway: TestGateway, token: string, conversationId: string): Promise<ApiMessage[]> {
  return (await request(gateway.url, 'GET', `/api/conversations/${conversationId}/messages?limit=200`, { token })).body.items;
}

/** The conversation holding the stored message with this external id (Message-ID). */
export function conversationOfMessage(gateway: TestGateway, externalId: string, timeoutMs = 15_000): Promise<string> {
  return eventually(
    async () => (await gateway.deps.db.selectFrom('messages').select('conversation_id').where('channel_id', '=', CHANNEL_ID).where('external_id', '=', externalId).executeTakeFirst())?.conversation_id,
    timeoutMs,
    `message ${externalId} to be stored`,
  );
}

export async function inboundCount(gateway: TestGateway): Promise<number> {
  const row = await gateway.deps.db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('channel_id', '=', CHANNEL_ID)
    .where('direction', '=', 'inbound')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function reply(gateway: TestGateway, token: string, conversationId: string, text: string): Promise<string> {
  const r = await request(gateway.url, 'POST', `/api/conversations/${conversationId}/messages`, { token, body: { text } });
  if (r.status !== 202) throw new Error(`reply answered ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.id as string;
}

/** Waits for an outbound message to end `sent` and returns its external id (our Message-ID). */
export function sentExternalId(gateway: TestGateway, token: string, conversationId: string, messageId: string, timeoutMs = 15_000): Promise<string> {
  return eventually(
    async () => {
      const message = (await messagesOf(gateway, token, conversationId)).find((m) => m.id === messageId);
      return message?.status === 'sent' ? (message.externalId ?? undefined) : undefined;
    },
    timeoutMs,
    `reply ${messageId} to be sent`,
  );
}
