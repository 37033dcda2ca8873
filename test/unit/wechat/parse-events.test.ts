import { describe, expect, it } from 'vitest';
import { eventKey, parsePush } from '../../../adapters/wechat/inbound.js';
import { InboundMessage, type InboundMessageInput } from '../../../src/domain/message.js';
import { wechatFixture } from '../../fakes/wechat/messages.js';

const OPENID = 'oR5Gjjl_eiZoUpGozMo7dbBJ362A';

function event(fixture: string): InboundMessageInput {
  const outcome = parsePush(wechatFixture(fixture), 'wx');
  if (outcome.kind !== 'message') throw new Error(`${fixture} was ignored: ${outcome.reason}`);
  expect(InboundMessage.safeParse(outcome.message).success).toBe(true);
  return outcome.message;
}

describe('WeChat events → channel events (pure, recorded fixtures)', () => {
  it('subscribe → subscribed, keyed by FromUserName-CreateTime-Event (events have no MsgId)', () => {
    expect(event('event-subscribe')).toMatchObject({
      externalId: `${OPENID}-1764000100-subscribe`,
      threadKey: OPENID,
      sender: { externalId: OPENID },
      text: 'The customer followed the Official Account',
      event: { type: 'subscribed' },
    });
  });

  it('subscribe through a parametric QR code carries the scene in the detail and the text', () => {
    expect(event('event-subscribe-qrscene')).toMatchObject({
      externalId: `${OPENID}-1764000101-subscribe-qrscene_123123`,
      text: 'The customer followed the Official Account (QR code scene 123123)',
      event: { type: 'subscribed', detail: 'qrscene_123123' },
    });
  });

  it('unsubscribe → unsubscribed, whose text says why the customer is now unreachable', () => {
    const unsubscribed = event('event-unsubscribe');
    expect(unsubscribed.event).toEqual({ type: 'unsubscribed' });
    expect(unsubscribed.text).toMatch(/unfollowed.*no messages/);
    expect(unsubscribed.externalId).toBe(`${OPENID}-1764000102-unsubscribe`);
  });

  it('CLICK and VIEW menu events → menu with the key or URL; two events in the same second get different keys', () => {
    const click = event('event-click');
    const view = event('event-view');
    expect(click).toMatchObject({ text: 'Menu click: CONTACT_SUPPORT', event: { type: 'menu', detail: 'CONTACT_SUPPORT' } });
    expect(view).toMatchObject({ text: 'Menu link opened: https://help.example.com/zh/recovery?from=menu', event: { type: 'menu', detail: 'https://help.example.com/zh/recovery?from=menu' } });
    expect(click.externalId).not.toBe(view.externalId);
  });

  it('SCAN by an existing follower → other, with the scene', () => {
    expect(event('event-scan')).toMatchObject({ text: 'The customer scanned QR code scene 123123', event: { type: 'other', detail: '123123' } });
  });

  it('LOCATION reports (sent each time a follower opens the chat) and unknown events are ignored', () => {
    expect(parsePush(wechatFixture('event-location'), 'wx')).toMatchObject({ kind: 'ignored', reason: expect.stringContaining('LOCATION') });
    const receipt = wechatFixture('event-subscribe').replace('subscribe', 'TEMPLATESENDJOBFINISH');
    expect(parsePush(receipt, 'wx')).toMatchObject({ kind: 'ignored' });
  });

  it('an event key stays within the 512-character id limit even for a very long EventKey', () => {
    const key = eventKey({ FromUserName: OPENID, CreateTime: '1764000000', Event: 'VIEW', EventKey: `https://example.com/${'x'.repeat(600)}` });
    expect(key.length).toBeLessThanOrEqual(512);
    expect(key.startsWith(`${OPENID}-1764000000-VIEW-`)).toBe(true);
  });
});
