import { sql } from 'kysely';
import type { Db } from './database.js';
import type { Redaction } from '../domain/message.js';
import { addRedactions } from './message-rows.js';
import { appendEvents, type OutboxBatch } from './outbox.js';

/** Platform files of these messages still to download (the batch path passes its rows instead). */
export async function pendingDownloads(db: Db, messageIds: readonly string[]): Promise<string[]> {
  if (messageIds.length === 0) return [];
  const rows = await db.selectFrom('attachments').select('id').where('message_id', 'in', messageIds).where('storage_key', 'is', null).where('remote', 'is not', null).execute();
  return rows.map((r) => r.id);
}

/** Downloads never queued (Redis refused at the time) nor given up on, older than `olderThan`. */
export async function unqueuedDownloads(db: Db, olderThan: Date, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('attachments')
    .select('id')
    .where('storage_key', 'is', null)
    .where('remote', 'is not', null)
    .where('message_id', 'is not', null)
    .where('created_at', '<', olderThan)
    .where(sql<boolean>`coalesce(meta->>'fetchError', '') = ''`)
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

export interface DownloadTarget {
  id: string;
  remote: string;
  mimeType: string | null;
  name: string | null;
  kind: string;
  meta: Record<string, unknown> | null;
  channelId: string;
  messageId: string;
  conversationId: string;
}

/** A platform file still to fetch, or undefined when there is nothing (left) to do. */
export async function downloadTarget(db: Db, attachmentId: string): Promise<DownloadTarget | undefined> {
  const row = await db
    .selectFrom('attachments')
    .innerJoin('messages', 'messages.id', 'attachments.message_id')
    .select([
      'attachments.id',
      'attachments.remote',
      'attachments.storage_key',
      'attachments.mime_type',
      'attachments.name',
      'attachments.meta',
      'attachments.kind',
      'messages.channel_id',
      'messages.id as message_id',
      'messages.conversation_id',
    ])
    .where('attachments.id', '=', attachmentId)
    .executeTakeFirst();
  if (!row || row.storage_key || !row.remote || (row.meta && typeof row.meta.fetchError === 'string')) return undefined;
  return {
    id: row.id,
    remote: row.remote,
    mimeType: row.mime_type,
    name: row.name,
    kind: row.kind,
    meta: row.meta,
    channelId: row.channel_id,
    messageId: row.message_id,
    conversationId: row.conversation_id,
  };
}

/** The file is in the store now (or could never be fetched): the attachment says so, with its event. */
export async function finishDownload(
  db: Db,
  target: DownloadTarget,
  outcome: { stored: { key: string; size: number; mimeType: string; name: string | null; kind: string; redactions: readonly Redaction[] } } | { error: string },
): Promise<OutboxBatch> {
  return db.transaction().execute(async (trx) => {
    const redactions = 'stored' in outcome ? outcome.stored.redactions : [];
    await trx
      .updateTable('attachments')
      .set(
        'stored' in outcome
          ? {
              storage_key: outcome.stored.key,
              size: outcome.stored.size,
              mime_type: outcome.stored.mimeType,
              name: outcome.stored.name,
              kind: outcome.stored.kind,
              ...(redactions.length > 0 ? { meta: JSON.stringify({ ...(target.meta ?? {}), redactions }) } : {}),
            }
          : { meta: JSON.stringify({ ...(target.meta ?? {}), fetchError: outcome.error }) },
      )
      .where('id', '=', target.id)
      .execute();
    const refs = { conversationId: target.conversationId, messageId: target.messageId };
    if (redactions.length === 0) return (await appendEvents(trx, [{ type: 'message.updated', ...refs }]))!;
    await addRedactions(trx, target.messageId, redactions);
    return (await appendEvents(trx, [{ type: 'message.updated', ...refs }, { type: 'message.redacted', ...refs }]))!;
  });
}
