import { z } from 'zod';
import { defineContract } from '../../api/route.js';
import { response } from '../../api/schemas.js';

/** Reply drafts' routes (issue 16): an agent asks, the configured LLM endpoint drafts from the articles. */

export const DraftsStatus = response(
  'DraftsStatus',
  z.object({ enabled: z.boolean().describe('`desk.llm` is configured: the composer offers a draft.') }),
);

export const DraftArticle = z.object({
  id: z.string(),
  title: z.string(),
  url: z.string().describe('The public help-center page of the article.'),
});

export const ReplyDraftResult = response(
  'ReplyDraft',
  z.object({
    text: z.string().nullable().describe('The suggested reply, to edit before sending; null when no article matched (nothing was asked of the model).'),
    articles: z.array(DraftArticle).describe('The articles the draft was grounded in, best match first.'),
    reason: z.literal('no_article').optional().describe('Why there is no text: no published article matches what the customer asked.'),
  }),
);

export const draftRoutes = defineContract({
  draftsStatus: {
    method: 'get',
    path: '/api/drafts/status',
    tags: ['desk'],
    summary: 'Whether reply drafts are available',
    description: 'Additive (issue 16). Drafts are off unless `desk.llm` is configured.',
    auth: 'agent',
    response: { kind: 'json', status: 200, schema: DraftsStatus, description: 'On or off.' },
    errors: [401],
  },
  draftReply: {
    method: 'post',
    path: '/api/conversations/:id/draft',
    tags: ['desk'],
    summary: 'Draft a reply from the matching help-center articles',
    description:
      "Additive (issue 16). Searches the published articles with the customer's latest messages; with a match, sends the articles and the conversation's last messages — recovery phrases removed, the contact's name, email and phone masked — to the `desk.llm` endpoint, and answers its draft once it passed the same safety check as a reply. Nothing is sent or saved. 409 `drafts_disabled` without `desk.llm`; 422 `unsafe_content` when the draft asks for or contains a secret (it is withheld); 502 `llm_unauthorized` (the endpoint refused the key), `llm_malformed`, `llm_refused`, `llm_unavailable`, `llm_rejected`, `llm_unreachable`; 503 `llm_rate_limited` with Retry-After; 504 `llm_timeout`.",
    auth: 'agent',
    params: z.object({ id: z.string().max(64) }),
    response: { kind: 'json', status: 200, schema: ReplyDraftResult, description: 'The draft and its articles, or no text and the reason.' },
    errors: [401, 404, 409, 422, 502, 503, 504],
  },
});
