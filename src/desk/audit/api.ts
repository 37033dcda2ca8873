import { z } from 'zod';
import { defineContract } from '../../api/route.js';
import { response } from '../../api/schemas.js';

/** The audit log's routes (issue 17 part 5), admins only. */

export const AuditEntry = response(
  'AuditEntry',
  z.object({
    seq: z.number().int().describe('1, 2, 3, … without gaps.'),
    at: z.string(),
    actor: z.object({ type: z.enum(['agent', 'api', 'system']), id: z.string(), name: z.string() }),
    action: z.string().describe("Dotted: 'contact.merge', 'customer.erase', 'agent.create', 'desk.settings', 'retention.run', …"),
    target: z.object({ type: z.string(), id: z.string() }),
    details: z.record(z.string(), z.unknown()).describe('Never a secret, never message text.'),
    prevHash: z.string(),
    hash: z.string().describe('sha256 of `prevHash`, a newline and the canonical JSON of seq, at, actor, action, target and details.'),
  }),
);
export const AuditPage = response('AuditPage', z.object({ items: z.array(AuditEntry), nextCursor: z.number().int().nullable().describe('`before` for the next (older) page; null at the first entry.') }));
export const AuditVerification = response(
  'AuditVerification',
  z.object({
    ok: z.boolean(),
    entries: z.number().int().describe('Entries that chain, from the first.'),
    brokenAt: z.number().int().optional().describe('The first entry that does not: altered, or the one after a removed entry.'),
    head: z.string().optional().describe('The newest hash: kept elsewhere, it also shows whether newest entries were removed.'),
  }),
);

export const auditRoutes = defineContract({
  listAudit: {
    method: 'get',
    path: '/api/audit',
    tags: ['audit'],
    summary: 'The audit log, newest first (admin)',
    description: 'Additive (issue 17). Who did what: merges, links, exports, erasures, role and settings changes, retention runs.',
    auth: 'admin',
    query: z.object({
      limit: z.coerce.number().int().min(1).max(200).default(50),
      before: z.coerce.number().int().min(1).optional().describe('Entries older than this seq (the previous page’s `nextCursor`).'),
    }),
    response: { kind: 'json', status: 200, schema: AuditPage, description: 'A page of entries.' },
    errors: [400, 401, 403],
  },
  exportAudit: {
    method: 'get',
    path: '/api/audit/export',
    tags: ['audit'],
    summary: 'The whole audit log as NDJSON (admin)',
    description: 'Additive (issue 17). One entry per line, oldest first, with its hashes: the chain can be checked elsewhere. The download is itself audited.',
    auth: 'admin',
    response: { kind: 'file', description: 'application/x-ndjson' },
    errors: [401, 403],
  },
  verifyAudit: {
    method: 'get',
    path: '/api/audit/verify',
    tags: ['audit'],
    summary: 'Check the audit chain (admin)',
    description: 'Additive (issue 17). Recomputes every hash from the first entry.',
    auth: 'admin',
    response: { kind: 'json', status: 200, schema: AuditVerification, description: 'Whether the chain holds, and where it breaks.' },
    errors: [401, 403],
  },
});
