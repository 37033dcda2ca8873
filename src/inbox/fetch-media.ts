import { PermanentChannelError } from '../channels/errors.js';
import { kindFromMime } from '../domain/attachment.js';
import { storageKeyFor } from '../store/attachment-store.js';
import { getMessage } from '../store/messages.js';
import { announce, type InboxDeps } from './deps.js';

/** Queues a download for each platform attachment of a just-stored message (job id = attachment id). */
export async function enqueuePendingMedia(deps: InboxDeps, messageId: string): Promise<void> {
  const pending = await deps.db.selectFrom('attachments').select('id').where('message_id', '=', messageId).where('storage_key', 'is', null).where('remote', 'is not', null).execute();
  for (const { id } of pending) {
    // If Redis refuses now, the media sweeper finds the attachment later.
    await deps.queues.media.add('fetch', { attachmentId: id }, { jobId: `media.${id}` }).catch(() => undefined);
  }
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
