import { z } from 'zod';
import { defineContract } from '../../api/route.js';
import { request, response } from '../../api/schemas.js';
import { Duration } from '../settings-types.js';

/** Verified identity links and agents' reversible merges (issue 17). */

const MAX_TTL_MS = 3_600_000;

export const IdentityLinkBody = request(
  'IdentityLinkInput',
  z
    .object({
      userId: z.string().min(1).max(128).describe('The app’s own id of its logged-in user (1–128 characters).'),
      ttl: z
        .union([z.number().int().min(60).max(3600).transform((s) => s * 1000), Duration])
        .refine((ms) => ms >= 60_000 && ms <= MAX_TTL_MS, 'between 1m and 1h')
        .optional()
        .meta({ description: 'How long the code works: seconds (60–3600) or a duration such as `10m` (at most `1h`). Default 10 minutes.', examples: ['10m', 600] }),
    })
    .strict(),
);

export const IdentityLink = response(
  'IdentityLink',
  z.object({
    code: z.string().describe('24 characters A–Z and 2–7 (case-insensitive); single use.'),
    expiresAt: z.string(),
    telegram: z.string().optional().describe('`https://t.me/<bot>?start=<code>`, when the Telegram bot’s username is configured (`desk.identity.telegramBot`).'),
    instructions: z.object({ en: z.string(), zh: z.string() }).describe('What to tell the user, with the code and its expiry.'),
  }),
);

export const MergeBody = request(
  'ContactMergeInput',
  z
    .object({
      otherContactId: z.string().min(1).max(64).describe('The contact merged into this one (it keeps its id, emptied, until an undo).'),
      reason: z.string().trim().min(1).max(500).describe('Why they are the same person (kept in the merge record and the audit log).'),
    })
    .strict(),
);

const ContactMerge = response(
  'ContactMerge',
  z.object({
    id: z.string(),
    keptContactId: z.string(),
    mergedContactId: z.string(),
    mergedName: z.string().optional(),
    by: z.string(),
    reason: z.string(),
    at: z.string(),
    undoneAt: z.string().nullable(),
  }),
);

export const MergeSuggestionList = response(
  'MergeSuggestionList',
  z.object({
    items: z.array(
      z.object({
        contact: z.object({ id: z.string(), name: z.string(), email: z.string().nullable(), userId: z.string().nullable() }),
        reasons: z.array(z.enum(['email', 'userId', 'handle'])).describe('What they share with this contact.'),
      }),
    ),
    merges: z.array(ContactMerge).describe('Merges into this contact that may be undone, newest first.'),
  }),
);

const id = z.object({ id: z.string().max(64) });

export const identityRoutes = defineContract({
  createIdentityLink: {
    method: 'post',
    path: '/api/identity-links',
    tags: ['customers'],
    summary: 'A code that links a channel identity to the app’s user id',
    description:
      'Additive (issue 17). For the app’s backend with an API token (`POST /api/tokens`), or an admin: a signed, single-use code that expires (default 10 minutes, at most 1 hour). The user sends it to us on a channel (Telegram `/start <code>` through the deep link, or the code as a message anywhere); that contact gets `userId`, and when another contact already has it the two become one (a recorded, reversible merge). An agent’s sign-in session gets 403.',
    auth: 'agent',
    body: IdentityLinkBody,
    response: { kind: 'json', status: 201, schema: IdentityLink, description: 'The code, its expiry, the Telegram link and what to tell the user.' },
    errors: [400, 401, 403, 413],
  },
  mergeContact: {
    method: 'post',
    path: '/api/contacts/:id/merge',
    tags: ['customers'],
    summary: 'Merge another contact into this one (agents; recorded, reversible)',
    description:
      'Additive (issue 17). Moves the other contact’s identities and conversations to this one; the other keeps its id (empty) so `POST /api/contact-merges/:id/undo` restores both exactly. 409 when either was merged already or they are linked to different user ids.',
    auth: 'agent',
    params: id,
    body: MergeBody,
    response: { kind: 'json', status: 201, schema: ContactMerge, description: 'The merge record.' },
    errors: [400, 401, 404, 409, 413],
  },
  undoContactMerge: {
    method: 'post',
    path: '/api/contact-merges/:id/undo',
    tags: ['customers'],
    summary: 'Undo a merge: both contacts as they were',
    description:
      'Additive (issue 17). The merged contact gets back its fields, identities and conversations (and conversations started since on those identities); the kept one its fields. 409 when undone already, or when a later merge involves these contacts (undo that first).',
    auth: 'agent',
    params: id,
    optionalBody: true,
    response: { kind: 'json', status: 200, schema: ContactMerge, description: 'The merge record, with `undoneAt`.' },
    errors: [401, 404, 409],
  },
  contactMergeSuggestions: {
    method: 'get',
    path: '/api/contacts/:id/merge-suggestions',
    tags: ['customers'],
    summary: 'Contacts that may be the same person (never merged automatically)',
    description: 'Additive (issue 17). Same email, same user id or same handle on any channel; and the merges into this contact that can be undone.',
    auth: 'agent',
    params: id,
    response: { kind: 'json', status: 200, schema: MergeSuggestionList, description: 'Suggestions and undoable merges.' },
    errors: [401, 404],
  },
});
