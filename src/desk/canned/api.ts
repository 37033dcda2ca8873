import { z } from 'zod';
import { defineContract } from '../../api/route.js';
import { request, response } from '../../api/schemas.js';
import { TEMPLATE_VARIABLES } from './template.js';

/** Canned replies routes (issue 16). */

/** What follows the `/` in the composer. */
export const SHORTCUT = /^[a-z0-9][a-z0-9-]{0,39}$/;
export const MAX_CANNED_TEXT = 4000;

const variables = TEMPLATE_VARIABLES.map((v) => `\`{{${v}}}\``).join(', ');
const Variant = z
  .string()
  .trim()
  .min(1)
  .max(MAX_CANNED_TEXT)
  .optional()
  .describe(`A template: plain text with ${variables}. Unknown variables and unbalanced braces are refused (400).`);

export const CannedInput = request(
  'CannedInput',
  z
    .object({
      shortcut: z.string().trim().regex(SHORTCUT, 'lowercase letters, digits and "-" (not first), at most 40, without the "/"').describe('Typed after `/` in the composer; unique among the shared replies, and among each agent’s own.'),
      title: z.string().trim().min(1).max(100),
      scope: z.enum(['personal', 'shared']).default('personal').describe('`shared`: every agent sees it, admins write it; `personal`: only its owner.'),
      variants: z
        .object({ en: Variant, zh: Variant })
        .strict()
        .refine((v) => v.en !== undefined || v.zh !== undefined, 'at least one of en, zh'),
    })
    .strict(),
);

export const Canned = response(
  'Canned',
  z.object({
    id: z.string(),
    shortcut: z.string(),
    title: z.string(),
    scope: z.enum(['personal', 'shared']),
    ownerId: z.string().nullable().describe('The agent a personal reply belongs to; null when shared.'),
    variants: z.object({ en: z.string().optional(), zh: z.string().optional() }),
    updatedAt: z.string(),
  }),
);
export const CannedList = response('CannedList', z.object({ items: z.array(Canned) }));

export const CannedRenderInput = request(
  'CannedRenderInput',
  z
    .object({
      conversationId: z.string().min(1).max(64),
      lang: z.enum(['en', 'zh']).optional().describe("Default: the customer's language, from what they wrote."),
    })
    .strict(),
);
export const CannedRendering = response(
  'CannedRendering',
  z.object({
    text: z.string().describe('Plain text, to put in the composer; it passes the reply guard again when sent.'),
    lang: z.enum(['en', 'zh']).describe('The variant used: the one asked for, else the other.'),
  }),
);

const id = z.object({ id: z.string().max(64) });

export const cannedRoutes = defineContract({
  listCanned: {
    method: 'get',
    path: '/api/canned',
    tags: ['canned'],
    summary: "The agent's personal canned replies and all shared ones",
    description: 'Additive (issue 16). Personal ones first, each by shortcut. `q` matches the shortcut, the title or either variant, ignoring case.',
    auth: 'agent',
    query: z.object({ q: z.string().trim().max(100).optional() }),
    response: { kind: 'json', status: 200, schema: CannedList, description: 'The canned replies.' },
    errors: [400, 401],
  },
  createCanned: {
    method: 'post',
    path: '/api/canned',
    tags: ['canned'],
    summary: 'Create a canned reply (shared: admins)',
    description:
      'Additive (issue 16). 403 for a shared one by a non-admin; 409 when the shortcut is taken in its scope (a personal one may shadow a shared one); 422 `unsafe_content` when a variant asks for a recovery phrase, key, password or code, or holds a secret — the same rules as a reply.',
    auth: 'agent',
    body: CannedInput,
    response: { kind: 'json', status: 201, schema: Canned, description: 'The canned reply.' },
    errors: [400, 401, 403, 409, 413, 422],
  },
  updateCanned: {
    method: 'put',
    path: '/api/canned/:id',
    tags: ['canned'],
    summary: 'Replace a canned reply (shared: admins; personal: its owner)',
    description: "Additive (issue 16). Another agent's personal reply is a 404, as if it did not exist. The same refusals as creating one.",
    auth: 'agent',
    params: id,
    body: CannedInput,
    response: { kind: 'json', status: 200, schema: Canned, description: 'The canned reply.' },
    errors: [400, 401, 403, 404, 409, 413, 422],
  },
  deleteCanned: {
    method: 'delete',
    path: '/api/canned/:id',
    tags: ['canned'],
    summary: 'Delete a canned reply (shared: admins; personal: its owner)',
    description: 'Additive (issue 16).',
    auth: 'agent',
    params: id,
    response: { kind: 'empty', description: 'Deleted.' },
    errors: [401, 403, 404],
  },
  renderCanned: {
    method: 'post',
    path: '/api/canned/:id/render',
    tags: ['canned'],
    summary: 'A canned reply filled in for a conversation',
    description: `Additive (issue 16). Fills ${variables} from the conversation's customer and the calling agent; a customer without a name gets a fallback that keeps the sentence readable ("Hi there", "您好").`,
    auth: 'agent',
    params: id,
    body: CannedRenderInput,
    response: { kind: 'json', status: 200, schema: CannedRendering, description: 'The text to insert.' },
    errors: [400, 401, 404, 413],
  },
});
