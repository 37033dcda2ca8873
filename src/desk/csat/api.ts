import { z } from 'zod';
import { defineContract } from '../../api/route.js';

/** The rating links' pages (issue 15): public, addressed by a signed token only. */
export const csatRoutes = defineContract({
  csatLinkPage: {
    method: 'get',
    path: '/csat/:token',
    tags: ['desk'],
    summary: 'The page a survey rating link opens',
    description:
      'Additive (issue 15). Shows the score the link stands for and a form to send it (with an optional comment); opening the page records nothing, so link scanners cannot answer for the customer. 403 for a forged token, 409 when the survey was answered, 410 when the link expired (HTML pages).',
    auth: 'none',
    params: z.object({ token: z.string().max(200) }),
    response: { kind: 'page', contentType: 'text/html', description: 'The confirm page, or why the link does not work.' },
    errors: [],
  },
  submitCsatLink: {
    method: 'post',
    path: '/csat/:token',
    tags: ['desk'],
    summary: 'Records the score of a survey rating link',
    description: 'Additive (issue 15). The form of the link page: the first answer of a survey wins; the same statuses as the page.',
    auth: 'none',
    params: z.object({ token: z.string().max(200) }),
    body: z.object({ comment: z.string().max(2000).optional().describe('What the customer adds, optional.') }),
    form: true,
    response: { kind: 'page', contentType: 'text/html', description: 'Thanks, or why it was not recorded.' },
    errors: [400, 413],
  },
});
