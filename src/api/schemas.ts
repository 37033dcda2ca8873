import { z } from 'zod';
import { Agent, HumanRole } from '../domain/agent.js';
import { Attachment } from '../domain/attachment.js';
import { type ChannelCapabilities, ChannelKind, ChannelStatus } from '../domain/channel.js';
import { Contact } from '../domain/contact.js';
import { Conversation, ConversationStatus, Label, Priority } from '../domain/conversation.js';
import { MAX_TEXT, Message, MessageError } from '../domain/message.js';

/**
 * The API's named shapes: each becomes `#/components/schemas/<name>` in the OpenAPI document.
 * Responses are described as zod's output, requests as its input (a defaulted field is optional
 * to send), so they live in two registries. A route's JSON body and response must be named here
 * (or next to the routes that own them) — the document builder refuses anonymous ones.
 */
export const responseSchemas = z.registry<{ id: string }>();
export const requestSchemas = z.registry<{ id: string }>();

export const response = <T extends z.ZodType>(id: string, schema: T): T => {
  responseSchemas.add(schema, { id });
  return schema;
};
export const request = <T extends z.ZodType>(id: string, schema: T): T => {
  requestSchemas.add(schema, { id });
  return schema;
};

// ——— Responses ———

export const ErrorBody = response(
  'Error',
  z.object({
    error: z.object({
      code: z.string().describe('Stable, machine-readable: `validation`, `unauthorized`, `csrf`, `forbidden`, `not_found`, `conflict`, `rate_limited`, `unsafe_content`, …'),
      message: z.string().describe('Human-readable; for `validation` it starts with the offending field (`text: …`).'),
    }),
  }),
);

response('Agent', Agent);
export const LoginResult = response('LoginResult', z.object({ token: z.string(), agent: Agent }));
export const TokenResult = response('TokenResult', z.object({ token: z.string().describe('Shown once; send as `Authorization: Bearer <token>`.'), agent: Agent }));
export const ApiTokenList = response(
  'ApiTokenList',
  z.object({ items: z.array(z.object({ id: z.string(), name: z.string().nullable(), createdAt: z.string(), lastUsedAt: z.string().nullable() })) }),
);
export const AgentList = response('AgentList', z.object({ items: z.array(Agent) }));

export const Capabilities = response(
  'ChannelCapabilities',
  z.object({
    maxTextLength: z.number().int().describe('Longest text one platform message may carry; longer replies are split.'),
    sendRate: z.object({ max: z.number().int(), perMs: z.number().int() }).optional().describe('Additive: the account-wide send rate enforced before the platform has to.'),
    threadsByReference: z.boolean().optional().describe('Additive: replies are threaded by naming earlier messages (email In-Reply-To/References).'),
    buttons: z.boolean().optional().describe('Additive (issue 15): options are tappable buttons under a message.'),
    menu: z.boolean().optional().describe('Additive (issue 15): options are a menu whose tap comes back as a message (WeChat msgmenu).'),
    links: z.boolean().optional().describe('Additive (issue 15): options are one signed link each (email).'),
    formats: z.array(z.enum(['text', 'html', 'markdown'])),
    attachments: z.boolean(),
    replyWindowHours: z.number().nullable().describe("Hours after the customer's last message in which a reply is allowed; null = no window."),
  }),
);
export const Channel = response('Channel', ChannelStatus.extend({ id: z.string(), kind: ChannelKind, name: z.string(), capabilities: Capabilities }));
export type Channel = z.infer<typeof Channel>;
export const ChannelList = response('ChannelList', z.array(Channel));
response('Contact', Contact);
response('Attachment', Attachment);
response('Conversation', Conversation);
export const ConversationPage = response(
  'ConversationPage',
  z.object({
    items: z.array(Conversation),
    nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page.'),
  }),
);
response('MessageError', MessageError);
response('Message', Message);
export const MessageList = response('MessageList', z.object({ items: z.array(Message) }));
export const Health = response('Health', z.object({ status: z.literal('ok') }));
export const Readiness = response(
  'Readiness',
  z.object({
    ready: z.boolean(),
    checks: z.record(z.string(), z.object({ ok: z.boolean(), detail: z.string().optional() })),
  }),
);
export type Readiness = z.infer<typeof Readiness>;

// ——— Requests ———

export const LoginRequest = request('LoginRequest', z.object({ email: z.string().trim().min(1).max(320), password: z.string().min(1).max(1000) }));
export const CreateAgentRequest = request(
  'CreateAgentRequest',
  z.object({
    email: z.email().max(320),
    name: z.string().trim().min(1).max(100),
    role: HumanRole.default('agent'),
    password: z.string().min(8, 'at least 8 characters').max(1000),
  }),
);
export const PatchAgentRequest = request('PatchAgentRequest', z.object({ active: z.boolean() }).strict());
export const CreateTokenRequest = request('CreateTokenRequest', z.object({ name: z.string().trim().min(1).max(100).describe('What the token is for, e.g. "CRM sync".') }));

export const ReplyInput = request(
  'ReplyInput',
  z
    .object({
      text: z.string().max(MAX_TEXT).default(''),
      private: z.boolean().default(false),
      attachments: z.array(z.string().max(64)).max(10).default([]),
      replyToExternalId: z.string().max(512).optional(),
    })
    .refine((v) => v.text.trim().length > 0 || v.attachments.length > 0, { message: 'text or attachments required', path: ['text'] }),
);
export type ReplyInput = z.infer<typeof ReplyInput>;

export const ConversationPatch = request(
  'ConversationPatch',
  z
    .object({
      status: ConversationStatus.optional(),
      assigneeId: z.string().max(64).nullable().optional(),
      priority: Priority.optional(),
      labels: z.array(Label).max(20).optional(),
      /** With status `snoozed`: when it wakes up (default: tomorrow). */
      snoozedUntil: z.iso.datetime({ offset: true }).nullable().optional(),
    })
    .strict(),
);
export type ConversationPatch = z.infer<typeof ConversationPatch>;

type Writable<T> = T extends readonly (infer U)[] ? Writable<U>[] : T extends object ? { -readonly [K in keyof T]: Writable<T[K]> } : T;
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;
type Same<A, B> = [Writable<A>] extends [Writable<B>] ? ([Writable<B>] extends [Writable<A>] ? SameKeys<A, B> : false) : false;
type Expect<T extends true> = T;
/** Fails to compile when the capabilities schema drifts from the interface adapters implement. */
export type SchemasInSync = [Expect<Same<z.output<typeof Capabilities>, ChannelCapabilities>>];
