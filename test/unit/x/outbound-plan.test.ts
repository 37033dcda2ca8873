import { describe, expect, it } from 'vitest';
import { planReply, TEXT_LIMIT } from '../../../adapters/x/outbound.js';
import { PermanentChannelError } from '../../../src/channels/errors.js';

const file = (mimeType: string, size = 10) => ({ id: 'f', name: `file.${mimeType.split('/')[1]}`, mimeType, size, read: async () => Buffer.alloc(size) });

describe('X reply plan', () => {
  it('a text within 10 000 characters is one DM; longer text is split into parts of at most 10 000', () => {
    expect(planReply({ text: 'a'.repeat(TEXT_LIMIT), attachments: [] })).toHaveLength(1);
    const parts = planReply({ text: `${'word '.repeat(1900)}\n\n${'more '.repeat(1000)}`, attachments: [] });
    expect(parts.map((p) => p.kind === 'text' && p.text.slice(0, 4))).toEqual(['word', 'more']);
    for (const part of parts) expect(part.kind === 'text' && part.text.length <= TEXT_LIMIT).toBe(true);
  });

  it('each image becomes its own DM after the text (X allows one attachment per DM)', () => {
    expect(planReply({ text: 'see', attachments: [file('image/png'), file('image/gif')] }).map((p) => p.kind)).toEqual(['text', 'media', 'media']);
  });

  it('a PDF or an oversized image is refused before anything is sent', () => {
    expect(() => planReply({ text: 'x', attachments: [file('application/pdf')] })).toThrow(PermanentChannelError);
    expect(() => planReply({ text: 'x', attachments: [file('image/jpeg', 6 * 1024 * 1024)] })).toThrow(/5 MB/);
  });
});
