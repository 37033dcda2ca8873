import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DiscordMessage, DiscordMessageDelete, parseThreadKey, threadKeys, toDeletion, toEdit, toInboundMessage } from '../../../adapters/discord/inbound.js';
import { InboundMessage } from '../../../src/domain/message.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../fixtures/discord/${name}.json`, import.meta.url), 'utf8'));
const message = (name: string) => DiscordMessage.parse(fixture(name));
const options = (place: 'dm' | 'thread' | 'channel') => ({ channelId: 'dc', place, channelName: (id: string) => (id === '1200000000000000011' ? 'support' : undefined) });

describe('Discord inbound parser (recorded payloads)', () => {
  it('a DM becomes a message in the per-customer DM conversation, keyed by the message id', () => {
    const parsed = toInboundMessage(message('dm-message'), options('dm'));
    expect(parsed).toMatchObject({
      channelId: 'dc',
      externalId: '1346012346345678901',
      threadKey: 'dm:1300000000000000001',
      sender: { externalId: '1300000000000000001', name: 'Ana P.', handle: 'ana.p' },
      sentAt: '2026-03-02T09:15:27.311000+00:00',
      text: 'Hi, my withdrawal has been pending for 3 hours',
      attachments: [],
    });
    expect(InboundMessage.safeParse(parsed).success).toBe(true);
  });

  it('a thread reply renders mentions as names, keeps the CDN link for the media worker and the replied-to id', () => {
    const parsed = toInboundMessage(message('guild-reply-with-attachment'), options('thread'))!;
    expect(parsed.threadKey).toBe('thread:1200000000000000013');
    expect(parsed.text).toBe('@SupportBot same as @Benny @role in #support :pepe:');
    expect(parsed.sender.name).toBe('Ana (EU)');
    expect(parsed.replyToExternalId).toBe('1346012346000000000');
    expect(parsed.attachments).toEqual([
      { kind: 'image', remote: expect.stringMatching(/^https:\/\/cdn\.discordapp\.com\/attachments\/.+\?ex=/), name: 'screenshot.png', size: 48213, mimeType: 'image/png' },
    ]);
    expect(InboundMessage.safeParse(parsed).success).toBe(true);
  });

  it('a message in a support channel itself is keyed by channel and author', () => {
    const parsed = toInboundMessage(message('guild-reply-with-attachment'), options('channel'))!;
    expect(parsed.threadKey).toBe('channel:1200000000000000013:1300000000000000001');
    expect(parseThreadKey(parsed.threadKey)).toEqual({ place: 'channel', channelId: '1200000000000000013', userId: '1300000000000000001' });
  });

  it("bots' messages and system messages (thread created, joins) are not for agents", () => {
    expect(toInboundMessage(message('bot-message'), options('channel'))).toBeNull();
    expect(toInboundMessage(message('thread-created-system'), options('channel'))).toBeNull();
  });

  it('MESSAGE_UPDATE with edited_timestamp is an edit of the same externalId; an embed-only update is not', () => {
    const edit = toEdit(message('message-update'), options('dm'))!;
    expect(edit).toMatchObject({ externalId: '1346012346345678901', text: 'Hi, my withdrawal has been pending for 4 hours', revision: { kind: 'edit', at: '2026-03-02T09:16:02.101000+00:00' } });
    expect(InboundMessage.safeParse(edit).success).toBe(true);
    expect(toEdit({ ...message('message-update'), edited_timestamp: null }, options('dm'))).toBeNull();
  });

  it('MESSAGE_DELETE becomes a delete revision attributed to the remembered conversation', () => {
    const at = new Date('2026-03-02T10:00:00Z');
    const deletion = toDeletion(DiscordMessageDelete.parse(fixture('message-delete')), { channelId: 'dc', threadKey: 'dm:1300000000000000001', sender: { externalId: '1300000000000000001' } }, at);
    expect(deletion).toMatchObject({ externalId: '1346012346345678901', threadKey: 'dm:1300000000000000001', revision: { kind: 'delete', at: at.toISOString() } });
    expect(InboundMessage.safeParse(deletion).success).toBe(true);
  });

  it('thread keys round-trip and foreign keys are refused', () => {
    expect(parseThreadKey(threadKeys.dm('1'))).toEqual({ place: 'dm', userId: '1' });
    expect(parseThreadKey(threadKeys.thread('2'))).toEqual({ place: 'thread', channelId: '2' });
    expect(parseThreadKey('12345')).toBeUndefined();
    expect(parseThreadKey('dm:1:2')).toBeUndefined();
  });
});
