import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';

/**
 * Where attachment bytes live. Small on purpose so an S3-compatible store can implement it; the
 * metadata (name, type, size, who may see it) lives in the `attachments` table.
 */
export interface AttachmentStore {
  put(key: string, bytes: Buffer): Promise<void>;
  read(key: string): Promise<Buffer>;
  stream(key: string): Promise<{ stream: Readable; size: number }>;
  remove(key: string): Promise<void>;
}

const safeKey = /^[a-z0-9][a-z0-9/_-]{0,200}$/;

/** Files under a directory (`$DATA_DIR/attachments` by default); writes are atomic (temp + rename). */
export function fileAttachmentStore(root: string): AttachmentStore {
  const pathOf = (key: string): string => {
    if (!safeKey.test(key) || key.includes('..')) throw new Error(`invalid attachment key ${key}`);
    return join(root, key);
  };
  return {
    async put(key, bytes) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      const temp = `${path}.${process.pid}.tmp`;
      await writeFile(temp, bytes);
      await rename(temp, path);
    },
    read: (key) => readFile(pathOf(key)),
    async stream(key) {
      const path = pathOf(key);
      const info = await stat(path);
      return { stream: createReadStream(path), size: info.size };
    },
    remove: (key) => rm(pathOf(key), { force: true }),
  };
}

/** Storage key for a new attachment id: spread over month folders so no directory grows huge. */
export function storageKeyFor(id: string, now = new Date()): string {
  const month = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
  return `${month}/${id}`;
}
