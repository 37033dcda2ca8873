import { describe, expect, it } from 'vitest';
import { compareIds, DmEventV2, DmIncludesV2, fromDmEventV2, snowflakeTime } from '../../../adapters/x/inbound.js';
import { fixture, options } from './fixtures.js';

const page = fixture('dm-events-page') as { data: unknown[]; includes: unknown };
const events = page.data.map((e) => DmEventV2.parse(e));
const includes = DmIncludesV2.parse(page.includes);

describe('polled v2 DM events → messages', () => {
  it('keeps customer MessageCreate events with the same keys as the webhook (event id, customer id), and drops our own and non-messages', () => {
    const messages = events.map((e) => fromDmEventV2(e, includes, options));
    expect(messages.map((m) => m && [m.externalId, m.threadKey, m.sender.name, m.sender.handle, m.text])).toEqual([
      null, // our own reply
      ['1857780000000000200', '3001234567', 'Ada Lovelace', 'ada_l', 'here it is'],
      ['1857780000000000100', '3001234567', 'Ada Lovelace', 'ada_l', 'Hello from polling'],
      null, // ParticipantsJoin
    ]);
    expect(messages[1]?.attachments).toEqual([{ kind: 'image', mimeType: 'image/jpeg', remote: 'https://ton.twitter.com/1.1/ton/data/dm/1857780000000000200/1857780000000000150/q.jpg' }]);
    expect(messages[2]?.sentAt).toBe('2025-01-01T10:00:00.000Z');
  });

  it('snowflake ids compare numerically (not as strings) and carry their creation time', () => {
    expect(compareIds('999', '1000')).toBe(-1);
    expect(compareIds('1857780000000000300', '1857780000000000200')).toBe(1);
    expect(snowflakeTime('1857780000000000100').slice(0, 4)).toBe('2024');
  });
});
