import { describe, expect, it } from 'vitest';
import { ChatPacer, planParts, replyTarget } from '../../../adapters/telegram/outbound.js';
import type { OutboundAttachment } from '../../../src/channels/contract.js';

const file = (name: string, mimeType: string, size = 1000): OutboundAttachment => ({ id: name, name, mimeType, size, read: async () => Buffer.alloc(size) });

describe('a reply as Telegram messages', () => {
  it('text over 4096 characters is split at a paragraph into parts within the limit, in order', () => {
    const text = `${'第一段。'.repeat(700)}\n\n${'second paragraph. '.repeat(120)}`;
    const parts = planParts({ text, attachments: [] });
    expect(parts.map((p) => p.kind)).toEqual(['text', 'text']);
    const texts = parts.map((p) => (p.kind === 'text' ? p.text : ''));
    expect(texts.every((t) => t.length <= 4096)).toBe(true);
    expect(texts[0]).toBe('第一段。'.repeat(700));
    expect(texts[1]?.startsWith('second paragraph.')).toBe(true);
  });

  it('attachments follow the text: JPEG/PNG/WebP up to 10 MB as photos, anything else as documents', () => {
    const parts = planParts({
      text: 'see attached',
      attachments: [file('a.png', 'image/png'), file('b.pdf', 'application/pdf'), file('huge.jpg', 'image/jpeg', 11 * 1024 * 1024), file('c.gif', 'image/gif')],
    });
    expect(parts.map((p) => (p.kind === 'text' ? 'text' : `${p.kind}:${p.attachment.name}`))).toEqual(['text', 'photo:a.png', 'document:b.pdf', 'document:huge.jpg', 'document:c.gif']);
  });

  it('an attachment-only reply sends no empty text message', () => {
    expect(planParts({ text: '  ', attachments: [file('a.png', 'image/png')] }).map((p) => p.kind)).toEqual(['photo']);
  });

  it('a reply target is the message id of a chat:message key in the same chat only', () => {
    expect(replyTarget('5123456789:311', '5123456789')).toBe(311);
    expect(replyTarget('-1001987654321:90211', '-1001987654321')).toBe(90211);
    expect(replyTarget('999:311', '5123456789')).toBeUndefined();
    expect(replyTarget('web-abc', '5123456789')).toBeUndefined();
    expect(replyTarget(undefined, '5123456789')).toBeUndefined();
  });

  it('the pacer spaces messages to one chat by its interval and does not hold back another chat', async () => {
    const pacer = new ChatPacer(() => 200);
    const start = Date.now();
    await pacer.turn('1');
    await pacer.turn('2');
    const otherChat = Date.now() - start;
    await pacer.turn('1');
    const sameChat = Date.now() - start;
    expect(otherChat).toBeLessThan(150);
    expect(sameChat).toBeGreaterThanOrEqual(190);
  });
});
