import { describe, expect, it } from 'vitest';
import { TEXT_UPLOAD_TYPES, UPLOAD_ACCEPT, UPLOAD_TYPES, uploadTypeOf } from '../../../src/domain/uploads.js';
import { signatures, sniffMime } from '../../../src/http/uploads.js';

const bytes = (...parts: (string | number[])[]): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

/** The first bytes of real files of each type. */
const samples = {
  'image/png': bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], [0, 0, 0, 0x0d], 'IHDR', [0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]),
  'image/jpeg': bytes([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], 'JFIF', [0x00, 0x01, 0x01]),
  'image/gif': bytes('GIF89a', [0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00]),
  'image/webp': bytes('RIFF', [0x24, 0x00, 0x00, 0x00], 'WEBPVP8 ', [0x18, 0x00, 0x00, 0x00]),
  'application/pdf': bytes('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n'),
  'video/mp4': bytes([0x00, 0x00, 0x00, 0x18], 'ftypisom', [0x00, 0x00, 0x02, 0x00], 'isomiso2'),
  'application/zip': bytes([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00]),
} as const;
const binaryTypes = Object.keys(samples) as (keyof typeof samples)[];

describe('sniffMime recognises binary types by their magic bytes', () => {
  it.each(binaryTypes)('%s declared as itself is accepted', (mime) => {
    expect(sniffMime(mime, samples[mime])).toBe(mime);
  });

  it.each(binaryTypes)('%s declared as application/octet-stream is identified', (mime) => {
    expect(sniffMime('application/octet-stream', samples[mime])).toBe(mime);
  });

  it('a declared type with parameters and upper case still matches', () => {
    expect(sniffMime('Image/PNG; name=x.png', samples['image/png'])).toBe('image/png');
  });

  it('a PNG declared as image/jpeg is refused', () => {
    expect(sniffMime('image/jpeg', samples['image/png'])).toBeUndefined();
  });

  it('a PDF declared as text/plain is refused', () => {
    expect(sniffMime('text/plain', samples['application/pdf'])).toBeUndefined();
  });
});

describe('sniffMime accepts text only as valid UTF-8 without NUL', () => {
  it('ASCII text/plain', () => {
    expect(sniffMime('text/plain', Buffer.from('hello, world\n'))).toBe('text/plain');
  });

  it('Chinese and emoji text/plain; charset=utf-8', () => {
    expect(sniffMime('text/plain; charset=utf-8', Buffer.from('你好，世界 👋\n'))).toBe('text/plain');
  });

  it('CSV and JSON', () => {
    expect(sniffMime('text/csv', Buffer.from('a,b\n1,2\n'))).toBe('text/csv');
    expect(sniffMime('application/json', Buffer.from('{"a":1}'))).toBe('application/json');
  });

  it('text containing a NUL byte is refused', () => {
    expect(sniffMime('text/plain', Buffer.from('abc\u0000def'))).toBeUndefined();
  });

  it('invalid UTF-8 is refused', () => {
    expect(sniffMime('text/plain', Buffer.from([0x68, 0x69, 0xc3, 0x28]))).toBeUndefined();
  });

  it('text declared as application/octet-stream is refused', () => {
    expect(sniffMime('application/octet-stream', Buffer.from('hello'))).toBeUndefined();
  });
});

describe('sniffMime refuses types that can run script', () => {
  const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>');
  const html = Buffer.from('<!doctype html><html><script>alert(1)</script></html>');

  it.each([
    ['image/svg+xml', svg],
    ['application/octet-stream', svg],
    ['text/html', html],
    ['text/html; charset=utf-8', html],
    ['application/xhtml+xml', html],
  ])('%s', (declared, body) => {
    expect(sniffMime(declared, body)).toBeUndefined();
  });
});

describe('one upload list for the server, the inbox and the widget (src/domain/uploads.ts)', () => {
  it('every accepted type is one the server can recognise, and the server recognises no other', () => {
    const recognised = new Set<string>([...signatures.map((s) => s.mime), ...TEXT_UPLOAD_TYPES]);
    expect([...recognised].sort()).toEqual([...UPLOAD_TYPES].sort());
    for (const mime of binaryTypes) expect(UPLOAD_TYPES).toContain(mime);
  });

  it('a browser file maps to what the server will accept: declared type first, the extension only when none is declared', () => {
    expect(uploadTypeOf({ type: 'image/png', name: 'a.png' })).toBe('image/png');
    expect(uploadTypeOf({ type: 'Image/JPEG; q=1', name: 'a' })).toBe('image/jpeg');
    expect(uploadTypeOf({ type: 'application/x-zip-compressed', name: 'logs.zip' })).toBe('application/zip');
    expect(uploadTypeOf({ type: '', name: 'wallet-export.CSV' })).toBe('text/csv');
    expect(uploadTypeOf({ type: 'application/octet-stream', name: 'debug.log' })).toBe('text/plain');
    // A declared type the server refuses is not rescued by a harmless-looking name.
    expect(uploadTypeOf({ type: 'image/svg+xml', name: 'logo.png' })).toBeUndefined();
    expect(uploadTypeOf({ type: 'text/html', name: 'page.txt' })).toBeUndefined();
    expect(uploadTypeOf({ type: '', name: 'setup.exe' })).toBeUndefined();
    expect(uploadTypeOf({ type: '', name: 'no-extension' })).toBeUndefined();
  });

  it('the picker offers every accepted type and extension', () => {
    const offered = UPLOAD_ACCEPT.split(',');
    for (const mime of UPLOAD_TYPES) expect(offered).toContain(mime);
    expect(offered).toContain('.json');
  });
});
