import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { z } from 'zod';
import { ApiError } from '../../api/errors.js';
import type { Implementation } from '../../api/handler.js';
import { newId } from '../../domain/ids.js';
import { recordAudit } from '../../store/audit.js';
import type { Selectable } from 'kysely';
import type { RecordsJobsTable } from '../../store/schema.js';
import { agentActor } from '../audit/index.js';
import { defineDeskFeature } from '../feature.js';
import { recordsRoutes } from './api.js';

/** `<N>d`: whole days, at least one (a retention of hours would delete a conversation still being answered). */
export const RetentionDays = z.string().regex(/^[1-9][0-9]{0,4}d$/, 'expected a number of days like "90d"');

export const RecordsSettings = z.object({
  retention: z
    .record(z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'expected a channel kind or id'), RetentionDays)
    .default({})
    .describe('Channel kind or id → how long its messages and attachments are kept (`"90d"`); a channel id wins over its kind; absent = forever.'),
});

type JobRow = Selectable<RecordsJobsTable>;

const view = (row: JobRow) => ({
  id: row.id,
  kind: row.kind,
  status: row.status,
  progress: row.progress,
  ...(row.error ? { error: row.error } : {}),
  ...(row.kind === 'export' && row.status === 'done' && row.file_path && !row.downloaded_at && row.expires_at && row.expires_at > new Date()
    ? { download: { url: `/api/jobs/${row.id}/download`, expiresAt: row.expires_at.toISOString() } }
    : {}),
  createdAt: row.created_at.toISOString(),
});

/**
 * Records (issue 17 part 4): per-channel retention (the `retention` setting, applied by a
 * repeatable job of the records worker, `worker.ts`), and a customer's export and erasure as
 * jobs whose progress the inbox polls. The work itself is `work.ts`.
 */
export const records = defineDeskFeature({
  name: 'records',
  settings: RecordsSettings,
  contract: recordsRoutes,
  create(context) {
    const db = () => context.inbox().db;
    const contactOf = async (id: string) => {
      const contact = await db().selectFrom('contacts').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
      if (!contact) throw new ApiError(404, 'not_found', 'no customer with this id');
      return contact;
    };
    const start = async (kind: 'export' | 'erase', contactId: string, agent: { id: string; name: string }) => {
      const id = newId();
      const row = await db()
        .transaction()
        .execute(async (trx) => {
          const created = await trx.insertInto('records_jobs').values({ id, kind, contact_id: contactId, requested_by: agent.id }).returningAll().executeTakeFirstOrThrow();
          // The erasure is audited when it is done, with what it removed (work.ts); the request for an export now.
          if (kind === 'export') await recordAudit(trx, { actor: agentActor(agent), action: 'customer.export', target: { type: 'contact', id: contactId }, details: { job: id } });
          return created;
        });
      await context.inbox().queues.records.add(kind, { kind, id }, { jobId: id });
      return view(row);
    };
    const jobOf = async (id: string): Promise<JobRow> => {
      const row = await db().selectFrom('records_jobs').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw new ApiError(404, 'not_found', 'no job with this id');
      return row;
    };

    const api: Implementation<typeof recordsRoutes> = {
      contract: recordsRoutes,
      json: { limit: '4kb', beforeAuth: false },
      handlers: {
        async exportContact({ params, agent }) {
          await contactOf(params.id);
          return start('export', params.id, agent);
        },
        async eraseContact({ params, body, agent }) {
          const contact = await contactOf(params.id);
          if (body.confirm.trim() !== contact.id && body.confirm.trim() !== contact.name.trim()) {
            throw new ApiError(400, 'validation', "confirm: type the customer's name or id exactly to erase them");
          }
          const running = await db().selectFrom('records_jobs').select('id').where('contact_id', '=', params.id).where('kind', '=', 'erase').where('status', 'in', ['queued', 'running']).executeTakeFirst();
          if (running) throw new ApiError(409, 'conflict', `this customer is being erased already (job ${running.id})`);
          return start('erase', params.id, agent);
        },
        async listContactJobs({ params }) {
          const rows = await db().selectFrom('records_jobs').selectAll().where('contact_id', '=', params.id).orderBy('created_at', 'desc').limit(20).execute();
          return { items: rows.map(view) };
        },
        getRecordsJob: async ({ params }) => view(await jobOf(params.id)),
        async downloadRecordsJob({ params, agent }) {
          const job = await jobOf(params.id);
          if (job.kind !== 'export' || job.status !== 'done') throw new ApiError(409, 'conflict', 'this job has no file to download (yet)');
          // Taken once: of two requests racing for it, only one marks it downloaded.
          const taken = await db()
            .transaction()
            .execute(async (trx) => {
              const row = await trx
                .updateTable('records_jobs')
                .set({ downloaded_at: new Date(), updated_at: new Date() })
                .where('id', '=', job.id)
                .where('downloaded_at', 'is', null)
                .where('file_path', 'is not', null)
                .where('expires_at', '>', new Date())
                .returning(['file_path', 'contact_id'])
                .executeTakeFirst();
              if (row) await recordAudit(trx, { actor: agentActor(agent), action: 'customer.export.download', target: { type: 'contact', id: row.contact_id ?? 'erased' }, details: { job: job.id } });
              return row;
            });
          if (!taken?.file_path) throw new ApiError(409, 'conflict', 'this export was downloaded already or has expired; export again');
          const path = taken.file_path;
          const info = await stat(path).catch(() => undefined);
          if (!info) throw new ApiError(409, 'conflict', 'this export’s file is gone; export again');
          const stream = createReadStream(path);
          stream.on('close', () => {
            void rm(path, { force: true }).then(() => db().updateTable('records_jobs').set({ file_path: null }).where('id', '=', job.id).execute());
          });
          return { stream, size: info.size, mimeType: 'application/zip', name: `customer-${job.contact_id ?? job.id}.zip` };
        },
      },
    };
    return { api: { contract: recordsRoutes, mount: (mounter) => mounter(api) } };
  },
});
