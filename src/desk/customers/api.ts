import { z } from 'zod';
import { defineContract } from '../../api/route.js';
import { request, response } from '../../api/schemas.js';
import { ChannelKind } from '../../domain/channel.js';
import { ConversationStatus, Priority } from '../../domain/conversation.js';
import { CsatRating, CsatVia } from '../../domain/csat.js';
import { Message } from '../../domain/message.js';

/** The customer page's routes (issue 17): one customer across every channel. */

export const MAX_NOTE_TEXT = 5000;

const Identity = z.object({ channelId: z.string(), externalId: z.string(), handle: z.string().nullable() });
const contactFields = {
  id: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  avatarUrl: z.string().nullable(),
  userId: z.string().nullable().describe("The app's own user id, set only through a verified identity link (issue 17); null until linked."),
  createdAt: z.string(),
  identities: z.array(Identity).describe('Every channel identity of the customer, oldest first.'),
};

export const ContactSummary = response(
  'ContactSummary',
  z.object({
    ...contactFields,
    lastActivityAt: z.string().nullable().describe('The newest activity of any of their conversations; null when they have none.'),
    conversations: z.number().int().describe('How many conversations they have, on every channel.'),
  }),
);
export const ContactSearchPage = response(
  'ContactSearchPage',
  z.object({
    items: z.array(ContactSummary),
    nextCursor: z.string().nullable().describe('Pass as `cursor` (with the same `q`) for the next page; null on the last page.'),
  }),
);

export const CustomerConversation = response(
  'CustomerConversation',
  z.object({
    id: z.string(),
    channelId: z.string(),
    channelKind: ChannelKind,
    status: ConversationStatus,
    priority: Priority,
    assigneeId: z.string().nullable(),
    subject: z.string().nullable(),
    createdAt: z.string(),
    lastMessageAt: z.string(),
    lastMessagePreview: z.string().nullable(),
    resolvedAt: z.string().nullable(),
    csat: z.object({ rating: CsatRating, comment: z.string().nullable(), ratedAt: z.string() }).nullable().describe("The customer's newest survey answer in it."),
  }),
);

export const CsatAnswer = response(
  'CsatAnswer',
  z.object({
    surveyId: z.string(),
    conversationId: z.string(),
    channelId: z.string(),
    channelKind: ChannelKind,
    rating: CsatRating,
    comment: z.string().nullable(),
    ratedAt: z.string(),
    via: CsatVia.nullable(),
    resolvedAt: z.string().describe('The resolution that was surveyed.'),
  }),
);

export const CustomerRecord = response(
  'CustomerRecord',
  z.object({
    ...contactFields,
    conversations: z.array(CustomerConversation).describe('Every conversation, on every channel, the most recently active first.'),
    csat: z.array(CsatAnswer).describe('Every survey answer, newest first.'),
  }),
);

export const TimelineMessage = response(
  'TimelineMessage',
  Message.extend({
    channelId: z.string().describe('The channel of its conversation.'),
    channelKind: ChannelKind,
  }),
);
export const CustomerTimeline = response(
  'CustomerTimeline',
  z.object({
    items: z.array(TimelineMessage).describe('Oldest first within the page.'),
    nextBefore: z.string().nullable().describe('Pass as `before` for the page of older messages; null when there are none.'),
  }),
);

export const CustomerNote = response(
  'CustomerNote',
  z.object({
    id: z.string(),
    contactId: z.string(),
    text: z.string(),
    author: z.object({ id: z.string().nullable().describe('Null once the agent is deleted.'), name: z.string() }),
    createdAt: z.string(),
  }),
);
export const CustomerNoteList = response('CustomerNoteList', z.object({ items: z.array(CustomerNote) }));
export const CustomerNoteInput = request(
  'CustomerNoteInput',
  z.object({ text: z.string().trim().min(1).max(MAX_NOTE_TEXT).describe(`What the team should know about the customer, at most ${MAX_NOTE_TEXT} characters.`) }).strict(),
);

const contactId = z.object({ id: z.string().max(64).describe('Contact id.') });

export const customerRoutes = defineContract({
  searchContacts: {
    method: 'get',
    path: '/api/contacts',
    tags: ['customers'],
    summary: 'Search customers',
    description:
      'Additive (issue 17). `q` matches part of the name (Chinese too), the email, an identity’s handle or platform id, or exactly the contact id or the app’s user id. The most recently active customers first; without `q`, every customer.',
    auth: 'agent',
    query: z.object({
      q: z.string().trim().max(200).optional(),
      limit: z.coerce.number().int().min(1).max(100).default(25).describe('Page size.'),
      cursor: z.string().max(500).optional().describe('`nextCursor` of the previous page (opaque).'),
    }),
    response: { kind: 'json', status: 200, schema: ContactSearchPage, description: 'A page of customers.' },
    errors: [400, 401],
  },
  getContact: {
    method: 'get',
    path: '/api/contacts/:id',
    tags: ['customers'],
    summary: 'A customer: identities, every conversation, survey answers',
    description: 'Additive (issue 17).',
    auth: 'agent',
    params: contactId,
    response: { kind: 'json', status: 200, schema: CustomerRecord, description: 'The customer.' },
    errors: [401, 404],
  },
  contactTimeline: {
    method: 'get',
    path: '/api/contacts/:id/timeline',
    tags: ['customers'],
    summary: 'Every message of the customer’s conversations, on every channel, as one timeline',
    description:
      'Additive (issue 17). The newest `limit` messages (before `before`), oldest first, each with its conversation and channel. Includes private notes and system lines (`private`, `system`), as the conversation’s own messages do; message text is as stored, redactions kept.',
    auth: 'agent',
    params: contactId,
    query: z.object({
      before: z.string().max(64).optional().describe('A message id (`nextBefore`): the messages just before it.'),
      limit: z.coerce.number().int().min(1).max(200).default(50).describe('How many.'),
    }),
    response: { kind: 'json', status: 200, schema: CustomerTimeline, description: 'A page of the timeline.' },
    errors: [400, 401, 404],
  },
  listContactNotes: {
    method: 'get',
    path: '/api/contacts/:id/notes',
    tags: ['customers'],
    summary: 'The team’s notes about a customer, newest first',
    description: 'Additive (issue 17). Never shown to the customer.',
    auth: 'agent',
    params: contactId,
    response: { kind: 'json', status: 200, schema: CustomerNoteList, description: 'The notes.' },
    errors: [401, 404],
  },
  addContactNote: {
    method: 'post',
    path: '/api/contacts/:id/notes',
    tags: ['customers'],
    summary: 'Add a note about a customer',
    description: 'Additive (issue 17). 422 `unsafe_content` when it holds a recovery phrase or private key: such a secret is never stored.',
    auth: 'agent',
    params: contactId,
    body: CustomerNoteInput,
    response: { kind: 'json', status: 201, schema: CustomerNote, description: 'The note.' },
    errors: [400, 401, 403, 404, 413, 422],
  },
  deleteContactNote: {
    method: 'delete',
    path: '/api/contacts/:id/notes/:noteId',
    tags: ['customers'],
    summary: 'Delete a note (its author or an admin)',
    description: 'Additive (issue 17). 403 for anyone else.',
    auth: 'agent',
    params: contactId.extend({ noteId: z.string().max(64).describe('Note id.') }),
    response: { kind: 'empty', description: 'Deleted.' },
    errors: [401, 403, 404],
  },
});
