import { z } from 'zod';
import { defineContract } from '../../api/route.js';
import { request, response } from '../../api/schemas.js';

/** A customer's export and erasure as jobs (issue 17 part 4), admins only. */

export const RecordsJobView = response(
  'RecordsJob',
  z.object({
    id: z.string(),
    kind: z.enum(['export', 'erase']),
    status: z.enum(['queued', 'running', 'done', 'failed']),
    progress: z.number().int().min(0).max(100),
    error: z.string().optional(),
    download: z
      .object({ url: z.string(), expiresAt: z.string() })
      .optional()
      .describe('A finished export not yet downloaded: the zip, once, until `expiresAt`.'),
    createdAt: z.string(),
  }),
);
export const RecordsJobList = response('RecordsJobList', z.object({ items: z.array(RecordsJobView) }));
export const EraseBody = request(
  'EraseRequest',
  z.object({ confirm: z.string().min(1).max(500).describe("The customer's name or id, typed again: erasure cannot be undone.") }).strict(),
);

const contactId = z.object({ id: z.string().min(1).max(64) });
const jobId = z.object({ id: z.string().min(1).max(64) });

export const recordsRoutes = defineContract({
  exportContact: {
    method: 'post',
    path: '/api/contacts/:id/export',
    tags: ['records'],
    summary: "Export a customer's records as a zip (admin)",
    description: 'Additive (issue 17). A job: JSON of the customer, identities, conversations and messages, with attachment files. Audited.',
    auth: 'admin',
    params: contactId,
    optionalBody: true,
    response: { kind: 'json', status: 202, schema: RecordsJobView, description: 'The job; poll `GET /api/jobs/:id`.' },
    errors: [401, 403, 404],
  },
  eraseContact: {
    method: 'post',
    path: '/api/contacts/:id/erase',
    tags: ['records'],
    summary: 'Erase a customer and everything stored about them (admin)',
    description:
      'Additive (issue 17). A job removing every message, attachment file, conversation, identity, search entry and Redis key of the customer. Not reached: copies on the platforms (Telegram, Discord, X, WeChat servers), the customer’s own mailbox, backups and logs. The audit entry keeps counts only.',
    auth: 'admin',
    params: contactId,
    body: EraseBody,
    response: { kind: 'json', status: 202, schema: RecordsJobView, description: 'The job; poll `GET /api/jobs/:id`.' },
    errors: [400, 401, 403, 404, 409, 413],
  },
  listContactJobs: {
    method: 'get',
    path: '/api/contacts/:id/jobs',
    tags: ['records'],
    summary: "A customer's exports (admin)",
    description: 'Additive (issue 17). Newest first; an erasure is not listed here (it no longer points at anyone).',
    auth: 'admin',
    params: contactId,
    response: { kind: 'json', status: 200, schema: RecordsJobList, description: 'Their export jobs.' },
    errors: [401, 403],
  },
  getRecordsJob: {
    method: 'get',
    path: '/api/jobs/:id',
    tags: ['records'],
    summary: 'An export or erasure job (admin)',
    description: 'Additive (issue 17).',
    auth: 'admin',
    params: jobId,
    response: { kind: 'json', status: 200, schema: RecordsJobView, description: 'Its status and progress.' },
    errors: [401, 403, 404],
  },
  downloadRecordsJob: {
    method: 'get',
    path: '/api/jobs/:id/download',
    tags: ['records'],
    summary: "Download an export's zip, once (admin)",
    description: 'Additive (issue 17). Within an hour of the export; the file is deleted once sent. Audited.',
    auth: 'admin',
    params: jobId,
    response: { kind: 'file', description: 'application/zip' },
    errors: [401, 403, 404, 409],
  },
});
