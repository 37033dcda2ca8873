import { describe, expect, it } from 'vitest';
import { planParts, TEXT_LIMIT } from '../../../adapters/wechat/outbound.js';
import type { OutboundAttachment } from '../../../src/channels/contract.js';

const file = (name: string, mimeType: string, size = 1000): OutboundAttachment => ({ id: name, name, mimeType, size, read: async () => Buffer.alloc(size) });

describe('a reply → the customer-service messages it becomes', () => {
  it('text is split at 600 characters, which is at most 1,800 UTF-8 bytes even for all-CJK text', () => {
    const text = `${'第一段说明。'.repeat(150)}\n\n${'第二段。'.repeat(100)}`;
    const parts = planParts({ text, attachments: [] }, 5);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      if (part.kind !== 'text') throw new Error('expected text');
      expect(part.text.length).toBeLessThanOrEqual(TEXT_LIMIT);
      expect(Buffer.byteLength(part.text)).toBeLessThanOrEqual(2048);
    }
    expect(parts.map((p) => (p.kind === 'text' ? p.text : '')).join('')).toBe(text.replace('\n\n', ''));
  });

  it('images follow the text, one message each; a blank text sends only the images', () => {
    const png = file('steps.png', 'image/png');
    expect(planParts({ text: 'See:', attachments: [png] }, 5).map((p) => p.kind)).toEqual(['text', 'image']);
    expect(planParts({ text: '  ', attachments: [png] }, 5).map((p) => p.kind)).toEqual(['image']);
  });

  it('files other than images are refused before anything is sent (WeChat carries no documents here)', () => {
    expect(() => planParts({ text: 'x', attachments: [file('恢复步骤.pdf', 'application/pdf')] }, 5)).toThrow(
      expect.objectContaining({ name: 'PermanentChannelError', code: 'unsupported_attachment', message: expect.stringContaining('恢复步骤.pdf') }),
    );
    expect(() => planParts({ text: 'x', attachments: [file('huge.jpg', 'image/jpeg', 11 * 1024 * 1024)] }, 5)).toThrow(expect.objectContaining({ code: 'too_large' }));
  });

  it('a reply needing more messages than the 48-hour quota is refused whole, saying how many it needs', () => {
    const text = Array.from({ length: 6 }, (_, i) => `${i}`.repeat(590)).join('\n\n');
    expect(() => planParts({ text, attachments: [] }, 5)).toThrow(expect.objectContaining({ code: 'too_long', message: expect.stringMatching(/6 WeChat messages.*only 5/) }));
    expect(planParts({ text, attachments: [] }, 20)).toHaveLength(6);
  });
});
