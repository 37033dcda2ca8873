import { z } from 'zod';
import { VisitorMessageBody } from '../../adapters/webchat/inbound.js';
import type { VisitorReply } from '../../adapters/webchat/outbound.js';
import { Attachment } from '../domain/attachment.js';
import { type ChannelCapabilities, ChannelId, ChannelKind, ChannelStatus } from '../domain/channel.js';
import { Contact } from '../domain/contact.js';
import { Conversation, ConversationStatus, Priority } from '../domain/conversation.js';
import { AuthorType, Message, MessageDirection, MessageError, MessageStatus } from '../domain/message.js';
import { type Agent, AgentRole } from '../agents/agents.js';
import { ReplyInput } from '../inbox/send-reply.js';
import { ConversationPatch } from '../inbox/update-conversation.js';
import type { Readiness } from './deps.js';
import { CSRF_COOKIE, SESSION_COOKIE } from './middleware/auth.js';

/**
 * The OpenAPI 3.1 document of the HTTP API (DESIGN §7), served at `GET /api/openapi.json`.
 *
 * Component schemas come from the zod schemas the routes parse and return (`z.toJSONSchema`,
 * JSON Schema 2020-12 — the dialect of OpenAPI 3.1), so a field added to `Conversation` or
 * `ReplyInput` shows up here without an edit. Shapes that exist only as TypeScript interfaces
 * (Agent, Readiness, the widget payloads) are written below as zod schemas with a compile-time
 * check against those interfaces; route-local query schemas are described by hand.
 */

type Obj = Record<string, unknown>;

const SCHEMAS = '#/components/schemas/';

// ——— Shapes without an exported zod schema, tied to their TypeScript types where one exists ———

const ErrorBody = z.object({
  error: z.object({
    code: z.string().describe('Stable, machine-readable: `validation`, `unauthorized`, `csrf`, `forbidden`, `not_found`, `conflict`, `rate_limited`, …'),
    message: z.string().describe('Human-readable; for `validation` it starts with the offending field (`text: …`).'),
  }),
});

const AgentSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: AgentRole,
  active: z.boolean(),
  createdAt: z.string(),
});

const Capabilities = z.object({
  maxTextLength: z.number().int().describe('Longest text one platform message may carry; longer replies are split.'),
  sendRate: z.object({ max: z.number().int(), perMs: z.number().int() }).optional().describe('Additive: the account-wide send rate enforced before the platform has to.'),
  threadsByReference: z.boolean().optional().describe('Additive: replies are threaded by naming earlier messages (email In-Reply-To/References).'),
  formats: z.array(z.enum(['text', 'html', 'markdown'])),
  attachments: z.boolean(),
  replyWindowHours: z.number().nullable().describe("Hours after the customer's last message in which a reply is allowed; null = no window."),
});

const Channel = ChannelStatus.extend({
  id: z.string(),
  kind: ChannelKind,
  name: z.string(),
  capabilities: Capabilities,
});

const ReadinessSchema = z.object({
  ready: z.boolean(),
  checks: z.record(z.string(), z.object({ ok: z.boolean(), detail: z.string().optional() })),
});

/** A message as a visitor sees it: no agent ids, no internal notes (widget.ts `toVisitorMessage`). */
const VisitorMessage = z.object({
  id: z.string(),
  direction: MessageDirection,
  author: z.object({ type: AuthorType, name: z.string().describe('"You" for the visitor\'s own messages.') }),
  text: z.string(),
  attachments: z.array(Attachment),
  status: MessageStatus.extract(['received', 'sending', 'sent']),
  clientMessageId: z.string().nullable(),
  createdAt: z.string(),
});

const VisitorReplySchema = z.object({
  type: z.literal('message'),
  message: z.object({
    id: z.string(),
    direction: z.literal('outbound'),
    author: z.object({ type: z.literal('agent'), name: z.string() }),
    text: z.string(),
    attachments: z.array(z.object({ id: z.string(), name: z.string(), mimeType: z.string(), size: z.number(), url: z.string() })),
    createdAt: z.string(),
  }),
});

type Writable<T> = T extends readonly (infer U)[] ? Writable<U>[] : T extends object ? { -readonly [K in keyof T]: Writable<T[K]> } : T;
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;
type Same<A, B> = [Writable<A>] extends [Writable<B>] ? ([Writable<B>] extends [Writable<A>] ? SameKeys<A, B> : false) : false;
type Expect<T extends true> = T;
/** Fails to compile when a hand-written schema above drifts from the type the routes return. */
export type OpenapiSchemasInSync = [
  Expect<Same<z.output<typeof AgentSchema>, Agent>>,
  Expect<Same<z.output<typeof Capabilities>, ChannelCapabilities>>,
  Expect<Same<z.output<typeof ReadinessSchema>, Readiness>>,
  Expect<Same<z.output<typeof VisitorReplySchema>, VisitorReply>>,
];

// ——— Request bodies that routes parse with local (unexported) schemas, restated ———

const LoginRequest = z.object({ email: z.string().min(1).max(320), password: z.string().min(1).max(1000) });
const CreateAgentRequest = z.object({
  email: z.email().max(320),
  name: z.string().min(1).max(100),
  role: AgentRole.default('agent'),
  password: z.string().min(8).max(1000),
});
const PatchAgentRequest = z.object({ active: z.boolean() }).strict();
const CreateTokenRequest = z.object({ name: z.string().min(1).max(100).describe('What the token is for, e.g. "CRM sync".') });
const WidgetSessionRequest = z
  .object({
    name: z.string().min(1).max(100).optional(),
    email: z.email().max(320).optional(),
    userId: z.string().min(1).max(200).optional().describe("The app's own user id, for identified visitors."),
    userHash: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/)
      .optional()
      .describe("hex(HMAC-SHA256(identitySecret, userId)), computed by the app's backend."),
  })
  .strict();

// ——— Component registries: responses are converted as zod's output, requests as its input ———

const responseSchemas: Record<string, z.ZodType> = {
  Error: ErrorBody,
  Agent: AgentSchema,
  LoginResult: z.object({ token: z.string(), agent: AgentSchema }),
  TokenResult: z.object({ token: z.string().describe('Shown once; send as `Authorization: Bearer <token>`.'), agent: AgentSchema }),
  ApiTokenList: z.object({
    items: z.array(z.object({ id: z.string(), name: z.string().nullable(), createdAt: z.string(), lastUsedAt: z.string().nullable() })),
  }),
  AgentList: z.object({ items: z.array(AgentSchema) }),
  ChannelCapabilities: Capabilities,
  Channel,
  Contact,
  Attachment,
  Conversation,
  ConversationPage: z.object({
    items: z.array(Conversation),
    nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page.'),
  }),
  MessageError,
  Message,
  MessageList: z.object({ items: z.array(Message) }),
  WidgetSession: z.object({
    token: z.string().describe('Visitor token: `Authorization: Bearer <token>` on the other widget endpoints.'),
    visitorId: z.string(),
    expiresAt: z.string(),
    welcomeMessage: z.string().nullable(),
    maxUploadBytes: z.number().int().describe('Largest attachment the widget may upload.'),
  }),
  WidgetMessageAccepted: z.object({ clientMessageId: z.string(), status: z.literal('accepted') }),
  VisitorMessage,
  VisitorHistory: z.object({
    items: z.array(VisitorMessage),
    conversation: z.object({ status: ConversationStatus }).nullable().describe('Null before the visitor has written anything.'),
  }),
  VisitorReply: VisitorReplySchema,
  WidgetAttachment: Attachment.required({ name: true, mimeType: true, size: true }),
  Health: z.object({ status: z.literal('ok') }),
  Readiness: ReadinessSchema,
};

const requestSchemas: Record<string, z.ZodType> = {
  LoginRequest,
  CreateAgentRequest,
  PatchAgentRequest,
  CreateTokenRequest,
  ReplyInput,
  ConversationPatch,
  VisitorMessageBody,
  WidgetSessionRequest,
};

/** Fields of DESIGN §5 and §7 per component; any other property is marked additive. */
const designFields: Record<string, readonly string[]> = {
  Contact: ['id', 'name', 'email', 'avatarUrl', 'identities'],
  Attachment: ['id', 'kind', 'name', 'mimeType', 'size', 'url'],
  Conversation: ['id', 'channelId', 'channelKind', 'status', 'priority', 'assigneeId', 'labels', 'subject', 'contact', 'createdAt', 'lastMessageAt', 'firstResponseAt', 'resolvedAt'],
  Message: ['id', 'conversationId', 'direction', 'author', 'text', 'html', 'attachments', 'private', 'status', 'error', 'externalId', 'createdAt', 'sentAt'],
  Channel: ['id', 'kind', 'name', 'status'],
  ReplyInput: ['text', 'private', 'attachments'],
  ConversationPatch: ['status', 'assigneeId', 'priority', 'labels'],
  VisitorMessageBody: ['clientMessageId', 'text'],
  WidgetSessionRequest: ['name', 'email', 'userId', 'userHash'],
  WidgetSession: ['token'],
};

const fieldNotes: Record<string, Record<string, string>> = {
  Conversation: {
    snoozedUntil: 'When a snoozed conversation wakes up.',
    replyWindowEndsAt: "When the channel's reply window closes (null = no window).",
    lastInboundAt: 'Time of the last customer message, for "waiting since".',
    lastMessagePreview: 'Text preview of the last message.',
  },
  Message: {
    private: 'An internal note, never sent to the customer.',
    replyToExternalId: 'The platform message this one answers, when known.',
    clientMessageId: "The widget's client id, so a visitor's optimistic bubble can be matched.",
  },
  Attachment: { url: 'Authenticated download link (`/api/attachments/{id}` for agents).' },
  ReplyInput: {
    attachments: 'Ids from `POST /api/attachments`, uploaded by the same agent and not yet used.',
    replyToExternalId: 'Platform message to answer (threaded reply where the channel supports it).',
  },
  ConversationPatch: {
    assigneeId: 'An active agent id, or null to unassign.',
    snoozedUntil: 'With status `snoozed`: when it wakes up (default: in 24 hours). Must be in the future.',
  },
  VisitorMessageBody: {
    clientMessageId: 'Generated by the widget per message; resending it (retry, reconnect) never duplicates.',
    attachments: 'Ids from `POST /widget/{channelId}/attachments`.',
  },
  Channel: { error: 'Last health-check error, or null.', checkedAt: 'When the channel was last checked.' },
};

const schemaNotes: Record<string, string> = {
  Error: 'The one error shape of the API (DESIGN §7).',
  Conversation: 'DESIGN §5 Conversation. Timestamps are ISO-8601 UTC.',
  Message: 'DESIGN §5 Message. Timestamps are ISO-8601 UTC.',
  Contact: 'DESIGN §5 Contact.',
  Attachment: 'DESIGN §5 attachment.',
  ReplyInput: 'A reply, or an internal note with `private: true`. At least one of non-blank `text` or `attachments` is required.',
  VisitorMessageBody: 'At least one of non-blank `text` or `attachments` is required.',
  WidgetSessionRequest: '`userId` and `userHash` go together; a `userHash` needs `identitySecret` configured on the channel.',
  CreateAgentRequest: 'Additive (beyond DESIGN §7).',
  CreateTokenRequest: 'Additive (beyond DESIGN §7).',
  PatchAgentRequest: 'Additive (beyond DESIGN §7). Deactivating an agent also revokes their tokens.',
  TokenResult: 'Additive (beyond DESIGN §7).',
  VisitorReply: 'Data of the widget stream\'s `message` event: an agent reply pushed to the visitor.',
  WidgetAttachment: 'Additive (beyond DESIGN §7): a visitor upload, downloadable at its `url` with the visitor token.',
};

function convert(schemas: Record<string, z.ZodType>, io: 'input' | 'output'): Record<string, Obj> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
  const result = z.toJSONSchema(registry, {
    io,
    unrepresentable: 'any',
    uri: (id) => `${SCHEMAS}${id}`,
    // Responses stay open: additive fields (DESIGN §5) must not break clients that validate.
    override: ({ jsonSchema }) => {
      if (io === 'output' && jsonSchema.additionalProperties === false) delete jsonSchema.additionalProperties;
    },
  });
  const out: Record<string, Obj> = {};
  for (const [id, converted] of Object.entries(result.schemas)) {
    if (id === '__shared') throw new Error('openapi: a zod schema carries its own id; register it here instead');
    const { $schema: _dialect, $id: _id, ...rest } = converted as Obj;
    out[id] = rest;
  }
  return out;
}

function annotate(schemas: Record<string, Obj>): void {
  for (const [name, schema] of Object.entries(schemas)) {
    const note = schemaNotes[name];
    if (note) schema.description = schema.description ? `${note} ${String(schema.description)}` : note;
    const properties = schema.properties as Record<string, Obj> | undefined;
    if (!properties) continue;
    const design = designFields[name];
    for (const [field, property] of Object.entries(properties)) {
      const parts = [design && !design.includes(field) ? 'Additive (beyond DESIGN §5/§7).' : '', fieldNotes[name]?.[field] ?? '', typeof property.description === 'string' ? property.description : ''];
      const text = parts.filter(Boolean).join(' ');
      if (text) property.description = text;
    }
  }
}

/** A zod schema as an inline JSON Schema (for parameters). */
function inline(schema: z.ZodType, io: 'input' | 'output' = 'input'): Obj {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Obj;
  return rest;
}

// ——— Document helpers ———

const ref = (name: string): Obj => ({ $ref: `${SCHEMAS}${name}` });
const jsonContent = (schema: Obj): Obj => ({ 'application/json': { schema } });
const ok = (description: string, schemaName: string, headers?: Obj): Obj => ({ description, content: jsonContent(ref(schemaName)), ...(headers ? { headers } : {}) });
const body = (schemaName: string, description?: string): Obj => ({ required: true, content: jsonContent(ref(schemaName)), ...(description ? { description } : {}) });

const errorResponseNames = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  413: 'TooLarge',
  415: 'UnsupportedMediaType',
  429: 'RateLimited',
  500: 'InternalError',
  503: 'Unavailable',
} as const;
type ErrorCode = keyof typeof errorResponseNames;

function errors(...codes: ErrorCode[]): Obj {
  const out: Obj = {};
  for (const code of [...codes, 500 as const].sort((a, b) => a - b)) out[String(code)] = { $ref: `#/components/responses/${errorResponseNames[code]}` };
  return out;
}

const pathParam = (name: string, description: string, schema: Obj = { type: 'string', maxLength: 64 }): Obj => ({ name, in: 'path', required: true, description, schema });
const queryParam = (name: string, description: string, schema: Obj): Obj => ({ name, in: 'query', required: false, description, schema });
const P = (name: string): Obj => ({ $ref: `#/components/parameters/${name}` });

const agentAuth = [{ bearerAuth: [] }, { sessionCookie: [] }];
const visitorAuth = [{ visitorToken: [] }];
const noAuth: unknown[] = [];

/** Types `readUpload` (src/http/uploads.ts) accepts; the bytes must match the declared type. */
const uploadTypes = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'video/mp4', 'application/zip', 'text/plain', 'text/csv', 'application/json', 'application/octet-stream'];

const uploadBody: Obj = {
  required: true,
  description:
    'The raw file bytes. Accepted: PNG, JPEG, GIF, WebP, PDF, MP4, ZIP, plain text, CSV, JSON — recognised by content, which must agree with `Content-Type` (`application/octet-stream` lets the server detect binary types). No SVG or HTML. Larger than the configured attachment limit → 413.',
  content: Object.fromEntries(uploadTypes.map((type) => [type, { schema: { type: 'string', contentMediaType: type } }])),
};

const downloadResponse: Obj = {
  description: 'The file. `Content-Disposition` is `inline` for images and `attachment` otherwise; served with a sandboxing `Content-Security-Policy`.',
  headers: { 'Content-Disposition': { schema: { type: 'string' } } },
  content: { '*/*': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } },
};

const sse = (description: string): Obj => ({
  description,
  content: { 'text/event-stream': { schema: { type: 'string', description: 'Server-Sent Events: `event: <name>` + `data: <JSON>`; comment lines (`: keep-alive`) every 25 s; `retry: 3000`.' } } },
});

function buildDocument(): Obj {
  const schemas = { ...convert(responseSchemas, 'output'), ...convert(requestSchemas, 'input') };
  annotate(schemas);

  const channelId = pathParam('channelId', 'Channel id from the channels file.', inline(ChannelId));
  const conversationId = pathParam('id', 'Conversation id.');

  const paths: Record<string, Obj> = {
    // ——— Agent API ———
    '/api/auth/login': {
      post: {
        tags: ['auth'],
        operationId: 'login',
        summary: 'Sign in with email and password',
        description:
          `Returns a session token (valid 30 days) for \`Authorization: Bearer\`, and also sets the inbox's cookies \`${SESSION_COOKIE}\` (HttpOnly) and \`${CSRF_COOKIE}\`. Attempts are limited to 10 per 15 minutes per email and per client address.`,
        security: noAuth,
        requestBody: body('LoginRequest'),
        responses: {
          200: ok('Signed in.', 'LoginResult', { 'Set-Cookie': { description: `\`${SESSION_COOKIE}\` and \`${CSRF_COOKIE}\``, schema: { type: 'string' } } }),
          ...errors(400, 401, 413, 429),
        },
      },
    },
    '/api/auth/logout': {
      post: {
        tags: ['auth'],
        operationId: 'logout',
        summary: 'Revoke the current token or session',
        description: 'Additive (beyond DESIGN §7). Revokes the bearer token or session cookie used for this request and clears the cookies.',
        security: agentAuth,
        parameters: [P('CsrfToken')],
        responses: { 204: { description: 'Signed out.' }, ...errors(401, 403) },
      },
    },
    '/api/me': {
      get: {
        tags: ['auth'],
        operationId: 'getMe',
        summary: 'The signed-in agent',
        security: agentAuth,
        responses: { 200: ok('The agent.', 'Agent'), ...errors(401) },
      },
    },
    '/api/agents': {
      get: {
        tags: ['agents'],
        operationId: 'listAgents',
        summary: 'List agents',
        description: 'Additive (beyond DESIGN §7). Every agent may list agents (to assign conversations).',
        security: agentAuth,
        responses: { 200: ok('All agents, oldest first.', 'AgentList'), ...errors(401) },
      },
      post: {
        tags: ['agents'],
        operationId: 'createAgent',
        summary: 'Create an agent (admin)',
        description: 'Additive (beyond DESIGN §7). Admins only.',
        security: agentAuth,
        parameters: [P('CsrfToken')],
        requestBody: body('CreateAgentRequest'),
        responses: { 201: ok('Created.', 'Agent'), ...errors(400, 401, 403, 409, 413) },
      },
    },
    '/api/agents/{id}': {
      patch: {
        tags: ['agents'],
        operationId: 'updateAgent',
        summary: 'Activate or deactivate an agent (admin)',
        description: 'Additive (beyond DESIGN §7). Admins only; an admin cannot deactivate themselves (409).',
        security: agentAuth,
        parameters: [pathParam('id', 'Agent id.'), P('CsrfToken')],
        requestBody: body('PatchAgentRequest'),
        responses: { 200: ok('The updated agent.', 'Agent'), ...errors(400, 401, 403, 404, 409, 413) },
      },
    },
    '/api/tokens': {
      post: {
        tags: ['auth'],
        operationId: 'createApiToken',
        summary: 'Create a long-lived API token',
        description: 'Additive (beyond DESIGN §7). A token for scripts and integrations, acting as the calling agent; it does not expire and is shown once.',
        security: agentAuth,
        parameters: [P('CsrfToken')],
        requestBody: body('CreateTokenRequest'),
        responses: { 201: ok('Created.', 'TokenResult'), ...errors(400, 401, 403, 413) },
      },
      get: {
        tags: ['auth'],
        operationId: 'listApiTokens',
        summary: "The caller's API tokens",
        description: 'Additive (beyond DESIGN §7). Names and dates only; a token is shown once, when created.',
        security: agentAuth,
        responses: { 200: ok('The tokens.', 'ApiTokenList'), ...errors(401) },
      },
    },
    '/api/tokens/{id}': {
      delete: {
        tags: ['auth'],
        operationId: 'revokeApiToken',
        summary: 'Revoke one of your API tokens',
        description: 'Additive (beyond DESIGN §7).',
        security: agentAuth,
        parameters: [pathParam('id', 'Token id (from the list).'), P('CsrfToken')],
        responses: { 204: { description: 'Revoked.' }, ...errors(401, 403, 404) },
      },
    },
    '/api/conversations/{id}/read': {
      post: {
        tags: ['conversations'],
        operationId: 'markConversationRead',
        summary: 'Mark a conversation read for the calling agent',
        description: 'Additive (beyond DESIGN §7). Clears `unread` for this agent until the customer writes again.',
        security: agentAuth,
        parameters: [pathParam('id', 'Conversation id.'), P('CsrfToken')],
        responses: { 204: { description: 'Marked read.' }, ...errors(401, 403, 404) },
      },
    },
    '/api/channels': {
      get: {
        tags: ['channels'],
        operationId: 'listChannels',
        summary: 'Configured channels and their health',
        description: 'Never includes secrets. `error`, `checkedAt` and `capabilities` are additive (beyond DESIGN §7).',
        security: agentAuth,
        responses: {
          200: { description: 'Every configured channel.', content: jsonContent({ type: 'array', items: ref('Channel') }) },
          ...errors(401),
        },
      },
    },
    '/api/conversations': {
      get: {
        tags: ['conversations'],
        operationId: 'listConversations',
        summary: 'List conversations, newest activity first',
        description: 'Keyset-paged on (lastMessageAt, id): pass `nextCursor` back as `cursor` with the same filters.',
        security: agentAuth,
        parameters: [
          queryParam('status', 'Only this status.', inline(ConversationStatus)),
          queryParam('channel', 'Only this channel id.', { type: 'string', maxLength: 63 }),
          queryParam('assignee', 'An agent id, `me` (the caller) or `unassigned`.', { type: 'string', maxLength: 64, examples: ['me', 'unassigned'] }),
          queryParam('priority', 'Only this priority.', inline(Priority)),
          queryParam('label', 'Additive (beyond DESIGN §7). Only conversations carrying this label.', { type: 'string', maxLength: 50 }),
          queryParam('contact', 'Additive (beyond DESIGN §7). Only this contact id.', { type: 'string', maxLength: 64 }),
          queryParam('q', 'Case-insensitive search in subject, contact name and email, and message text.', { type: 'string', maxLength: 200 }),
          queryParam('limit', 'Page size.', { type: 'integer', minimum: 1, maximum: 100, default: 25 }),
          queryParam('cursor', '`nextCursor` of the previous page (opaque).', { type: 'string', maxLength: 500 }),
        ],
        responses: { 200: ok('A page of conversations.', 'ConversationPage'), ...errors(400, 401) },
      },
    },
    '/api/conversations/{id}': {
      get: {
        tags: ['conversations'],
        operationId: 'getConversation',
        summary: 'One conversation',
        security: agentAuth,
        parameters: [conversationId],
        responses: { 200: ok('The conversation.', 'Conversation'), ...errors(401, 404) },
      },
      patch: {
        tags: ['conversations'],
        operationId: 'updateConversation',
        summary: 'Change status, assignee, priority or labels',
        description: 'Each change is recorded as a private system message in the conversation. `snoozedUntil` is additive (beyond DESIGN §7).',
        security: agentAuth,
        parameters: [conversationId, P('CsrfToken')],
        requestBody: body('ConversationPatch'),
        responses: { 200: ok('The updated conversation.', 'Conversation'), ...errors(400, 401, 403, 404, 413) },
      },
    },
    '/api/conversations/{id}/messages': {
      get: {
        tags: ['messages'],
        operationId: 'listMessages',
        summary: 'Messages of a conversation, oldest first',
        description: 'Without `before`/`after`: the latest `limit` messages. Includes private notes. `after` is additive (beyond DESIGN §7).',
        security: agentAuth,
        parameters: [
          conversationId,
          queryParam('limit', 'How many.', { type: 'integer', minimum: 1, maximum: 200, default: 50 }),
          queryParam('before', 'A message id: the `limit` messages just before it. Not together with `after`.', { type: 'string', maxLength: 64 }),
          queryParam('after', 'A message id: the `limit` messages just after it. Not together with `before`.', { type: 'string', maxLength: 64 }),
        ],
        responses: { 200: ok('Messages, oldest first.', 'MessageList'), ...errors(400, 401, 404) },
      },
      post: {
        tags: ['messages'],
        operationId: 'sendReply',
        summary: 'Reply to the customer, or add a private note',
        description:
          'Accepted for delivery: the message is `queued` (a reply) or `sent` (a private note) and progresses through `message.updated` events. With `Idempotency-Key`, repeating the request returns the first message (with `Idempotent-Replayed: true`) instead of sending twice.',
        security: agentAuth,
        parameters: [
          conversationId,
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            description: 'Client-chosen key, unique per agent; reused for another conversation → 409.',
            schema: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]+$' },
          },
          P('CsrfToken'),
        ],
        requestBody: body('ReplyInput'),
        responses: {
          202: ok('The message.', 'Message', {
            'Idempotent-Replayed': { description: '`true` when this is the stored result of an earlier request with the same Idempotency-Key.', schema: { type: 'string', const: 'true' } },
          }),
          ...errors(400, 401, 403, 404, 409, 413),
        },
      },
    },
    '/api/messages/{id}/retry': {
      post: {
        tags: ['messages'],
        operationId: 'retryMessage',
        summary: 'Re-queue a failed reply',
        description: 'Only outbound, non-private messages in status `failed`; others → 409 `not_retryable`.',
        security: agentAuth,
        parameters: [pathParam('id', 'Message id.'), P('CsrfToken')],
        responses: { 202: ok('The message, now `queued`.', 'Message'), ...errors(401, 403, 404, 409) },
      },
    },
    '/api/attachments': {
      post: {
        tags: ['attachments'],
        operationId: 'uploadAttachment',
        summary: 'Upload a file to attach to a reply',
        description: 'Additive (beyond DESIGN §7). Send the raw bytes (not multipart); then pass the returned id in `ReplyInput.attachments`. Until used, only the uploader can see it.',
        security: agentAuth,
        parameters: [P('Filename'), P('CsrfToken')],
        requestBody: uploadBody,
        responses: { 201: ok('Stored.', 'Attachment'), ...errors(400, 401, 403, 413, 415) },
      },
    },
    '/api/attachments/{id}': {
      get: {
        tags: ['attachments'],
        operationId: 'downloadAttachment',
        summary: 'Download an attachment',
        description: 'Additive (beyond DESIGN §7). The target of `Attachment.url`. 404 also while a platform file has not been fetched yet.',
        security: agentAuth,
        parameters: [pathParam('id', 'Attachment id.')],
        responses: { 200: downloadResponse, ...errors(401, 404) },
      },
    },
    '/api/events': {
      get: {
        tags: ['events'],
        operationId: 'streamEvents',
        summary: 'Realtime inbox events (Server-Sent Events)',
        description:
          'Events (data = the object as JSON): `conversation.created` (Conversation), `conversation.updated` (Conversation), `message.created` (Message), `message.updated` (Message). Additive (beyond DESIGN §7): a first `ready` event with `{ at }`. Events are not replayed: after a reconnect, refetch.',
        security: agentAuth,
        responses: { 200: sse('The event stream.'), ...errors(401) },
      },
    },
    '/api/openapi.json': {
      get: {
        tags: ['meta'],
        operationId: 'getOpenapiDocument',
        summary: 'This document',
        security: noAuth,
        responses: { 200: { description: 'The OpenAPI 3.1 document.', content: jsonContent({ type: 'object' }) } },
      },
    },

    // ——— Channel-facing ———
    '/webhooks/{channelId}': Object.fromEntries(
      (['get', 'post'] as const).map((method) => [
        method,
        {
          tags: ['webhooks'],
          operationId: method === 'get' ? 'webhookVerify' : 'webhookDeliver',
          summary: method === 'get' ? 'Platform webhook verification (WeChat echostr, X CRC)' : 'Platform webhook delivery',
          description:
            'For push channels (Telegram, WeChat, X). The adapter verifies the platform signature over the raw bytes, queues the message and answers in the format its platform expects. Any method reaches the adapter; it decides which it accepts. Bodies over 1 MB → 413.',
          security: noAuth,
          parameters: [channelId],
          ...(method === 'post' ? { requestBody: { required: false, content: { '*/*': { schema: { type: 'string', description: 'The platform payload, verified byte for byte.' } } } } } : {}),
          responses: {
            200: {
              description: 'Accepted (or a verification challenge answered); the body is what the platform expects.',
              content: { 'text/plain': { schema: { type: 'string' } }, 'application/json': { schema: {} }, 'application/xml': { schema: { type: 'string' } } },
            },
            ...errors(400, 401, 403, 404, 405, 413, 415, 503),
          },
        },
      ]),
    ),
    '/widget/{channelId}/session': {
      post: {
        tags: ['widget'],
        operationId: 'widgetCreateSession',
        summary: 'Start a visitor session',
        description:
          'Returns a visitor token for a new anonymous visitor, or — with a valid `userHash` — for an identified app user (same history on every device). `visitorId`, `expiresAt`, `welcomeMessage` and `maxUploadBytes` are additive (beyond DESIGN §7). Limited to 30 per 10 minutes per client address.',
        security: noAuth,
        parameters: [channelId],
        requestBody: { ...body('WidgetSessionRequest'), required: false },
        responses: { 201: ok('Session created.', 'WidgetSession'), ...errors(400, 403, 404, 413, 429) },
      },
    },
    '/widget/{channelId}/messages': {
      post: {
        tags: ['widget'],
        operationId: 'widgetSendMessage',
        summary: 'A visitor sends a message',
        description: 'Queued for the inbox. Resending the same `clientMessageId` never duplicates. Limited to 30 per minute per visitor.',
        security: visitorAuth,
        parameters: [channelId],
        requestBody: body('VisitorMessageBody'),
        responses: { 202: ok('Accepted.', 'WidgetMessageAccepted'), ...errors(400, 401, 403, 404, 413, 429, 503) },
      },
      get: {
        tags: ['widget'],
        operationId: 'widgetHistory',
        summary: "The visitor's own conversation history, oldest first",
        description: 'Never includes private notes or agent ids.',
        security: visitorAuth,
        parameters: [
          channelId,
          queryParam('after', 'A message id: only messages after it.', { type: 'string', maxLength: 64 }),
          queryParam('limit', 'Additive (beyond DESIGN §7). How many.', { type: 'integer', minimum: 1, maximum: 200, default: 100 }),
        ],
        responses: { 200: ok('History.', 'VisitorHistory'), ...errors(400, 401, 403, 404) },
      },
    },
    '/widget/{channelId}/events': {
      get: {
        tags: ['widget'],
        operationId: 'widgetEvents',
        summary: "The visitor's realtime stream (Server-Sent Events)",
        description: 'Events: `ready` (`{ at }`), then `message` for each agent reply (data: VisitorReply). Only this visitor\'s conversation.',
        security: visitorAuth,
        parameters: [channelId],
        responses: { 200: sse('The event stream.'), ...errors(401, 403, 404) },
      },
    },
    '/widget/{channelId}/attachments': {
      post: {
        tags: ['widget'],
        operationId: 'widgetUploadAttachment',
        summary: 'A visitor uploads a file',
        description: 'Additive (beyond DESIGN §7). Raw bytes, then pass the id in `VisitorMessageBody.attachments`. Limited to 20 per 10 minutes per visitor.',
        security: visitorAuth,
        parameters: [channelId, P('Filename')],
        requestBody: uploadBody,
        responses: { 201: ok('Stored.', 'WidgetAttachment'), ...errors(400, 401, 403, 404, 413, 415, 429) },
      },
    },
    '/widget/{channelId}/attachments/{id}': {
      get: {
        tags: ['widget'],
        operationId: 'widgetDownloadAttachment',
        summary: 'A visitor downloads a file of their conversation',
        description: 'Additive (beyond DESIGN §7). Their own uploads, and attachments of non-private messages in their conversation.',
        security: visitorAuth,
        parameters: [channelId, pathParam('id', 'Attachment id.')],
        responses: { 200: downloadResponse, ...errors(401, 403, 404) },
      },
    },

    // ——— Operations and pages ———
    '/healthz': {
      get: { tags: ['ops'], operationId: 'healthz', summary: 'Liveness', security: noAuth, responses: { 200: ok('The process is up.', 'Health') } },
    },
    '/readyz': {
      get: {
        tags: ['ops'],
        operationId: 'readyz',
        summary: 'Readiness: database, Redis, channels',
        security: noAuth,
        responses: { 200: ok('Ready.', 'Readiness'), 503: ok('Not ready; `checks` says what failed.', 'Readiness') },
      },
    },
    '/metrics': {
      get: {
        tags: ['ops'],
        operationId: 'metrics',
        summary: 'Prometheus metrics',
        security: noAuth,
        responses: { 200: { description: 'Prometheus text exposition format.', content: { 'text/plain': { schema: { type: 'string' } } } } },
      },
    },
    '/widget.js': {
      get: {
        tags: ['pages'],
        operationId: 'widgetScript',
        summary: 'The embeddable chat widget script',
        security: noAuth,
        responses: { 200: { description: 'JavaScript.', content: { 'text/javascript': { schema: { type: 'string' } } } } },
      },
    },
    '/demo': {
      get: {
        tags: ['pages'],
        operationId: 'demoPage',
        summary: 'A page with the widget embedded',
        security: noAuth,
        responses: { 200: { description: 'HTML.', content: { 'text/html': { schema: { type: 'string' } } } } },
      },
    },
    '/': {
      get: {
        tags: ['pages'],
        operationId: 'inbox',
        summary: 'The agent inbox',
        security: noAuth,
        responses: { 200: { description: 'HTML.', content: { 'text/html': { schema: { type: 'string' } } } } },
      },
    },
  };

  const retryAfter = { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } };
  const errorResponse = (description: string, headers?: Obj): Obj => ({ description, content: jsonContent(ref('Error')), ...(headers ? { headers } : {}) });

  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Switchboard API',
      version: '0.1.0',
      summary: 'One inbox for web chat, email, Telegram, Discord, X and WeChat.',
      description:
        'Agent API under `/api` (JSON), channel webhooks under `/webhooks`, the web chat widget under `/widget` (DESIGN §7). Errors are always `{ "error": { "code", "message" } }`. Timestamps are ISO-8601 UTC. Endpoints and fields beyond DESIGN §7 are marked "Additive".',
      license: { name: 'AGPL-3.0-only', identifier: 'AGPL-3.0-only' },
    },
    tags: [
      { name: 'auth' },
      { name: 'agents' },
      { name: 'channels' },
      { name: 'conversations' },
      { name: 'messages' },
      { name: 'attachments' },
      { name: 'events' },
      { name: 'meta' },
      { name: 'webhooks', description: 'Platform push endpoints; authenticated by each platform\'s signature.' },
      {
        name: 'widget',
        description:
          'The customer side of web chat. CORS: channels with `allowedOrigins` only answer those origins (other origins → 403 `forbidden_origin`); preflight `OPTIONS` is answered on every widget path. Unknown or non-webchat channel → 404.',
      },
      { name: 'ops' },
      { name: 'pages' },
    ],
    security: agentAuth,
    paths,
    components: {
      schemas,
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'A session token from `POST /api/auth/login` or an API token from `POST /api/tokens` (both start with `sb_`).' },
        sessionCookie: {
          type: 'apiKey',
          in: 'cookie',
          name: SESSION_COOKIE,
          description: `The inbox's session cookie, set by login. Unsafe methods (POST, PATCH, …) must also send header \`X-CSRF-Token\` equal to cookie \`${CSRF_COOKIE}\` (double submit), else 403 \`csrf\`.`,
        },
        visitorToken: { type: 'http', scheme: 'bearer', description: 'A visitor token from `POST /widget/{channelId}/session`, valid for that channel and visitor only.' },
      },
      parameters: {
        CsrfToken: {
          name: 'X-CSRF-Token',
          in: 'header',
          required: false,
          description: `Required when authenticating with the \`${SESSION_COOKIE}\` cookie: the value of cookie \`${CSRF_COOKIE}\`. Not needed with a bearer token.`,
          schema: { type: 'string' },
        },
        Filename: {
          name: 'X-Filename',
          in: 'header',
          required: false,
          description: 'The file name, URL-encoded (default `file`).',
          schema: { type: 'string' },
        },
      },
      headers: { RetryAfter: retryAfter },
      responses: {
        BadRequest: errorResponse('Invalid request: `validation` (the message names the field), `malformed_json`, `bad_request`.'),
        Unauthorized: errorResponse('Missing, invalid, expired or revoked credentials (`unauthorized`, `invalid_credentials`).'),
        Forbidden: errorResponse('Not allowed: `forbidden`, `csrf` (cookie session without a matching X-CSRF-Token), `forbidden_origin` (widget), or a rejected webhook signature.'),
        NotFound: errorResponse('No such resource (`not_found`).'),
        MethodNotAllowed: errorResponse('Additive (beyond DESIGN §7): the webhook adapter does not accept this method.'),
        Conflict: errorResponse('Conflicts with the current state (`conflict`, `idempotency_conflict`, `channel_unavailable`, `not_retryable`).'),
        TooLarge: errorResponse('The body is larger than this endpoint accepts (`too_large`).'),
        UnsupportedMediaType: errorResponse('Additive (beyond DESIGN §7): file type not accepted or not matching its Content-Type (`unsupported_type`), or unsupported body encoding.'),
        RateLimited: errorResponse('Too many requests (`rate_limited`).', { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } }),
        InternalError: errorResponse('Unexpected server error (`internal`).'),
        Unavailable: errorResponse('A dependency (the queue) is unavailable; retry later (`unavailable`).', { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } }),
      },
    },
  };
}

let cached: Obj | undefined;

/** The OpenAPI 3.1 document, built on first use. */
export function openapiDocument(): Record<string, unknown> {
  cached ??= buildDocument();
  return cached;
}
