import { PermanentChannelError } from '../channels/errors.js';
import { kindFromMime } from '../domain/attachment.js';
import { storageKeyFor } from '../store/attachment-store.js';
import type { AttachmentRow } from '../store/mappers.js';
import { getMessage } from '../store/messages.js';
import { announce, type InboxDeps } from './deps.js';

/**
 * Queues a download for every platform file of these just-stored messages (job id = attachment
 * id). The inbound batch passes the attachment rows it wrote, so only messages stored one at a
 * time are read back; one addBulk for all. If Redis refuses now, the media sweeper finds the
 * attachments later.
 */
export async function enqueuePendingMedia(deps: InboxDeps, messageIds: readonly string[], written: readonly AttachmentRow[] = []): Promise<void> {
  if (messageIds.length === 0) return;
  const wanted = new Set(messageIds);
  const writtenFor = new Set(written.flatMap((a) => (a.message_id ? [a.message_id] : [])));
  const pending = written.filter((a) => a.message_id && wanted.has(a.message_id) && !a.storage_key && a.remote).map((a) => a.id);
  const unknown = messageIds.filter((id) => !writtenFor.has(id));
  if (unknown.length > 0) {
    const rows = await deps.db.selectFrom('attachments').select('id').where('message_id', 'in', unknown).where('storage_key', 'is', null).where('remote', 'is not', null).execute();
    pending.push(...rows.map((r) => r.id));
  }
  if (pending.length === 0) return;
  await deps.queues.media.addBulk(pending.map((id) => ({ name: 'fetch', data: { attachmentId: id }, opts: { jobId: `media.${id}` } }))).catch(() => undefined);
}

/**
 * Media worker step: fetch a platform file into the attachment store. A file that can never be
 * fetched (over the size limit, expired link) gets a readable error on the attachment instead.
 */
export async function fetchMedia(deps: InboxDeps, attachmentId: string, options: { finalAttempt: boolean } = { finalAttempt: false }): Promise<'stored' | 'failed' | 'skipped'> {
  const row = await deps.db
    .selectFrom('attachments')
    .innerJoin('messages', 'messages.id', 'attachments.message_id')
    .select(['attachments.id', 'attachments.remote', 'attachments.storage_key', 'attachments.mime_type', 'attachments.name', 'attachments.meta', 'attachments.kind', 'messages.channel_id', 'messages.id as message_id'])
    .where('attachments.id', '=', attachmentId)
    .executeTakeFirst();
  if (!row || row.storage_key || !row.remote || (row.meta && typeof row.meta.fetchError === 'string')) return 'skipped';
  const adapter = deps.adapters.get(row.channel_id);
  let outcome: 'stored' | 'failed';
  try {
    if (!adapter?.fetchAttachment) throw new PermanentChannelError(`channel ${row.channel_id} cannot download attachments`, 'unsupported');
    const file = await adapter.fetchAttachment(row.remote, deps.attachmentMaxBytes);
    if (file.bytes.length > deps.attachmentMaxBytes) {
      throw new PermanentChannelError(`the file is larger than this server keeps (${Math.round(deps.attachmentMaxBytes / 1048576)} MB)`, 'too_large');
    }
    const key = storageKeyFor(row.id);
    await deps.attachments.put(key, file.bytes);
    const mimeType = row.mime_type ?? file.mimeType ?? 'application/octet-stream';
    await deps.db
      .updateTable('attachments')
      .set({
        storage_key: key,
        size: file.bytes.length,
        mime_type: mimeType,
        name: row.name ?? file.name ?? null,
        kind: row.kind === 'file' ? kindFromMime(mimeType) : row.kind,
      })
      .where('id', '=', row.id)
      .execute();
    outcome = 'stored';
  } catch (error) {
    if (!(error instanceof PermanentChannelError) && !options.finalAttempt) throw error;
    const reason = error instanceof PermanentChannelError ? error.message : `download kept failing: ${(error as Error).message}`;
    await deps.db
      .updateTable('attachments')
      .set({ meta: JSON.stringify({ ...(row.meta ?? {}), fetchError: reason }) })
      .where('id', '=', row.id)
      .execute();
    outcome = 'failed';
  }
  const message = await getMessage(deps.db, row.message_id);
  if (message) await announce(deps, () => deps.bus.publish({ type: 'message.updated', data: message }));
  return outcome;
}
