import { describe, expect, it } from 'vitest';
import { parseWebhookBody } from '../../../adapters/x/inbound.js';
import { InboundMessage } from '../../../src/domain/message.js';
import { fixture, options } from './fixtures.js';

describe('X webhook payloads → messages', () => {
  it('an Account Activity message_create becomes a message keyed by the DM event id, threaded by the customer id, named from users', () => {
    const { messages, ignored } = parseWebhookBody(fixture('account-activity-message'), options);
    expect(ignored).toBe(0);
    expect(messages).toHaveLength(1);
    const message = InboundMessage.parse(messages[0]);
    expect(message).toMatchObject({
      channelId: 'xdm',
      externalId: '1857771234567890123',
      threadKey: '3001234567',
      sender: { externalId: '3001234567', name: 'Ada Lovelace', handle: 'ada_l' },
      sentAt: '2025-01-01T10:00:00.000Z',
      text: 'Hi, my withdrawal is stuck 🙏',
      attachments: [],
    });
  });

  it('the X Activity dm.received envelope normalizes to the same shape', () => {
    const { messages } = parseWebhookBody(fixture('activity-dm-received'), options);
    expect(messages.map((m) => [m.externalId, m.threadKey, m.sender.name, m.sender.handle, m.text])).toEqual([['1857779999999999001', '4407654321', 'Grace Hopper', 'grace_h', 'Is the API down?']]);
  });

  it('our own sent DM echoed back (sender = support account) is not a customer message, in both envelopes', () => {
    expect(parseWebhookBody(fixture('account-activity-echo'), options)).toEqual({ messages: [], ignored: 1, unrecognised: false });
    expect(parseWebhookBody(fixture('activity-dm-sent'), options).messages).toEqual([]);
  });

  it('an event for another subscribed account is not this channel’s', () => {
    const body = { ...(fixture('account-activity-message') as object), for_user_id: '999' };
    expect(parseWebhookBody(body, options).messages).toEqual([]);
  });

  it('a DM with a photo keeps the media URL as a remote image and drops the trailing t.co link', () => {
    const [message] = parseWebhookBody(fixture('account-activity-media'), options).messages;
    expect(message?.text).toBe('screenshot of the error');
    expect(message?.attachments).toEqual([{ kind: 'image', mimeType: 'image/jpeg', remote: 'https://ton.twitter.com/1.1/ton/data/dm/1857771234567891111/1857771234000000000/abcDEF.jpg' }]);
  });

  it('other event families (favorites, follows) are recognised as not DMs', () => {
    expect(parseWebhookBody(fixture('favorite-events'), options)).toEqual({ messages: [], ignored: 0, unrecognised: true });
  });
});
