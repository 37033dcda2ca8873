import { describe, expect, it } from 'vitest';
import { sniffMime } from '../../../src/http/uploads.js';

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
