import { describe, expect, it } from 'vitest';
import { needsBotIdentity, parseUpdate, type ParseOptions, TelegramUpdate } from '../../../adapters/telegram/inbound.js';
import { telegramFixture } from '../../fakes/telegram/fixtures.js';

const known = { botId: 7000001, botUsername: 'acme_support_bot' };
const under = (groups: ParseOptions['groups'], identity: Partial<typeof known> = known): ParseOptions => ({ channelId: 'tg', groups, ...identity });
const taken = (fixture: string, options: ParseOptions): boolean => parseUpdate(telegramFixture(fixture), options) !== null;

describe('group messages follow the `groups` setting', () => {
  it.each([
    // fixture,              ignore, mentions, all
    ['group-mention', false, true, true],
    ['group-command', false, true, true],
    ['group-reply-to-bot', false, true, true],
    ['group-chatter', false, false, true],
  ] as const)('%s: ignore → %s, mentions → %s, all → %s', (fixture, ignore, mentions, all) => {
    expect(taken(fixture, under('ignore'))).toBe(ignore);
    expect(taken(fixture, under('mentions'))).toBe(mentions);
    expect(taken(fixture, under('all'))).toBe(all);
  });

  it('a taken group message belongs to the group conversation, sent by the member', () => {
    const message = parseUpdate(telegramFixture('group-mention'), under('mentions'))!;
    expect(message).toMatchObject({ threadKey: '-1001987654321', externalId: '-1001987654321:90211', sender: { externalId: '6200000001', name: 'Sam', handle: 'sam_k' } });
    expect(message.text).toBe('@acme_support_bot my withdrawal is stuck for 2 days 😡');
  });

  it('a mention of the username without entities (case-insensitive) still counts; a longer username does not', () => {
    const update = telegramFixture('group-chatter');
    const withText = (text: string) => ({ ...update, message: { ...(update.message as object), text } });
    expect(parseUpdate(withText('hey @ACME_support_bot help'), under('mentions'))).not.toBeNull();
    expect(parseUpdate(withText('hey @acme_support_bot_fake help'), under('mentions'))).toBeNull();
    expect(parseUpdate(withText('mail me at me@acme_support_bot'), under('mentions'))).toBeNull();
  });

  it('before the bot knows its own name (no getMe yet), mentions are not recognised, but `all` still takes everything', () => {
    expect(taken('group-mention', under('mentions', {}))).toBe(false);
    expect(taken('group-reply-to-bot', under('mentions', {}))).toBe(false);
    expect(taken('group-chatter', under('all', {}))).toBe(true);
  });

  it('only group messages under `mentions` need the bot identity', () => {
    const check = (fixture: string, groups: ParseOptions['groups']) => needsBotIdentity(TelegramUpdate.parse(telegramFixture(fixture)), groups);
    expect(check('group-chatter', 'mentions')).toBe(true);
    expect(check('group-chatter', 'all')).toBe(false);
    expect(check('text-with-entities', 'mentions')).toBe(false);
  });
});

describe('updates that are nothing for the inbox', () => {
  it.each(['channel-post', 'callback-query', 'group-migrated'])('%s → null', (fixture) => {
    expect(parseUpdate(telegramFixture(fixture), under('all'))).toBeNull();
  });

  it('payloads that are not updates → null', () => {
    expect(parseUpdate({ hello: 'world' }, under('all'))).toBeNull();
    expect(parseUpdate(null, under('all'))).toBeNull();
    expect(parseUpdate({ update_id: 1 }, under('all'))).toBeNull();
  });
});
