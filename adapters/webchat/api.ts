import { z } from 'zod';
import { Filename, upload } from '../../src/api/routes.js';
import { defineContract } from '../../src/api/route.js';
import { request, response } from '../../src/api/schemas.js';
import { Attachment } from '../../src/domain/attachment.js';
import { ChannelId } from '../../src/domain/channel.js';
import { ConversationStatus } from '../../src/domain/conversation.js';
import { AuthorType, MessageDirection, MessageStatus } from '../../src/domain/message.js';
import { VisitorMessageBody } from './inbound.js';

/**
 * The customer side of web chat (DESIGN §7), contributed by this channel kind: sessions with
 * signed visitor tokens, messages with client ids, history, an SSE stream, uploads. Handlers are
 * in `routes.ts`; CORS preflight is answered on every path (`allowedOrigins`).
 */

export const SessionRequest = request(
  'WidgetSessionRequest',
  z
    .object({
      name: z.string().trim().min(1).max(100).optional(),
      email: z.email().max(320).optional(),
      userId: z.string().min(1).max(200).optional().describe("The app's own user id, for identified visitors."),
      userHash: z
        .string()
        .regex(/^[0-9a-fA-F]{64}$/, '64 hex characters')
        .optional()
        .describe("hex(HMAC-SHA256(identitySecret, userId)), computed by the app's backend."),
    })
    .strict()
    .refine((b) => (b.userId === undefined) === (b.userHash === undefined), { message: 'userId and userHash go together', path: ['userHash'] }),
);

request('VisitorMessageBody', VisitorMessageBody);

export const WidgetSession = response(
  'WidgetSession',
  z.object({
    token: z.string().describe('Visitor token: `Authorization: Bearer <token>` on the other widget endpoints.'),
    visitorId: z.string(),
    expiresAt: z.string(),
    welcomeMessage: z.string().nullable(),
    maxUploadBytes: z.number().int().describe('Largest attachment the widget may upload.'),
  }),
);

export const WidgetMessageAccepted = response('WidgetMessageAccepted', z.object({ clientMessageId: z.string(), status: z.literal('accepted') }));

const ChoiceOptionShown = z.object({ value: z.string(), label: z.string() });

/** Additive (issue 15): a question's options as the widget shows them, and what this visitor picked. */
const VisitorChoice = z.object({
  id: z.string(),
  options: z.array(ChoiceOptionShown).describe('The options offered; empty on the visitor\'s own message that carries a pick.'),
  picked: z.string().nullable().describe('The value the visitor picked (on their answer), else null.'),
});

/** A message as a visitor sees it: no agent ids, no internal notes. */
export const VisitorMessage = response(
  'VisitorMessage',
  z.object({
    id: z.string(),
    direction: MessageDirection,
    author: z.object({ type: AuthorType, name: z.string().describe('"You" for the visitor\'s own messages.') }),
    text: z.string(),
    attachments: z.array(Attachment),
    status: MessageStatus.extract(['received', 'sending', 'sent']),
    clientMessageId: z.string().nullable(),
    createdAt: z.string(),
    choice: VisitorChoice.optional().describe('Additive (issue 15): present on a question with options and on the visitor\'s pick.'),
  }),
);
export type VisitorMessage = z.infer<typeof VisitorMessage>;

export const VisitorHistory = response(
  'VisitorHistory',
  z.object({
    items: z.array(VisitorMessage),
    conversation: z
      .object({
        status: ConversationStatus,
        id: z.string().optional().describe('Additive (issue 17).'),
        readOnly: z.boolean().optional().describe('Additive (issue 17): another of an identified user\'s conversations, not the one they write in.'),
      })
      .nullable()
      .describe('Null before the visitor has written anything.'),
  }),
);

/** Additive (issue 17): one of an identified user's conversations on this channel. */
export const VisitorConversation = response(
  'VisitorConversation',
  z.object({
    id: z.string(),
    status: ConversationStatus,
    subject: z.string().nullable(),
    createdAt: z.string(),
    lastMessageAt: z.string(),
    resolvedAt: z.string().nullable(),
    preview: z.string().describe('The newest message the visitor may see in it (no internal notes).'),
    readOnly: z.boolean().describe('True for every conversation but the one the visitor writes in now.'),
  }),
);
export const VisitorConversations = response('VisitorConversations', z.object({ items: z.array(VisitorConversation) }));

/** Data of the widget stream's `message` event: an agent reply pushed to the visitor. */
export const VisitorReply = response(
  'VisitorReply',
  z.object({
    type: z.literal('message'),
    message: z.object({
      id: z.string(),
      direction: z.literal('outbound'),
      author: z.object({ type: z.literal('agent'), name: z.string() }),
      text: z.string(),
      attachments: z.array(z.object({ id: z.string(), name: z.string(), mimeType: z.string(), size: z.number(), url: z.string() })),
      createdAt: z.string(),
      choice: z
        .object({ id: z.string(), options: z.array(ChoiceOptionShown) })
        .optional()
        .describe('Additive (issue 15): the options to show under the text; a pick is posted back as `VisitorMessageBody.choice`.'),
    }),
  }),
);
export type VisitorReply = z.infer<typeof VisitorReply>;

export const WidgetAttachment = response('WidgetAttachment', Attachment.required({ name: true, mimeType: true, size: true }));

const channel = z.object({ channelId: ChannelId.describe('Channel id from the channels file.') });

export const HistoryQuery = z.object({
  after: z.string().max(64).optional().describe('A message id: only messages after it.'),
  limit: z.coerce.number().int().min(1).max(200).default(100).describe('Additive (beyond DESIGN §7). How many.'),
  conversation: z
    .string()
    .max(64)
    .optional()
    .describe("Additive (issue 17): another conversation's history — for an identified visitor one of theirs (`GET /widget/:channelId/conversations`), for an anonymous one only their own; anything else is a 404."),
});

export const widgetRoutes = defineContract({
  widgetCreateSession: {
    method: 'post',
    path: '/widget/:channelId/session',
    tags: ['widget'],
    summary: 'Start a visitor session',
    description:
      'Returns a visitor token for a new anonymous visitor, or — with a valid `userHash` — for an identified app user (same history on every device). `visitorId`, `expiresAt`, `welcomeMessage` and `maxUploadBytes` are additive (beyond DESIGN §7). Limited to 30 per 10 minutes per client address.',
    auth: 'none',
    cors: true,
    params: channel,
    body: SessionRequest,
    optionalBody: true,
    response: { kind: 'json', status: 201, schema: WidgetSession, description: 'Session created.' },
    errors: [400, 403, 404, 413, 429],
  },
  widgetSendMessage: {
    method: 'post',
    path: '/widget/:channelId/messages',
    tags: ['widget'],
    summary: 'A visitor sends a message',
    description: 'Queued for the inbox. Resending the same `clientMessageId` never duplicates. Limited to 30 per minute per visitor.',
    auth: 'visitor',
    cors: true,
    params: channel,
    body: VisitorMessageBody,
    optionalBody: true,
    response: { kind: 'json', status: 202, schema: WidgetMessageAccepted, description: 'Accepted.' },
    errors: [400, 401, 403, 404, 413, 429, 503],
  },
  widgetHistory: {
    method: 'get',
    path: '/widget/:channelId/messages',
    tags: ['widget'],
    summary: "The visitor's own conversation history, oldest first",
    description: 'Never includes private notes or agent ids.',
    auth: 'visitor',
    cors: true,
    params: channel,
    query: HistoryQuery,
    response: { kind: 'json', status: 200, schema: VisitorHistory, description: 'History.' },
    errors: [400, 401, 403, 404],
  },
  widgetConversations: {
    method: 'get',
    path: '/widget/:channelId/conversations',
    tags: ['widget'],
    summary: "An identified visitor's conversations on this channel, newest first",
    description:
      "Additive (issue 17). For a session made with a valid `userHash`: every conversation of that user's contact on this channel (earlier ones, and those a verified link or a merge joined to them), never another user's. Open one with `GET /widget/:channelId/messages?conversation=`. Anonymous visitors: 403 `identified_only` (they see only their own session's history).",
    auth: 'visitor',
    cors: true,
    params: channel,
    response: { kind: 'json', status: 200, schema: VisitorConversations, description: 'The conversations.' },
    errors: [401, 403, 404],
  },
  widgetEvents: {
    method: 'get',
    path: '/widget/:channelId/events',
    tags: ['widget'],
    summary: "The visitor's realtime stream (Server-Sent Events)",
    description: "Events: `ready` (`{ at }`), then `message` for each agent reply (data: VisitorReply). Only this visitor's conversation.",
    auth: 'visitor',
    cors: true,
    params: channel,
    response: { kind: 'sse', description: 'The event stream.' },
    errors: [401, 403, 404],
  },
  widgetUploadAttachment: {
    method: 'post',
    path: '/widget/:channelId/attachments',
    tags: ['widget'],
    summary: 'A visitor uploads a file',
    description: 'Additive (beyond DESIGN §7). Raw bytes, then pass the id in `VisitorMessageBody.attachments`. Limited to 20 per 10 minutes per visitor.',
    auth: 'visitor',
    cors: true,
    params: channel,
    headers: Filename,
    body: upload,
    response: { kind: 'json', status: 201, schema: WidgetAttachment, description: 'Stored.' },
    errors: [400, 401, 403, 404, 413, 415, 429],
  },
  widgetDownloadAttachment: {
    method: 'get',
    path: '/widget/:channelId/attachments/:id',
    tags: ['widget'],
    summary: 'A visitor downloads a file of their conversation',
    description: 'Additive (beyond DESIGN §7). Their own uploads, and attachments of non-private messages in their conversation.',
    auth: 'visitor',
    cors: true,
    params: channel.extend({ id: z.string().max(64).describe('Attachment id.') }),
    response: { kind: 'file', description: 'The file. `Content-Disposition` is `inline` for images and `attachment` otherwise; served with a sandboxing `Content-Security-Policy`.' },
    errors: [401, 403, 404],
  },
});
