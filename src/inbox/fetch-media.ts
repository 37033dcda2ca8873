import { PermanentChannelError } from '../channels/errors.js';
import { tooLargeToKeep } from '../channels/kit/io.js';
import { kindFromMime } from '../domain/attachment.js';
import { storageKeyFor } from '../store/attachment-store.js';
import { downloadTarget, finishDownload } from '../store/media.js';
import type { InboxDeps } from './deps.js';

/**
 * Media worker step: fetch a platform file into the attachment store (through the desk's file
 * filter: a .txt document may hold a recovery phrase). A file that can never be fetched (over the
 * size limit, expired link) gets a readable error on the attachment instead.
 */
export async function fetchMedia(deps: InboxDeps, attachmentId: string, options: { finalAttempt: boolean } = { finalAttempt: false }): Promise<'stored' | 'failed' | 'skipped'> {
  const target = await downloadTarget(deps.db, attachmentId);
  if (!target) return 'skipped';
  const adapter = deps.adapters.get(target.channelId);
  let outcome: Parameters<typeof finishDownload>[2];
  try {
    if (!adapter?.fetchAttachment) throw new PermanentChannelError(`channel ${target.channelId} cannot download attachments`, 'unsupported');
    const file = await adapter.fetchAttachment(target.remote, deps.attachmentMaxBytes);
    if (file.bytes.length > deps.attachmentMaxBytes) {
      throw tooLargeToKeep(deps.attachmentMaxBytes);
    }
    const mimeType = target.mimeType ?? file.mimeType ?? 'application/octet-stream';
    const name = target.name ?? file.name ?? null;
    const { bytes, redactions } = deps.desk.filters.file({ name, mimeType, bytes: file.bytes });
    const key = storageKeyFor(target.id);
    await deps.attachments.put(key, bytes);
    outcome = { stored: { key, size: bytes.length, mimeType, name, kind: target.kind === 'file' ? kindFromMime(mimeType) : target.kind, redactions } };
  } catch (error) {
    if (!(error instanceof PermanentChannelError) && !options.finalAttempt) throw error;
    outcome = { error: error instanceof PermanentChannelError ? error.message : `download kept failing: ${(error as Error).message}` };
  }
  await deps.dispatcher.dispatch([await finishDownload(deps.db, target, outcome)]);
  return 'stored' in outcome ? 'stored' : 'failed';
}
