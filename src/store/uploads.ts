import { newId } from '../domain/ids.js';
import { kindFromMime } from '../domain/attachment.js';
import type { AttachmentStore } from './attachment-store.js';
import { storageKeyFor } from './attachment-store.js';
import type { Db } from './database.js';
import type { AttachmentRow } from './mappers.js';

export interface Upload {
  owner: string;
  name: string;
  mimeType: string;
  bytes: Buffer;
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
      meta: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function getAttachmentRow(db: Db, id: string): Promise<AttachmentRow | undefined> {
  return db.selectFrom('attachments').selectAll().where('id', '=', id).executeTakeFirst();
}
