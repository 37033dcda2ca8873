import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import yazl from 'yazl';
import type { Queues } from '../../queue/queues.js';
import type { AttachmentStore } from '../../store/attachment-store.js';
import { type AuditActor, recordAudit } from '../../store/audit.js';
import { previewOf } from '../../store/conversation-touch.js';
import type { Db } from '../../store/database.js';

/**
 * Retention, export and erasure (issue 17 part 4), as the records worker runs them. Each one can
 * be run again after a crash and finishes what is left: files are removed before the rows that
 * name them, so a run stopped in between leaves rows whose files are gone (removed again, a
 * no-op), never files nobody can find.
 */

export interface RecordsDeps {
  readonly db: Db;
  readonly redis: Redis;
  readonly prefix: string;
  readonly queues: Queues;
  readonly channelIds: readonly string[];
  readonly attachments: AttachmentStore;
  /** Where export zips are written (`$DATA_DIR/exports`). */
  readonly exportDir: string;
  readonly logger: Logger;
  /** The desk's `retention` setting now: channel id or kind → `<N>d`. */
  retention(): Readonly<Record<string, string>>;
}

const BATCH = 500;
/** An export's zip may be downloaded (once) for this long after it is ready. */
export const EXPORT_TTL_MS = 60 * 60 * 1000;

export const SYSTEM_ACTOR: AuditActor = { type: 'system', id: 'records', name: 'Records' };

const days = (value: string): number => Number(value.slice(0, -1));

export interface RetentionResult {
  channels: Record<string, { days: number; messages: number; attachments: number }>;
  exportsExpired: number;
}

/**
 * Deletes every message (and its attachments, files included) older than its channel's retention
 * — a channel's own id wins over its kind; no entry keeps them forever. Search needs nothing
 * more: it is an index on `messages.text` (migration 002), so the rows take their entries along.
 * Conversations stay, even emptied: their status, assignee, CSAT and service-level history are
 * what reports count, and the customer's page lists them; their preview (a message's text) is
 * recomputed from what is left. One audit entry per run, with the counts.
 */
export async function runRetention(deps: RecordsDeps, now = new Date()): Promise<RetentionResult> {
  const policy = deps.retention();
  const result: RetentionResult = { channels: {}, exportsExpired: await sweepExpiredExports(deps, now) };
  if (Object.keys(policy).length === 0) return result;
  const channels = await deps.db.selectFrom('conversations').select(['channel_id', 'channel_kind']).distinct().execute();
  for (const { channel_id: channelId, channel_kind: kind } of channels) {
    const rule = policy[channelId] ?? policy[kind];
    if (!rule) continue;
    const keep = days(rule);
    const cutoff = new Date(now.getTime() - keep * 86_400_000);
    const counts = { days: keep, messages: 0, attachments: 0 };
    for (;;) {
      const batch = await deps.db.selectFrom('messages').select(['id', 'conversation_id']).where('channel_id', '=', channelId).where('created_at', '<', cutoff).orderBy('created_at').limit(BATCH).execute();
      if (batch.length === 0) break;
      const ids = batch.map((m) => m.id);
      counts.attachments += await removeFiles(deps, await deps.db.selectFrom('attachments').select('storage_key').where('message_id', 'in', ids).execute());
      await deps.db.transaction().execute(async (trx) => {
        await trx.deleteFrom('messages').where('id', 'in', ids).execute();
        const touched = [...new Set(batch.map((m) => m.conversation_id))];
        const newest = await trx
          .selectFrom('messages')
          .select(['conversation_id', 'text'])
          .distinctOn('conversation_id')
          .where('conversation_id', 'in', touched)
          .where('private', '=', false)
          .orderBy('conversation_id')
          .orderBy('created_at', 'desc')
          .execute();
        const previews = new Map(newest.map((m) => [m.conversation_id, previewOf({ text: m.text, attachments: [] })]));
        for (const id of touched) await trx.updateTable('conversations').set({ last_message_preview: previews.get(id) ?? null }).where('id', '=', id).execute();
      });
      counts.messages += batch.length;
    }
    result.channels[channelId] = counts;
  }
  await recordAudit(deps.db, { actor: SYSTEM_ACTOR, action: 'retention.run', target: { type: 'retention', id: 'messages' }, details: { policy: { ...policy }, channels: result.channels, exportsExpired: result.exportsExpired } }, now);
  return result;
}

async function removeFiles(deps: RecordsDeps, rows: readonly { storage_key: string | null }[]): Promise<number> {
  let removed = 0;
  for (const { storage_key: key } of rows) {
    if (!key) continue;
    await deps.attachments.remove(key);
    removed += 1;
  }
  return removed;
}

/** Export zips past their time (downloaded or not) are deleted; their rows stay, without a file. */
async function sweepExpiredExports(deps: RecordsDeps, now: Date): Promise<number> {
  const expired = await deps.db.selectFrom('records_jobs').select(['id', 'file_path']).where('file_path', 'is not', null).where('expires_at', '<', now).execute();
  for (const job of expired) {
    await rm(job.file_path!, { force: true });
    await deps.db.updateTable('records_jobs').set({ file_path: null, updated_at: now }).where('id', '=', job.id).execute();
  }
  return expired.length;
}

type Progress = (percent: number) => Promise<void>;

async function requester(db: Db, agentId: string): Promise<AuditActor> {
  const agent = await db.selectFrom('agents').select(['id', 'name']).where('id', '=', agentId).executeTakeFirst();
  return { type: 'agent', id: agentId, name: agent?.name ?? agentId };
}

/**
 * A customer's records as a zip: `customer.json` (the contact and its identities),
 * `conversations.json` (every conversation with its messages as the customer and the team wrote
 * them — internal notes and system lines are the team's working records, left out), and each
 * attachment's file under `attachments/<id>/<name>`.
 */
export async function runExport(deps: RecordsDeps, jobId: string, progress: Progress): Promise<void> {
  const job = await deps.db.selectFrom('records_jobs').selectAll().where('id', '=', jobId).executeTakeFirstOrThrow();
  if (job.status === 'done') return;
  const contactId = job.contact_id;
  if (!contactId) throw new Error('export job without a customer');
  const contact = await deps.db.selectFrom('contacts').selectAll().where('id', '=', contactId).executeTakeFirst();
  if (!contact) throw new Error('the customer no longer exists');
  const identities = await deps.db.selectFrom('contact_identities').select(['channel_id', 'external_id', 'handle', 'created_at']).where('contact_id', '=', contactId).execute();
  const conversations = await deps.db
    .selectFrom('conversations')
    .select(['id', 'channel_id', 'channel_kind', 'subject', 'status', 'created_at', 'resolved_at', 'csat'])
    .where('contact_id', '=', contactId)
    .orderBy('created_at')
    .execute();
  await progress(10);
  const zip = new yazl.ZipFile();
  await mkdir(deps.exportDir, { recursive: true });
  const path = join(deps.exportDir, `${jobId}.zip`);
  const written = pipeline(zip.outputStream, createWriteStream(path));
  // A file that cannot be read when its turn comes fails the zip (and the job, which is retried).
  const failed = new Promise<never>((_resolve, reject) => zip.on('error', reject));
  failed.catch(() => undefined);
  zip.addBuffer(
    Buffer.from(
      JSON.stringify(
        {
          id: contact.id,
          name: contact.name,
          email: contact.email,
          createdAt: contact.created_at.toISOString(),
          identities: identities.map((i) => ({ channelId: i.channel_id, externalId: i.external_id, handle: i.handle, since: i.created_at.toISOString() })),
          exportedAt: new Date().toISOString(),
        },
        null,
        2,
      ),
    ),
    'customer.json',
  );
  const out: unknown[] = [];
  let files = 0;
  for (const [index, conversation] of conversations.entries()) {
    const messages = await deps.db
      .selectFrom('messages')
      .select(['id', 'direction', 'author_type', 'author_name', 'text', 'created_at', 'redactions'])
      .where('conversation_id', '=', conversation.id)
      .where('private', '=', false)
      .where('deleted_at', 'is', null)
      .orderBy('created_at')
      .orderBy('seq')
      .execute();
    const attachments = messages.length
      ? await deps.db.selectFrom('attachments').select(['id', 'message_id', 'kind', 'name', 'mime_type', 'size', 'storage_key']).where('message_id', 'in', messages.map((m) => m.id)).execute()
      : [];
    for (const file of attachments) {
      const key = file.storage_key;
      if (!key) continue;
      // A file gone missing from the store is left out (its entry says `file: null`), not a failed export.
      const probe = await deps.attachments.stream(key).catch(() => undefined);
      if (!probe) {
        file.storage_key = null;
        continue;
      }
      probe.stream.destroy();
      // Opened when its turn comes: a customer with thousands of files must not hold thousands of descriptors.
      zip.addReadStreamLazy(zipName(file.id, file.name), (done) => {
        deps.attachments.stream(key).then(
          ({ stream }) => done(null, stream),
          (error: unknown) => done(error, undefined as never),
        );
      });
      files += 1;
    }
    out.push({
      id: conversation.id,
      channelId: conversation.channel_id,
      channelKind: conversation.channel_kind,
      subject: conversation.subject,
      status: conversation.status,
      createdAt: conversation.created_at.toISOString(),
      resolvedAt: conversation.resolved_at?.toISOString() ?? null,
      csat: conversation.csat,
      messages: messages.map((m) => ({
        id: m.id,
        from: m.direction === 'inbound' ? 'customer' : m.author_type,
        author: m.author_name,
        text: m.text,
        at: m.created_at.toISOString(),
        redactions: m.redactions ?? [],
        attachments: attachments
          .filter((a) => a.message_id === m.id)
          .map((a) => ({ id: a.id, kind: a.kind, name: a.name, mimeType: a.mime_type, size: a.size, file: a.storage_key ? zipName(a.id, a.name) : null })),
      })),
    });
    await progress(10 + Math.floor((80 * (index + 1)) / conversations.length));
  }
  zip.addBuffer(Buffer.from(JSON.stringify(out, null, 2)), 'conversations.json');
  zip.end();
  // A zip left half-written (a file unreadable, the disk full) is removed: only a finished one is ever offered.
  await Promise.race([written, failed]).catch(async (error: unknown) => {
    await rm(path, { force: true });
    throw error;
  });
  const now = new Date();
  await deps.db
    .updateTable('records_jobs')
    .set({ status: 'done', progress: 100, file_path: path, expires_at: new Date(now.getTime() + EXPORT_TTL_MS), updated_at: now })
    .where('id', '=', jobId)
    .execute();
  deps.logger.info({ job: jobId, conversations: conversations.length, files }, 'customer export ready');
}

const zipName = (id: string, name: string | null): string => `attachments/${id}/${(name ?? 'file').replace(/[/\\]/g, '_').slice(0, 120) || 'file'}`;

/**
 * Erases a customer: every conversation with its messages, attachments (files too), surveys and
 * read marks; their identities and the contact; uploads they made but never sent; earlier export
 * zips of them; events still waiting in the outbox; and what Redis holds about them (jobs that
 * name their conversations, messages, files or platform ids; keys whose name carries one — rate
 * limit counters of their widget sessions, channel state). The audit entry keeps counts only.
 */
export async function runErase(deps: RecordsDeps, jobId: string, progress: Progress): Promise<void> {
  const job = await deps.db.selectFrom('records_jobs').selectAll().where('id', '=', jobId).executeTakeFirstOrThrow();
  if (job.status === 'done') return;
  const contactId = job.contact_id;
  if (!contactId) throw new Error('erase job without a customer');
  const actor = await requester(deps.db, job.requested_by);
  const identities = await deps.db.selectFrom('contact_identities').select(['channel_id', 'external_id']).where('contact_id', '=', contactId).execute();
  const conversations = await deps.db.selectFrom('conversations').select(['id', 'thread_key']).where('contact_id', '=', contactId).execute();
  const conversationIds = conversations.map((c) => c.id);
  const messages = conversationIds.length ? await deps.db.selectFrom('messages').select('id').where('conversation_id', 'in', conversationIds).execute() : [];
  const messageIds = messages.map((m) => m.id);
  const owners = identities.map((i) => `visitor:${i.channel_id}:${i.external_id}`);
  const attachments = [
    ...(messageIds.length ? await deps.db.selectFrom('attachments').select(['id', 'storage_key']).where('message_id', 'in', messageIds).execute() : []),
    ...(owners.length ? await deps.db.selectFrom('attachments').select(['id', 'storage_key']).where('owner', 'in', owners).where('message_id', 'is', null).execute() : []),
  ];
  await progress(10);
  const files = await removeFiles(deps, attachments);
  const exports = await deps.db.selectFrom('records_jobs').select(['id', 'file_path']).where('contact_id', '=', contactId).where('kind', '=', 'export').execute();
  for (const e of exports) if (e.file_path) await rm(e.file_path, { force: true });
  await progress(40);
  const needles = new Set([contactId, ...conversationIds, ...messageIds, ...attachments.map((a) => a.id), ...identities.map((i) => i.external_id), ...conversations.map((c) => c.thread_key)].filter((n) => n.length > 0));
  const redisJobs = await removeJobsNaming(deps, needles);
  await progress(60);
  const redisKeys = await removeKeysNaming(deps, needles);
  await progress(80);
  await deps.db.transaction().execute(async (trx) => {
    for (const id of conversationIds) {
      await sql`delete from outbox where strpos(events::text, ${JSON.stringify(id)}) > 0`.execute(trx);
    }
    if (owners.length) await trx.deleteFrom('attachments').where('owner', 'in', owners).where('message_id', 'is', null).execute();
    // Messages, their attachments, surveys, read marks and bot answers go with their conversations (on delete cascade).
    if (conversationIds.length) await trx.deleteFrom('conversations').where('id', 'in', conversationIds).execute();
    await trx.deleteFrom('contact_identities').where('contact_id', '=', contactId).execute();
    // Contacts merged into this one are shells kept for an undo, still holding the person's name
    // and email: they go too (their merge records, with the snapshots, go by cascade).
    const shells = await trx.deleteFrom('contacts').where('merged_into', '=', contactId).returning('id').execute();
    await trx.deleteFrom('contacts').where('id', '=', contactId).execute();
    await trx.updateTable('records_jobs').set({ contact_id: null, file_path: null, updated_at: new Date() }).where('id', 'in', exports.map((e) => e.id).concat(jobId)).execute();
    await trx.updateTable('records_jobs').set({ status: 'done', progress: 100, updated_at: new Date() }).where('id', '=', jobId).execute();
    await recordAudit(trx, {
      actor,
      action: 'customer.erase',
      target: { type: 'contact', id: contactId },
      details: { job: jobId, mergedShells: shells.length, conversations: conversationIds.length, messages: messageIds.length, attachments: attachments.length, files, identities: identities.length, exports: exports.length, redisJobs, redisKeys },
    });
  });
}

const JOB_STATES = ['waiting', 'delayed', 'failed', 'completed', 'paused', 'prioritized', 'waiting-children'] as const;

/** BullMQ jobs whose data names one of the customer's ids (as a whole JSON string value). */
async function removeJobsNaming(deps: RecordsDeps, needles: ReadonlySet<string>): Promise<number> {
  const quoted = [...needles].map((n) => JSON.stringify(n));
  const queues: Queue[] = [deps.queues.inbound, deps.queues.media, deps.queues.deskTimers, deps.queues.deskEvents, ...deps.channelIds.map((id) => deps.queues.outbound(id))];
  let removed = 0;
  for (const queue of queues) {
    for (let start = 0; ; start += BATCH) {
      const jobs = await queue.getJobs([...JOB_STATES], start, start + BATCH - 1, true);
      if (jobs.length === 0) break;
      let gone = 0;
      for (const job of jobs) {
        if (!job?.id) continue;
        const data = JSON.stringify(job.data ?? null);
        if (!quoted.some((q) => data.includes(q))) continue;
        // An active job holds a lock and cannot be removed; it ends soon and leaves with removeOnComplete.
        await job.remove().then(
          () => {
            removed += 1;
            gone += 1;
          },
          (error: unknown) => deps.logger.warn({ err: error, job: job.id, queue: queue.name }, 'could not remove a job naming an erased customer'),
        );
      }
      // Removed jobs shift the listing: read the same page again.
      start -= gone;
      if (jobs.length < BATCH) break;
    }
  }
  return removed;
}

/** Other keys under our prefix with one of the customer's ids as a `:`-separated part of their name. */
async function removeKeysNaming(deps: RecordsDeps, needles: ReadonlySet<string>): Promise<number> {
  const queueNames = new Set([deps.queues.inbound, deps.queues.media, deps.queues.deskTimers, deps.queues.deskEvents, deps.queues.maintenance, deps.queues.records, ...deps.channelIds.map((id) => deps.queues.outbound(id))].map((q) => q.name));
  let cursor = '0';
  let removed = 0;
  do {
    const [next, keys] = await deps.redis.scan(cursor, 'MATCH', `${deps.prefix}:*`, 'COUNT', 1000);
    cursor = next;
    const doomed = keys.filter((key) => {
      const parts = key.slice(deps.prefix.length + 1).split(':');
      // BullMQ's own keys are left to its API (removeJobsNaming): deleting them directly breaks its sets.
      if (queueNames.has(parts[0] ?? '')) return false;
      return parts.some((part) => needles.has(part));
    });
    if (doomed.length > 0) removed += await deps.redis.del(...doomed);
  } while (cursor !== '0');
  return removed;
}
