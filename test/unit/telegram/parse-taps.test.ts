import { describe, expect, it } from 'vitest';
import { buttonOf, callbackQueryIdOf, fromTap, type ParseOptions, parseUpdate, TelegramUpdate } from '../../../adapters/telegram/inbound.js';
import { inlineKeyboard } from '../../../adapters/telegram/outbound.js';
import { parseChoiceToken } from '../../../src/domain/choice.js';
import { telegramFixture } from '../../fakes/telegram/fixtures.js';

const options = (groups: ParseOptions['groups'] = 'mentions') => ({ channelId: 'tg', groups, receivedAt: '2026-12-07T08:00:00.000Z' });
const queryOf = (fixture: string) => TelegramUpdate.parse(telegramFixture(fixture)).callback_query!;

describe('a press on one of our buttons (callback_query)', () => {
  it("is the customer's pick in their chat, read as the button's caption, keyed by the query id", () => {
    const query = queryOf('survey-press');
    const picked = parseChoiceToken(query.data!)!;
    expect(fromTap(query, picked, { raw: true }, options())).toEqual({
      channelId: 'tg',
      externalId: 'cb:2200147263218990621',
      threadKey: '5123456789',
      sender: { externalId: '5123456789', name: '李 明', handle: 'liming_wallet' },
      sentAt: '2026-12-07T08:00:00.000Z',
      text: '5 ★★★★★',
      choice: { id: '01jcsat0fixture000000000aa', value: '5' },
      raw: { languageCode: 'zh-hans', update: { raw: true } },
    });
  });

  it('under a message too old to come with its keyboard, reads as the kept caption, else the value', () => {
    const query = queryOf('survey-press-inaccessible');
    const picked = parseChoiceToken(query.data!)!;
    expect(buttonOf(query)).toBeUndefined();
    expect(fromTap(query, picked, {}, { ...options(), storedLabel: '3 ★★★' })?.text).toBe('3 ★★★');
    expect(fromTap(query, picked, {}, options())?.text).toBe('3');
  });

  it('is nothing in a channel, or in a group when groups are ignored; in a group otherwise it is that group and member', () => {
    const query = queryOf('survey-press');
    const picked = parseChoiceToken(query.data!)!;
    const inChat = (chat: object) => ({ ...query, message: { ...query.message!, chat: { ...query.message!.chat, ...chat } } });
    expect(fromTap(inChat({ id: -1001, type: 'channel' }), picked, {}, options('all'))).toBeNull();
    expect(fromTap(inChat({ id: -1002, type: 'supergroup' }), picked, {}, options('ignore'))).toBeNull();
    expect(fromTap(inChat({ id: -1002, type: 'supergroup' }), picked, {}, options('mentions'))).toMatchObject({ threadKey: '-1002', sender: { externalId: '5123456789' } });
  });

  it('never becomes a message through the ordinary parser (it must be answered, so the adapter takes it)', () => {
    expect(parseUpdate(telegramFixture('survey-press'), options('all'))).toBeNull();
  });

  it("an update whose callback_query does not fit our schema still yields the query's id, to answer it", () => {
    expect(callbackQueryIdOf({ update_id: 1, callback_query: { id: '77', from: 'not a user' } })).toBe('77');
    expect(callbackQueryIdOf({ update_id: 1, message: {} })).toBeUndefined();
    expect(callbackQueryIdOf({ update_id: 1, callback_query: { id: '' } })).toBeUndefined();
  });
});

describe('the inline keyboard of a question', () => {
  const choice = (labels: string[]) => ({ id: 'q1', options: labels.map((label, i) => ({ value: String(i + 1), label, answered: 'thanks' })) });
  const shape = (labels: string[]) => inlineKeyboard(choice(labels)).inline_keyboard.map((row) => row.length);

  it('short captions share one row; long ones, or more than eight buttons, spread evenly over more', () => {
    expect(shape(['1 ★', '2 ★★', '3 ★★★', '4 ★★★★', '5 ★★★★★'])).toEqual([5]);
    expect(shape(['Very unhappy', 'Unhappy', 'It was okay', 'Happy', 'Very happy'])).toEqual([3, 2]);
    expect(shape(Array.from({ length: 10 }, (_, i) => String(i + 1)))).toEqual([5, 5]);
    expect(shape(Array.from({ length: 20 }, (_, i) => String(i + 1)))).toEqual([7, 7, 6]);
  });

  it("every button's data is the choice token, which fits Telegram's 64 bytes even at the longest id and value", () => {
    const longest = { id: 'z'.repeat(32), options: [{ value: 'v'.repeat(16), label: 'x', answered: 'y' }] };
    const button = inlineKeyboard(longest).inline_keyboard[0]?.[0] as { callback_data: string };
    expect(parseChoiceToken(button.callback_data)).toEqual({ id: longest.id, value: longest.options[0]!.value });
    expect(Buffer.byteLength(button.callback_data)).toBeLessThanOrEqual(64);
  });
});
