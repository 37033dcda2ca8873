import { describe, expect, it } from 'vitest';
import { acknowledges } from '../../../src/desk/auto-ack/rules.js';
import type { Conversation } from '../../../src/domain/conversation.js';
import type { DispatchedEvent } from '../../../src/domain/events.js';

const conversation = { id: 'c1', channelId: 'web', customerUnreachable: null } as unknown as Conversation;
const first: DispatchedEvent = { id: '1.0', type: 'message.created', conversationId: 'c1', messageId: 'm1', direction: 'inbound', author: 'contact', opened: true };

describe('which messages get the response-time promise', () => {
  it("the customer's first message of a conversation", () => {
    expect(acknowledges(first, conversation)).toBe(true);
  });

  it('never a later message, an agent or system line, or a channel event', () => {
    expect(acknowledges({ ...first, opened: false }, conversation)).toBe(false);
    expect(acknowledges({ ...first, opened: undefined }, conversation)).toBe(false);
    expect(acknowledges({ ...first, author: 'agent', direction: 'outbound' }, conversation)).toBe(false);
    expect(acknowledges({ ...first, author: 'system' }, conversation)).toBe(false);
    expect(acknowledges({ id: '1.1', type: 'conversation.created', conversationId: 'c1' }, conversation)).toBe(false);
  });

  it('never machine mail (two auto-responders must not loop)', () => {
    expect(acknowledges({ ...first, automated: true }, conversation)).toBe(false);
  });

  it('never a customer the channel reports unreachable (blocked the bot, unsubscribed)', () => {
    expect(acknowledges(first, { ...conversation, customerUnreachable: { reason: 'blocked', since: '2026-12-06T00:00:00Z' } })).toBe(false);
    expect(acknowledges(first, undefined)).toBe(false);
  });
});
