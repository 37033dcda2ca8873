/**
 * What visitors and agents may upload, and the widget's message limits: one list shared by the
 * server (which sniffs and refuses the rest, `src/http/uploads.ts`), the OpenAPI document, the
 * inbox's composer and the widget, both of which bundle this module. Pure and browser-safe: no
 * imports.
 */

/**
 * File types accepted, recognised by their first bytes on the server. No SVG or HTML: they could
 * run script when opened from our origin.
 */
export const UPLOAD_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'video/mp4',
  'application/zip',
  'text/plain',
  'text/csv',
  'application/json',
] as const;
export type UploadType = (typeof UPLOAD_TYPES)[number];

/** The text types among them, which have no magic bytes: accepted when they are valid UTF-8. */
export const TEXT_UPLOAD_TYPES: readonly UploadType[] = ['text/plain', 'text/csv', 'application/json'];

/** Browsers leave `File.type` empty for some files: the type their extension names. */
export const UPLOAD_EXTENSIONS: Readonly<Record<string, UploadType>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  pdf: 'application/pdf',
  mp4: 'video/mp4',
  zip: 'application/zip',
  txt: 'text/plain',
  log: 'text/plain',
  csv: 'text/csv',
  json: 'application/json',
};

/** Names browsers give some accepted types (Windows calls a ZIP this). */
const ALIASES: Readonly<Record<string, UploadType>> = { 'application/x-zip-compressed': 'application/zip' };

const accepted = new Set<string>(UPLOAD_TYPES);

/**
 * The accepted type a browser's file stands for — its declared type (parameters and case aside,
 * aliases mapped), or its extension's when it declares none — or undefined when the server would
 * refuse it.
 */
export function uploadTypeOf(file: { readonly type?: string; readonly name?: string }): UploadType | undefined {
  const declared = (file.type ?? '').split(';')[0]!.trim().toLowerCase();
  const type = ALIASES[declared] ?? declared;
  if (accepted.has(type)) return type as UploadType;
  if (type !== '' && type !== 'application/octet-stream') return undefined;
  const extension = /\.([a-z0-9]+)$/i.exec(file.name ?? '')?.[1]?.toLowerCase();
  return extension ? UPLOAD_EXTENSIONS[extension] : undefined;
}

/** The file picker's `accept`: the types, their aliases and the extensions. */
export const UPLOAD_ACCEPT = [...UPLOAD_TYPES, ...Object.keys(ALIASES), ...Object.keys(UPLOAD_EXTENSIONS).map((extension) => `.${extension}`)].join(',');

/** ATTACHMENT_MAX_BYTES when unset (DESIGN §6); the widget learns the configured one from its session. */
export const DEFAULT_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;

/** One widget message: at most this many characters… */
export const WIDGET_MAX_TEXT = 5_000;
/** …and this many attachments. */
export const WIDGET_MAX_FILES = 5;
