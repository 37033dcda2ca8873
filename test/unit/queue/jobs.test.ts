import { describe, expect, it } from 'vitest';
import { inboundJobId } from '../../../src/queue/jobs.js';

describe('inboundJobId', () => {
  it.each(['12345', 'anon-1f2e-msg_0001', '<CAF=x+y@mail.example.com>', 'a.b_c'])('keeps the plain id %j as <channel>.<id>', (id) => {
    expect(inboundJobId('web', id)).toBe(`web.${id}`);
  });

  it('escapes ":" (BullMQ\'s key separator) instead of hashing, and keeps escaped ids distinct', () => {
    expect(inboundJobId('tg', '-100123:42')).toBe('tg.-100123%3A42');
    const lookalikes = ['chat:42', 'chat%3A42', 'chat%253A42', 'chat%42'];
    const jobIds = lookalikes.map((id) => inboundJobId('tg', id));
    expect(new Set(jobIds).size).toBe(lookalikes.length);
    for (const jobId of jobIds) expect(jobId).not.toContain(':');
  });

  const unsafe = ['two words', 'path/to/it', '你好', 'emoji😀', 'tab\there', 'x'.repeat(201)];

  it.each(unsafe)('hashes the unsafe id %j into a job id without ":" or the raw id', (id) => {
    const jobId = inboundJobId('web', id);
    expect(jobId).toMatch(/^web\.[A-Za-z0-9_-]+$/);
    expect(jobId).not.toContain(id);
  });

  it('is deterministic for an unsafe id', () => {
    expect(inboundJobId('tg', 'chat 42')).toBe(inboundJobId('tg', 'chat 42'));
  });

  it('gives every distinct unsafe id its own job id', () => {
    const ids = [...unsafe, 'chat:43', 'chat:42', 'chat 42', 'chat/42'];
    expect(new Set(ids.map((id) => inboundJobId('web', id))).size).toBe(ids.length);
  });

  it('cannot confuse a "-" in a channel id with the separator', () => {
    expect(inboundJobId('tg-2', '100')).not.toBe(inboundJobId('tg', '2-100'));
  });

  it('keeps the channel apart for the same unsafe id', () => {
    expect(inboundJobId('a', 'x:y')).not.toBe(inboundJobId('b', 'x:y'));
  });
});
