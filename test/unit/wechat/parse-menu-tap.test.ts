import { describe, expect, it } from 'vitest';
import { aesKey, verifyAndDecrypt } from '../../../adapters/wechat/crypto.js';
import { parsePush, parseXml, toInboundMessage } from '../../../adapters/wechat/inbound.js';
import { choiceToken } from '../../../src/domain/choice.js';
import { InboundMessage, type InboundMessageInput } from '../../../src/domain/message.js';
import { menuTapPush, wechatFixture } from '../../fakes/wechat/messages.js';
import { encrypt32, sign } from '../../fakes/wechat/pusher.js';

const SURVEY = '01jc5v7x9k2m4n6p8q0r2s4t6v';

function message(xml: string): InboundMessageInput {
  const outcome = parsePush(xml, 'wx');
  if (outcome.kind !== 'message') throw new Error(`ignored: ${outcome.reason}`);
  expect(InboundMessage.safeParse(outcome.message).success).toBe(true);
  return outcome.message;
}

describe('a tap on a 菜单消息 item → the customer\'s message with the picked choice (pure)', () => {
  it('bizmsgmenuid holding our token becomes `choice`; the text is the item as the customer saw it; MsgId stays the dedup key', () => {
    expect(message(wechatFixture('text-menu-tap'))).toMatchObject({
      externalId: '24612345678900091',
      threadKey: 'oR5Gjjl_eiZoUpGozMo7dbBJ362A',
      sender: { externalId: 'oR5Gjjl_eiZoUpGozMo7dbBJ362A' },
      text: '4 ★★★★',
      choice: { id: SURVEY, value: '4' },
    });
  });

  it('a menu id that is not ours (another system\'s "101") is an ordinary text message, no choice', () => {
    const foreign = message(wechatFixture('text-menu-tap-foreign'));
    expect(foreign).toMatchObject({ externalId: '24612345678900092', text: '满意' });
    expect(foreign.choice).toBeUndefined();
  });

  it.each([
    ['an empty id', ''],
    ['a token with an uppercase survey id', `c|${SURVEY.toUpperCase()}|4`],
    ['a token with an extra field', `c|${SURVEY}|4|5`],
    ['a value outside the allowed characters', `c|${SURVEY}|4 OR 1=1`],
    ['an over-long survey id', `c|${'a'.repeat(33)}|4`],
    ['a long run of separators', `c|${'|'.repeat(5000)}`],
  ])('%s in bizmsgmenuid is plain text, never a choice, and never drops the message', (_label, id) => {
    const parsed = message(menuTapPush('oTap', { id, content: '4 ★★★★' }));
    expect(parsed.text).toBe('4 ★★★★');
    expect(parsed.choice).toBeUndefined();
  });

  it('a plain text message that merely reads like a token is not a choice (only bizmsgmenuid counts)', () => {
    const typed = message(menuTapPush('oTap', { id: '', content: choiceToken({ id: SURVEY, value: '5' }) }).replace(/<bizmsgmenuid>.*<\/bizmsgmenuid>\n/, ''));
    expect(typed.choice).toBeUndefined();
  });

  it('safe mode: the tap decrypted from <Encrypt> (msg_signature checked) carries the same choice', () => {
    const encodingAESKey = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';
    const appId = 'wx1a2b3c4d5e6f7a8b';
    const token = 'switchboardToken42';
    const xml = menuTapPush('oSafeTap', { id: choiceToken({ id: SURVEY, value: '2' }), content: '2 ★★' }, '24612345678900093');
    const encrypt = encrypt32(xml, encodingAESKey, appId);
    const sealed = { encrypt, msgSignature: sign(token, '1764000000', '77', encrypt), timestamp: '1764000000', nonce: '77' };
    const opened = verifyAndDecrypt(sealed, { token, keys: [aesKey(encodingAESKey)], appId });
    const outcome = toInboundMessage(parseXml(opened.message), 'wx');
    expect(outcome).toMatchObject({ kind: 'message', message: { externalId: '24612345678900093', text: '2 ★★', choice: { id: SURVEY, value: '2' } } });
  });
});
