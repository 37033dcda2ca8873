import { newId } from '../domain/ids.js';
import { kindFromMime } from '../domain/attachment.js';
import type { AttachmentStore } from './attachment-store.js';
import { storageKeyFor } from './attachment-store.js';
import type { Db } from './database.js';
import type { AttachmentRow } from './mappers.js';
import type { Redaction } from '../domain/message.js';

export interface Upload {
  owner: string;
  name: string;
  mimeType: string;
  bytes: Buffer;
  /** What the desk removed from the file before it was stored (its message takes them over). */
  redactions?: readonly Redaction[];
}

/** Saves bytes first, then the row: a crash leaves at worst an orphan file, never a row without bytes. */
export async function saveUpload(db: Db, store: AttachmentStore, upload: Upload): Promise<AttachmentRow> {
  const id = newId();
  const key = storageKeyFor(id);
  await store.put(key, upload.bytes);
  return db
    .insertInto('attachments')
    .values({
      id,
      message_id: null,
      owner: upload.owner,
      kind: kindFromMime(upload.mimeType),
      name: upload.name,
      mime_type: upload.mimeType,
      size: upload.bytes.length,
      storage_key: key,
      remote: null,
      meta: upload.redactions?.length ? JSON.stringify({ redactions: upload.redactions }) : null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function getAttachmentRow(db: Db, id: string): Promise<AttachmentRow | undefined> {
  return db.selectFrom('attachments').selectAll().where('id', '=', id).executeTakeFirst();
}
