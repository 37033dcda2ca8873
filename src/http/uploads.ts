import type { Request, Response } from 'express';
import type { AttachmentStore } from '../store/attachment-store.js';
import type { AttachmentRow } from '../store/mappers.js';
import { HttpError } from './errors.js';
import type { FileReply, Upload } from '../api/handler.js';
import { TEXT_UPLOAD_TYPES, type UploadType } from '../domain/uploads.js';

/**
 * How the binary types of `UPLOAD_TYPES` (src/domain/uploads.ts) are recognised by their first
 * bytes — the declared Content-Type must agree.
 */
export const signatures: readonly { mime: UploadType; test: (b: Buffer) => boolean }[] = [
  { mime: 'image/png', test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { mime: 'image/jpeg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { mime: 'image/gif', test: (b) => b.subarray(0, 4).toString('latin1') === 'GIF8' },
  { mime: 'image/webp', test: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
  { mime: 'application/pdf', test: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-' },
  { mime: 'video/mp4', test: (b) => b.subarray(4, 8).toString('latin1') === 'ftyp' },
  { mime: 'application/zip', test: (b) => b.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])) },
];

const textTypes = new Set<string>(TEXT_UPLOAD_TYPES);

export function sniffMime(declared: string, bytes: Buffer): string | undefined {
  const base = declared.split(';')[0]!.trim().toLowerCase();
  const match = signatures.find((s) => s.test(bytes));
  if (match) return match.mime === base || base === 'application/octet-stream' ? match.mime : undefined;
  if (textTypes.has(base) && isUtf8Text(bytes)) return base;
  return undefined;
}

function isUtf8Text(bytes: Buffer): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Reads an upload sent as the raw request body (`Content-Type` + `X-Filename`). */
export function readUpload(req: Request): Upload {
  const bytes = req.body;
  if (!Buffer.isBuffer(bytes) || bytes.length === 0) throw new HttpError(400, 'validation', 'body: the file bytes are required');
  const declared = req.get('content-type') ?? 'application/octet-stream';
  const mimeType = sniffMime(declared, bytes);
  if (!mimeType) {
    throw new HttpError(415, 'unsupported_type', 'file type not accepted (PNG, JPEG, GIF, WebP, PDF, MP4, ZIP, plain text, CSV, JSON), or its content does not match its Content-Type');
  }
  let name = 'file';
  const header = req.get('x-filename');
  if (header) {
    try {
      name = decodeURIComponent(header);
    } catch {
      throw new HttpError(400, 'validation', 'X-Filename: must be URL-encoded');
    }
  }
  name = name.replace(/[\u0000-\u001f\u007f/\\]/g, '_').slice(0, 200) || 'file';
  return { name, mimeType, bytes };
}

/** A stored file, ready to stream; 404 while a platform file has not been fetched yet. */
export async function storedFile(store: AttachmentStore, row: AttachmentRow): Promise<FileReply> {
  if (!row.storage_key) throw new HttpError(404, 'not_found', 'this attachment has not been downloaded from the platform yet');
  const { stream, size } = await store.stream(row.storage_key);
  return { stream, size, mimeType: row.mime_type ?? 'application/octet-stream', name: row.name ?? row.id };
}

/** Streams a stored file with headers that stop a browser from running it on our origin. */
export function sendFile(res: Response, file: FileReply): void {
  const inline = file.mimeType.startsWith('image/') && file.mimeType !== 'image/svg+xml';
  res.setHeader('Content-Type', file.mimeType);
  res.setHeader('Content-Length', String(file.size));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
  res.setHeader('Cache-Control', 'private, max-age=3600');
  res.setHeader('Content-Disposition', `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(file.name)}`);
  file.stream.pipe(res);
}
