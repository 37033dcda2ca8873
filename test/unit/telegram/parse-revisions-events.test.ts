import { describe, expect, it } from 'vitest';
import { parseUpdate, type ParseOptions } from '../../../adapters/telegram/inbound.js';
import { InboundMessage } from '../../../src/domain/message.js';
import { telegramFixture } from '../../fakes/telegram/fixtures.js';

const options: ParseOptions = { channelId: 'tg', groups: 'mentions', botId: 7000001, botUsername: 'acme_support_bot' };

describe('Telegram edits and membership changes', () => {
  it('an edited message revises the original: same externalId, revision at edit_date, original send time', () => {
    const original = parseUpdate(telegramFixture('text-with-entities'), options)!;
    const edit = parseUpdate(telegramFixture('edited-message'), options)!;
    expect(InboundMessage.safeParse(edit).success).toBe(true);
    expect(edit.externalId).toBe(original.externalId);
    expect(edit.revision).toEqual({ kind: 'edit', at: '2025-11-25T09:01:30.000Z' });
    expect(edit.sentAt).toBe(original.sentAt);
    expect(edit.text).toBe('你好 👋 我的钱包被盗了！(edited) 请帮忙 🙏');
  });

  it('the user blocking the bot (status kicked) is a "blocked" event with a readable line', () => {
    const event = parseUpdate(telegramFixture('my-chat-member-kicked'), options)!;
    expect(InboundMessage.safeParse(event).success).toBe(true);
    expect(event).toMatchObject({ threadKey: '5123456789', event: { type: 'blocked' }, text: 'The customer blocked the bot', sentAt: '2025-11-25T09:13:20.000Z' });
    expect(event.sender.externalId).toBe('5123456789');
  });

  it('the user unblocking it (kicked → member) is an "unblocked" event with its own key', () => {
    const blocked = parseUpdate(telegramFixture('my-chat-member-kicked'), options)!;
    const unblocked = parseUpdate(telegramFixture('my-chat-member-member'), options)!;
    expect(unblocked).toMatchObject({ event: { type: 'unblocked' }, text: 'The customer unblocked the bot' });
    expect(unblocked.externalId).not.toBe(blocked.externalId);
  });

  it('membership changes that are not a block or an unblock, or happen in groups, are ignored', () => {
    const update = telegramFixture('my-chat-member-member');
    const change = update.my_chat_member as { old_chat_member: { status: string }; chat: Record<string, unknown> };
    expect(parseUpdate({ ...update, my_chat_member: { ...change, old_chat_member: { ...change.old_chat_member, status: 'left' } } }, options)).toBeNull();
    const kicked = telegramFixture('my-chat-member-kicked');
    const inGroup = { ...(kicked.my_chat_member as object), chat: { id: -1001987654321, title: 'Acme Wallet Community', type: 'supergroup' } };
    expect(parseUpdate({ ...kicked, my_chat_member: inGroup }, options)).toBeNull();
  });
});
