import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { judge } from '../../../adapters/discord/choices.js';
import { DiscordInteraction, toButtonClick, toPick, type ButtonClick } from '../../../adapters/discord/inbound.js';
import { choiceComponents } from '../../../adapters/discord/outbound.js';
import { PermanentChannelError } from '../../../src/channels/errors.js';
import { InboundMessage } from '../../../src/domain/message.js';

const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(`../../fixtures/discord/${name}.json`, import.meta.url), 'utf8'));
const support = new Set(['1200000000000000011']);
const clickOf = (raw: unknown, where = support): ButtonClick => toButtonClick(DiscordInteraction.parse(raw), where)!;
const SURVEY = '01jf3k9x2m4n5p6q7r8s9t0v1w';
const asked = (threadKey: string, userId: string) => ({
  threadKey,
  userId,
  options: Object.fromEntries(['1', '2', '3', '4', '5'].map((v) => [v, { label: `${v} ★`, answered: `Thanks — you rated ${v}/5` }])),
});

describe('Discord button clicks (recorded interaction payloads)', () => {
  it('a click in a DM names our question and value, the clicker, the caption they saw, and the time in the interaction id', () => {
    expect(clickOf(fixture('interaction-button-dm'))).toEqual({
      id: '1346012351234567890',
      token: expect.any(String),
      applicationId: '1200000000000000002',
      choice: { id: SURVEY, value: '4' },
      threadKey: 'dm:1300000000000000001',
      sender: { externalId: '1300000000000000001', name: 'Ana P.', handle: 'ana.p' },
      label: '4 ★',
      messageId: '1346012349000000200',
      sentAt: '2025-03-03T06:52:32.234Z',
    });
  });

  it('a click in a thread under a support channel is that thread’s, by the member (with their nickname)', () => {
    const click = clickOf(fixture('interaction-button-thread'));
    expect(click.threadKey).toBe('thread:1200000000000000013');
    expect(click.sender.name).toBe('Ana (EU)');
  });

  it('a click in a support channel itself is keyed by channel and clicker; elsewhere in the guild it has no conversation', () => {
    const raw = fixture('interaction-button-thread');
    const inChannel = { ...raw, channel_id: '1200000000000000011', channel: { id: '1200000000000000011', type: 0, parent_id: null } };
    expect(clickOf(inChannel).threadKey).toBe('channel:1200000000000000011:1300000000000000001');
    const elsewhere = { ...raw, channel_id: '1200000000000000012', channel: { id: '1200000000000000012', type: 0, parent_id: null } };
    expect(clickOf(elsewhere).threadKey).toBeUndefined();
    expect(clickOf(raw, new Set()).threadKey).toBeUndefined();
  });

  it('other interactions (a slash command, a select menu) are not button clicks; a custom_id that is not ours has no choice', () => {
    const raw = fixture('interaction-button-dm');
    expect(toButtonClick(DiscordInteraction.parse({ ...raw, type: 2, data: { id: '1', name: 'help', type: 1 } }), support)).toBeUndefined();
    expect(toButtonClick(DiscordInteraction.parse({ ...raw, data: { custom_id: 'c|x|1', component_type: 3, values: ['1'] } }), support)).toBeUndefined();
    for (const customId of ['ticket:open:42', 'c|UPPER|1', 'c|abc|1|extra', `c|${SURVEY}|`]) {
      expect(clickOf({ ...raw, data: { custom_id: customId, component_type: 2 } }).choice, customId).toBeUndefined();
    }
  });

  it('the pick is a message of the conversation keyed ia:<interaction id>, with the choice, and its kept payload has no token', () => {
    const raw = fixture('interaction-button-dm');
    const click = clickOf(raw);
    const pick = toPick({ ...click, choice: click.choice! }, { channelId: 'dc', threadKey: 'dm:1300000000000000001', label: '4 ★' }, raw);
    expect(pick).toMatchObject({ externalId: 'ia:1346012351234567890', text: '4 ★', choice: { id: SURVEY, value: '4' }, threadKey: 'dm:1300000000000000001' });
    expect(JSON.stringify(pick.raw)).not.toContain(String(raw.token));
    expect(InboundMessage.safeParse(pick).success).toBe(true);
  });
});

describe('which clicks answer a question', () => {
  const dmClick = clickOf(fixture('interaction-button-dm'));
  const threadClick = clickOf(fixture('interaction-button-thread'));

  it('the customer asked, where asked, with an option offered: taken, with its answered text', () => {
    expect(judge(dmClick, asked('dm:1300000000000000001', '1300000000000000001'))).toEqual({ ok: true, threadKey: 'dm:1300000000000000001', label: '4 ★', answered: 'Thanks — you rated 4/5' });
  });

  it('someone else in the thread, the same customer elsewhere, a value not offered, a button not ours: refused', () => {
    expect(judge(threadClick, asked('thread:1200000000000000013', '1300000000000000009')).ok).toBe(false);
    expect(judge(dmClick, asked('channel:1200000000000000011:1300000000000000001', '1300000000000000001')).ok).toBe(false);
    expect(judge({ ...dmClick, choice: { id: SURVEY, value: '9' } }, asked('dm:1300000000000000001', '1300000000000000001')).ok).toBe(false);
    expect(judge({ ...dmClick, choice: undefined }, asked('dm:1300000000000000001', '1300000000000000001')).ok).toBe(false);
  });

  it('without a record of the question: a DM click is taken (no answered text), a guild click is not', () => {
    expect(judge(dmClick, undefined)).toEqual({ ok: true, threadKey: 'dm:1300000000000000001', label: '4 ★', answered: undefined });
    expect(judge(threadClick, undefined).ok).toBe(false);
  });
});

describe('a question as message components', () => {
  const options = (n: number, label = (v: string) => `${v} ★`) => Array.from({ length: n }, (_, i) => ({ value: String(i + 1), label: label(String(i + 1)), answered: 'ok' }));

  it('five options are one action row of five secondary buttons carrying c|<id>|<value>', () => {
    expect(choiceComponents({ id: 'abc', options: options(5) })).toEqual([
      { type: 1, components: ['1', '2', '3', '4', '5'].map((v) => ({ type: 2, style: 2, label: `${v} ★`, custom_id: `c|abc|${v}` })) },
    ]);
  });

  it('more than five wrap into rows of five; captions are cut to 80 characters', () => {
    const rows = choiceComponents({ id: 'abc', options: options(7, () => '★'.repeat(100)) });
    expect(rows.map((r) => r.components.length)).toEqual([5, 2]);
    expect([...rows[0]!.components[0]!.label!]).toHaveLength(80);
  });

  it('none, or more than Discord can show (25), is a permanent error', () => {
    expect(() => choiceComponents({ id: 'abc', options: [] })).toThrow(PermanentChannelError);
    expect(() => choiceComponents({ id: 'abc', options: options(26) })).toThrow(PermanentChannelError);
  });
});
