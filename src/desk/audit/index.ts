import { Readable } from 'node:stream';
import { z } from 'zod';
import type { Implementation } from '../../api/handler.js';
import type { Agent } from '../../domain/agent.js';
import { type AuditActor, auditEntries, listAudit, recordAudit, verifyAudit } from '../../store/audit.js';
import { defineDeskFeature } from '../feature.js';
import { auditRoutes } from './api.js';

/** Who an agent is in the audit log. */
export const agentActor = (agent: Pick<Agent, 'id' | 'name'>): AuditActor => ({ type: 'agent', id: agent.id, name: agent.name });

/**
 * The audit log's routes (issue 17 part 5): a desk feature for its routes only (no settings). The
 * log itself is `src/store/audit.ts`; whatever changes records, or customers, appends to it in the
 * same transaction as the change where it can.
 */
export const audit = defineDeskFeature({
  name: 'audit',
  settings: z.object({}),
  contract: auditRoutes,
  create(context) {
    const db = () => context.inbox().db;
    const api: Implementation<typeof auditRoutes> = {
      contract: auditRoutes,
      json: { limit: '1kb', beforeAuth: false },
      handlers: {
        listAudit: ({ query }) => listAudit(db(), { limit: query.limit, ...(query.before !== undefined ? { before: query.before } : {}) }),
        verifyAudit: () => verifyAudit(db()),
        async exportAudit({ agent }) {
          await recordAudit(db(), { actor: agentActor(agent), action: 'audit.export', target: { type: 'audit', id: 'log' } });
          // Built whole before sending (the file reply needs its size); a line is ~400 bytes, so a million entries are ~400 MB — far beyond a desk's log.
          const lines: string[] = [];
          for await (const entry of auditEntries(db())) lines.push(`${JSON.stringify(entry)}\n`);
          const bytes = Buffer.from(lines.join(''));
          return { stream: Readable.from([bytes]), size: bytes.length, mimeType: 'application/x-ndjson', name: `audit-${new Date().toISOString().slice(0, 10)}.ndjson` };
        },
      },
    };
    return { api: { contract: auditRoutes, mount: (mounter) => mounter(api) } };
  },
});
