import { z } from 'zod';
import { ChannelId } from '../domain/channel.js';
import { ConversationStatus, Priority } from '../domain/conversation.js';
import { defineContract, type UploadBody } from './route.js';
import {
  AgentList,
  ApiTokenList,
  ChannelList,
  ConversationPage,
  ConversationPatch,
  CreateAgentRequest,
  CreateTokenRequest,
  Health,
  LoginRequest,
  LoginResult,
  MessageList,
  PatchAgentRequest,
  Readiness,
  ReplyInput,
  TokenResult,
} from './schemas.js';
import { Agent } from '../domain/agent.js';
import { Attachment } from '../domain/attachment.js';
import { Conversation } from '../domain/conversation.js';
import { Message } from '../domain/message.js';

/**
 * The gateway's own routes (DESIGN §7). A channel kind may add routes of its own
 * (`adapters/webchat/api.ts`: the widget's); `src/http/routes` binds a handler to each name.
 * To add a route: declare it here (or in a desk feature's `api.ts`), then write its handler —
 * the compiler asks for it — and the OpenAPI document and the route-list test follow.
 */

const id = (what: string) => z.object({ id: z.string().max(64).describe(`${what} id.`) });

/** Types `readUpload` accepts; the bytes must match the declared type. */
export const upload: UploadBody = {
  upload: true,
  description:
    'The raw file bytes. Accepted: PNG, JPEG, GIF, WebP, PDF, MP4, ZIP, plain text, CSV, JSON — recognised by content, which must agree with `Content-Type` (`application/octet-stream` lets the server detect binary types). No SVG or HTML. Larger than the configured attachment limit → 413.',
};
export const Filename = z.object({ 'X-Filename': z.string().optional().describe('The file name, URL-encoded (default `file`).') });

export const ConversationListQuery = z.object({
  status: ConversationStatus.optional().describe('Only this status.'),
  channel: z.string().max(63).optional().describe('Only this channel id.'),
  assignee: z.string().max(64).optional().meta({ description: 'An agent id, `me` (the caller) or `unassigned`.', examples: ['me', 'unassigned'] }),
  priority: Priority.optional().describe('Only this priority.'),
  label: z.string().max(50).optional().describe('Additive (beyond DESIGN §7). Only conversations carrying this label.'),
  contact: z.string().max(64).optional().describe('Additive (beyond DESIGN §7). Only this contact id.'),
  q: z.string().trim().max(200).optional().describe('Case-insensitive search in subject, contact name and email, and message text.'),
  team: z.string().max(64).optional().describe('Additive (issue 14). Only this team’s conversations (a team id), or `none`.'),
  escalated: z.stringbool().optional().describe('Additive (issue 14). `true`: only escalated conversations (what a supervisor looks at); `false`: none of them.'),
  sla: z
    .enum(['breached', 'running'])
    .optional()
    .describe('Additive (issue 14). `breached`: not resolved and a service-level target is past due now; `running`: a target clock is running.'),
  csat: z
    .enum(['rated', 'unrated', 'low', 'high', '1', '2', '3', '4', '5'])
    .optional()
    .describe('Additive (issue 15). By the customer’s newest survey answer: `rated`, `unrated`, `low` (1–2), `high` (4–5) or one score.'),
  dueBefore: z.iso.datetime({ offset: true }).optional().describe('Additive (issue 14). Only conversations with a running target due before this time (overdue ones included).'),
  sort: z
    .enum(['activity', 'due'])
    .default('activity')
    .describe('Additive (issue 14). `activity`: newest activity first (default); `due`: the earliest service-level due time first, conversations without one last.'),
  limit: z.coerce.number().int().min(1).max(100).default(25).describe('Page size.'),
  cursor: z.string().max(500).optional().describe('`nextCursor` of the previous page (opaque; with the same filters and sort).'),
});

export const MessagesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('How many.'),
  before: z.string().max(64).optional().describe('A message id: the `limit` messages just before it. Not together with `after`.'),
  after: z.string().max(64).optional().describe('Additive (beyond DESIGN §7). A message id: the `limit` messages just after it. Not together with `before`.'),
});

export const ReplyHeaders = z.object({
  'Idempotency-Key': z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
    .optional()
    .describe('Client-chosen key, unique per agent; reused for another conversation → 409.'),
});

export const coreRoutes = defineContract({
  // ——— Agent API ———
  login: {
    method: 'post',
    path: '/api/auth/login',
    tags: ['auth'],
    summary: 'Sign in with email and password',
    description:
      'Returns a session token (valid 30 days) for `Authorization: Bearer`, and also sets the inbox\'s cookies `sb_session` (HttpOnly) and `sb_csrf`. Attempts are limited to 10 per 15 minutes per email and per client address.',
    auth: 'none',
    body: LoginRequest,
    response: { kind: 'json', status: 200, schema: LoginResult, description: 'Signed in.', headers: { 'Set-Cookie': { description: '`sb_session` and `sb_csrf`', schema: { type: 'string' } } } },
    errors: [400, 401, 413, 429],
  },
  logout: {
    method: 'post',
    path: '/api/auth/logout',
    tags: ['auth'],
    summary: 'Revoke the current token or session',
    description: 'Additive (beyond DESIGN §7). Revokes the bearer token or session cookie used for this request and clears the cookies.',
    auth: 'agent',
    response: { kind: 'empty', description: 'Signed out.' },
    errors: [401, 403],
  },
  getMe: {
    method: 'get',
    path: '/api/me',
    tags: ['auth'],
    summary: 'The signed-in agent',
    auth: 'agent',
    response: { kind: 'json', status: 200, schema: Agent, description: 'The agent.' },
    errors: [401],
  },
  listAgents: {
    method: 'get',
    path: '/api/agents',
    tags: ['agents'],
    summary: 'List agents',
    description: 'Additive (beyond DESIGN §7). Every agent may list agents (to assign conversations).',
    auth: 'agent',
    response: { kind: 'json', status: 200, schema: AgentList, description: 'All agents, oldest first.' },
    errors: [401],
  },
  createAgent: {
    method: 'post',
    path: '/api/agents',
    tags: ['agents'],
    summary: 'Create an agent (admin)',
    description: 'Additive (beyond DESIGN §7). Admins only.',
    auth: 'admin',
    body: CreateAgentRequest,
    response: { kind: 'json', status: 201, schema: Agent, description: 'Created.' },
    errors: [400, 401, 403, 409, 413],
  },
  updateAgent: {
    method: 'patch',
    path: '/api/agents/:id',
    tags: ['agents'],
    summary: 'Activate or deactivate an agent (admin)',
    description: 'Additive (beyond DESIGN §7). Admins only; an admin cannot deactivate themselves (409).',
    auth: 'admin',
    params: id('Agent'),
    body: PatchAgentRequest,
    response: { kind: 'json', status: 200, schema: Agent, description: 'The updated agent.' },
    errors: [400, 401, 403, 404, 409, 413],
  },
  createApiToken: {
    method: 'post',
    path: '/api/tokens',
    tags: ['auth'],
    summary: 'Create a long-lived API token',
    description: 'Additive (beyond DESIGN §7). A token for scripts and integrations, acting as the calling agent; it does not expire and is shown once.',
    auth: 'agent',
    body: CreateTokenRequest,
    response: { kind: 'json', status: 201, schema: TokenResult, description: 'Created.' },
    errors: [400, 401, 403, 413],
  },
  listApiTokens: {
    method: 'get',
    path: '/api/tokens',
    tags: ['auth'],
    summary: "The caller's API tokens",
    description: 'Additive (beyond DESIGN §7). Names and dates only; a token is shown once, when created.',
    auth: 'agent',
    response: { kind: 'json', status: 200, schema: ApiTokenList, description: 'The tokens.' },
    errors: [401],
  },
  revokeApiToken: {
    method: 'delete',
    path: '/api/tokens/:id',
    tags: ['auth'],
    summary: 'Revoke one of your API tokens',
    description: 'Additive (beyond DESIGN §7).',
    auth: 'agent',
    params: z.object({ id: z.string().max(64).describe('Token id (from the list).') }),
    response: { kind: 'empty', description: 'Revoked.' },
    errors: [401, 403, 404],
  },
  listChannels: {
    method: 'get',
    path: '/api/channels',
    tags: ['channels'],
    summary: 'Configured channels and their health',
    description: 'Never includes secrets. `error`, `checkedAt` and `capabilities` are additive (beyond DESIGN §7).',
    auth: 'agent',
    response: { kind: 'json', status: 200, schema: ChannelList, description: 'Every configured channel.' },
    errors: [401],
  },
  listConversations: {
    method: 'get',
    path: '/api/conversations',
    tags: ['conversations'],
    summary: 'List conversations, newest activity first (or soonest due)',
    description: 'Keyset-paged on (lastMessageAt, id), or on (due time, id) with `sort=due`: pass `nextCursor` back as `cursor` with the same filters.',
    auth: 'agent',
    query: ConversationListQuery,
    response: { kind: 'json', status: 200, schema: ConversationPage, description: 'A page of conversations.' },
    errors: [400, 401],
  },
  getConversation: {
    method: 'get',
    path: '/api/conversations/:id',
    tags: ['conversations'],
    summary: 'One conversation',
    auth: 'agent',
    params: id('Conversation'),
    response: { kind: 'json', status: 200, schema: Conversation, description: 'The conversation.' },
    errors: [401, 404],
  },
  updateConversation: {
    method: 'patch',
    path: '/api/conversations/:id',
    tags: ['conversations'],
    summary: 'Change status, assignee, priority or labels',
    description: 'Each change is recorded as a private system message in the conversation. `snoozedUntil` is additive (beyond DESIGN §7).',
    auth: 'agent',
    params: id('Conversation'),
    body: ConversationPatch,
    optionalBody: true,
    response: { kind: 'json', status: 200, schema: Conversation, description: 'The updated conversation.' },
    errors: [400, 401, 403, 404, 413],
  },
  markConversationRead: {
    method: 'post',
    path: '/api/conversations/:id/read',
    tags: ['conversations'],
    summary: 'Mark a conversation read for the calling agent',
    description: 'Additive (beyond DESIGN §7). Clears `unread` for this agent until the customer writes again.',
    auth: 'agent',
    params: id('Conversation'),
    response: { kind: 'empty', description: 'Marked read.' },
    errors: [401, 403, 404],
  },
  listMessages: {
    method: 'get',
    path: '/api/conversations/:id/messages',
    tags: ['messages'],
    summary: 'Messages of a conversation, oldest first',
    description: 'Without `before`/`after`: the latest `limit` messages. Includes private notes.',
    auth: 'agent',
    params: id('Conversation'),
    query: MessagesQuery,
    response: { kind: 'json', status: 200, schema: MessageList, description: 'Messages, oldest first.' },
    errors: [400, 401, 404],
  },
  sendReply: {
    method: 'post',
    path: '/api/conversations/:id/messages',
    tags: ['messages'],
    summary: 'Reply to the customer, or add a private note',
    description:
      'Accepted for delivery: the message is `queued` (a reply) or `sent` (a private note) and progresses through `message.updated` events. With `Idempotency-Key`, repeating the request returns the first message (with `Idempotent-Replayed: true`) instead of sending twice. A reply the desk finds unsafe (it asks for a recovery phrase, or contains a secret) is refused with 422 `unsafe_content` (additive).',
    auth: 'agent',
    params: id('Conversation'),
    headers: ReplyHeaders,
    body: ReplyInput,
    optionalBody: true,
    response: {
      kind: 'json',
      status: 202,
      schema: Message,
      description: 'The message.',
      headers: { 'Idempotent-Replayed': { description: '`true` when this is the stored result of an earlier request with the same Idempotency-Key.', schema: { type: 'string', const: 'true' } } },
    },
    errors: [400, 401, 403, 404, 409, 413, 422],
  },
  retryMessage: {
    method: 'post',
    path: '/api/messages/:id/retry',
    tags: ['messages'],
    summary: 'Re-queue a failed reply',
    description: 'Only outbound, non-private messages in status `failed`; others → 409 `not_retryable`.',
    auth: 'agent',
    params: id('Message'),
    response: { kind: 'json', status: 202, schema: Message, description: 'The message, now `queued`.' },
    errors: [401, 403, 404, 409],
  },
  uploadAttachment: {
    method: 'post',
    path: '/api/attachments',
    tags: ['attachments'],
    summary: 'Upload a file to attach to a reply',
    description: 'Additive (beyond DESIGN §7). Send the raw bytes (not multipart); then pass the returned id in `ReplyInput.attachments`. Until used, only the uploader can see it.',
    auth: 'agent',
    headers: Filename,
    body: upload,
    response: { kind: 'json', status: 201, schema: Attachment, description: 'Stored.' },
    errors: [400, 401, 403, 413, 415],
  },
  downloadAttachment: {
    method: 'get',
    path: '/api/attachments/:id',
    tags: ['attachments'],
    summary: 'Download an attachment',
    description: 'Additive (beyond DESIGN §7). The target of `Attachment.url`. 404 also while a platform file has not been fetched yet.',
    auth: 'agent',
    params: id('Attachment'),
    response: { kind: 'file', description: 'The file. `Content-Disposition` is `inline` for images and `attachment` otherwise; served with a sandboxing `Content-Security-Policy`.' },
    errors: [401, 404],
  },
  streamEvents: {
    method: 'get',
    path: '/api/events',
    tags: ['events'],
    summary: 'Realtime inbox events (Server-Sent Events)',
    description:
      'Events (data = the object as JSON): `conversation.created` (Conversation), `conversation.updated` (Conversation), `message.created` (Message), `message.updated` (Message). Additive (beyond DESIGN §7): a first `ready` event with `{ at }`. Events are not replayed: after a reconnect, refetch.',
    auth: 'agent',
    response: { kind: 'sse', description: 'The event stream.' },
    errors: [401],
  },
  getOpenapiDocument: {
    method: 'get',
    path: '/api/openapi.json',
    tags: ['meta'],
    summary: 'This document',
    auth: 'none',
    response: { kind: 'page', contentType: 'application/json', description: 'The OpenAPI 3.1 document.' },
    errors: [],
  },

  // ——— Channel-facing ———
  webhookVerify: {
    method: 'get',
    path: '/webhooks/:channelId',
    tags: ['webhooks'],
    summary: 'Platform webhook verification (WeChat echostr, X CRC)',
    description:
      'For push channels (Telegram, WeChat, X). The adapter verifies the platform signature over the raw bytes, queues the message and answers in the format its platform expects. Any method reaches the adapter; it decides which it accepts. Bodies over 1 MB → 413.',
    auth: 'none',
    params: z.object({ channelId: ChannelId.describe('Channel id from the channels file.') }),
    response: { kind: 'platform', description: 'Accepted (or a verification challenge answered); the body is what the platform expects.' },
    errors: [400, 401, 403, 404, 405, 413, 415, 503],
    early: true,
  },
  webhookDeliver: {
    method: 'post',
    path: '/webhooks/:channelId',
    tags: ['webhooks'],
    summary: 'Platform webhook delivery',
    description:
      'For push channels (Telegram, WeChat, X). The adapter verifies the platform signature over the raw bytes, queues the message and answers in the format its platform expects. Any method reaches the adapter; it decides which it accepts. Bodies over 1 MB → 413.',
    auth: 'none',
    params: z.object({ channelId: ChannelId.describe('Channel id from the channels file.') }),
    body: { upload: true, description: 'The platform payload, verified byte for byte.', contentTypes: ['*/*'] },
    response: { kind: 'platform', description: 'Accepted (or a verification challenge answered); the body is what the platform expects.' },
    errors: [400, 401, 403, 404, 405, 413, 415, 503],
    early: true,
  },

  // ——— Operations and pages ———
  healthz: {
    method: 'get',
    path: '/healthz',
    tags: ['ops'],
    summary: 'Liveness',
    auth: 'none',
    response: { kind: 'json', status: 200, schema: Health, description: 'The process is up.' },
    errors: [],
  },
  readyz: {
    method: 'get',
    path: '/readyz',
    tags: ['ops'],
    summary: 'Readiness: database, Redis, channels',
    auth: 'none',
    response: { kind: 'json', status: 200, schema: Readiness, description: 'Ready.' },
    otherResponses: { 503: { description: 'Not ready; `checks` says what failed.', schema: Readiness } },
    errors: [],
  },
  metrics: {
    method: 'get',
    path: '/metrics',
    tags: ['ops'],
    summary: 'Prometheus metrics',
    auth: 'none',
    response: { kind: 'page', contentType: 'text/plain', description: 'Prometheus text exposition format.' },
    errors: [],
  },
  widgetScript: {
    method: 'get',
    path: '/widget.js',
    tags: ['pages'],
    summary: 'The embeddable chat widget script',
    auth: 'none',
    response: { kind: 'page', contentType: 'text/javascript', description: 'JavaScript.' },
    otherResponses: { 503: { description: 'Not built yet (`npm run build`; `npm start` builds it).', contentType: 'text/plain' } },
    errors: [],
  },
  demoPage: {
    method: 'get',
    path: '/demo',
    tags: ['pages'],
    summary: 'A page with the widget embedded',
    auth: 'none',
    response: { kind: 'page', contentType: 'text/html', description: 'HTML.' },
    otherResponses: { 503: { description: 'Not built yet (`npm run build`; `npm start` builds it).', contentType: 'text/plain' } },
    errors: [],
  },
  inbox: {
    method: 'get',
    path: '/',
    tags: ['pages'],
    summary: 'The agent inbox',
    auth: 'none',
    response: { kind: 'page', contentType: 'text/html', description: 'HTML.' },
    otherResponses: { 503: { description: 'Not built yet (`npm run build`; `npm start` builds it).', contentType: 'text/plain' } },
    errors: [],
  },
});
export type CoreRoutes = typeof coreRoutes;
