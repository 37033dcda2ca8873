import { describe, expect, it } from 'vitest';
import { kindOfChannel, mergeTimeline, timelineEntryOf } from '../../../src/ui/inbox/src/customers.js';
import type { Channel, Message, TimelineMessage } from '../../../src/ui/inbox/src/types.js';

const message = (id: string, at: string, conversationId = 'v1'): Message => ({
  id,
  conversationId,
  direction: 'inbound',
  author: { type: 'contact', id: 'c1', name: '王小明' },
  text: id,
  attachments: [],
  private: false,
  status: 'received',
  externalId: null,
  createdAt: at,
  sentAt: null,
  replyToExternalId: null,
  clientMessageId: null,
  editedAt: null,
  deletedAt: null,
  redactions: [],
});
const entry = (id: string, at: string, conversationId = 'v1'): TimelineMessage => ({ ...message(id, at, conversationId), channelId: conversationId === 'v1' ? 'web' : 'tg', channelKind: conversationId === 'v1' ? 'webchat' : 'telegram' });
const record = {
  conversations: [
    { channelId: 'web', channelKind: 'webchat', id: 'v1' },
    { channelId: 'tg-old', channelKind: 'telegram', id: 'v2' },
  ],
} as unknown as Parameters<typeof timelineEntryOf>[1];

describe("the customer page's timeline", () => {
  it('merges an older page and a live message into one time order, each message once, its newest version', () => {
    const shown = [entry('b', '2026-01-01T10:02:00Z'), entry('c', '2026-01-01T10:03:00Z', 'v2')];
    const older = [entry('a', '2026-01-01T10:01:00Z', 'v2'), entry('b', '2026-01-01T10:02:00Z')];
    const edited = { ...entry('c', '2026-01-01T10:03:00Z', 'v2'), text: 'edited' };
    const merged = mergeTimeline(mergeTimeline(shown, older), [edited, entry('d', '2026-01-01T10:04:00Z')]);
    expect(merged.map((m) => [m.id, m.text])).toEqual([
      ['a', 'a'],
      ['b', 'b'],
      ['c', 'edited'],
      ['d', 'd'],
    ]);
  });

  it("keeps the server's order for messages of the same time (a stable sort)", () => {
    const same = '2026-01-01T10:00:00Z';
    expect(mergeTimeline([], [entry('z', same), entry('a', same, 'v2')]).map((m) => m.id)).toEqual(['z', 'a']);
  });

  it("takes a live message of one of the customer's conversations, with its channel, and no one else's or an unconfirmed one", () => {
    expect(timelineEntryOf(message('x', '2026-01-01T10:00:00Z', 'v2'), record)).toMatchObject({ id: 'x', channelId: 'tg-old', channelKind: 'telegram' });
    expect(timelineEntryOf(message('y', '2026-01-01T10:00:00Z', 'v9'), record)).toBeUndefined();
    expect(timelineEntryOf({ ...message('p', '2026-01-01T10:00:00Z'), pending: true }, record)).toBeUndefined();
    expect(timelineEntryOf(message('q', '2026-01-01T10:00:00Z'), record)).not.toHaveProperty('pending');
  });

  it("names a removed channel's kind from the customer's conversations there", () => {
    const channels = [{ id: 'web', kind: 'webchat' }] as unknown as Channel[];
    expect(kindOfChannel('web', channels, record)).toBe('webchat');
    expect(kindOfChannel('tg-old', channels, record)).toBe('telegram');
    expect(kindOfChannel('gone', channels, record)).toBe('webchat');
  });
});
