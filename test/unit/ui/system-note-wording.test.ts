import { describe, expect, it } from 'vitest';
import type { SystemNote, SystemNoteType } from '../../../src/domain/system-note.js';
import { makeTranslate, translateSystemNote } from '../../../src/ui/inbox/src/i18n.js';

const by = 'Mei Chen';
/** One note of every type (the compiler asks for a new one here), with channel events of every kind. */
const samples = {
  assigned: [{ type: 'assigned', params: { by, assignee: 'Li Lei' } }],
  took: [{ type: 'took', params: { by } }],
  unassigned: [{ type: 'unassigned', params: { by } }],
  snoozed: [{ type: 'snoozed', params: { by, until: '2027-02-10T01:00:00.000Z' } }],
  opened: [{ type: 'opened', params: { by } }],
  reopened: [{ type: 'reopened', params: { by } }],
  pending: [{ type: 'pending', params: { by } }],
  resolved: [{ type: 'resolved', params: { by } }],
  priority: [{ type: 'priority', params: { by, priority: 'urgent' } }],
  labels: [{ type: 'labels', params: { by, labels: 'refund, kyc' } }],
  'labels-cleared': [{ type: 'labels-cleared', params: { by } }],
  escalated: [
    { type: 'escalated', params: { by: 'desk.safety', reason: 'secret-exposed' } },
    { type: 'escalated', params: { by, reason: 'triage' } },
    { type: 'escalated', params: { by, reason: 'complaint', assignee: 'Li Lei', level: '1' } },
    { type: 'escalated', params: { by: 'desk.sla', reason: 'sla-breach', assignee: 'Li Lei', level: '2' } },
  ],
  team: [{ type: 'team', params: { by, team: 'VIP desk' } }],
  'team-cleared': [{ type: 'team-cleared', params: { by } }],
  'sla-breached': [
    { type: 'sla-breached', params: { by: 'desk.sla', metric: 'firstResponse', policy: 'default' } },
    { type: 'sla-breached', params: { by: 'desk.sla', metric: 'resolution', policy: 'urgent' } },
  ],
  'csat-rated': [
    { type: 'csat-rated', params: { by: 'desk.csat', rating: '4', via: 'tap' } },
    { type: 'csat-rated', params: { by: 'desk.csat', rating: '2', via: 'link' } },
  ],
  'csat-comment': [{ type: 'csat-comment', params: { by: 'desk.csat' } }],
  'csat-low': [
    { type: 'csat-low', params: { by: 'desk.csat', rating: '1', assignee: 'Li Lei' } },
    { type: 'csat-low', params: { by: 'desk.csat', rating: '2' } },
  ],
  'bot-answered': [{ type: 'bot-answered', params: { by: 'desk.bot', article: 'Where is my transfer?' } }],
  'bot-solved': [{ type: 'bot-solved', params: { by: 'desk.bot', article: '转账未到账怎么办' } }],
  'handed-off': [
    { type: 'handed-off', params: { by: 'desk.bot', reason: 'asked' } },
    { type: 'handed-off', params: { by: 'desk.bot', reason: 'no-answer' } },
    { type: 'handed-off', params: { by: 'desk.bot', reason: 'urgent' } },
    { type: 'handed-off', params: { by: 'Li Lei', reason: 'taken-over' } },
    { type: 'handed-off', params: { by: 'desk.bot', reason: 'unsolved' } },
  ],
  'contact-merged': [{ type: 'contact-merged', params: { by: 'Li Lei', merge: 'm-1', other: 'Customer 42' } }],
  'contact-unmerged': [{ type: 'contact-unmerged', params: { by: 'Li Lei', merge: 'm-1', other: 'Customer 42' } }],
  'contact-linked': [{ type: 'contact-linked', params: { by: 'desk.identity', userId: 'u-1001' } }],
  'channel-event': [
    { type: 'channel-event', params: { event: 'blocked' } },
    { type: 'channel-event', params: { event: 'unblocked' } },
    { type: 'channel-event', params: { event: 'subscribed' } },
    { type: 'channel-event', params: { event: 'subscribed', detail: 'qrscene_spring' } },
    { type: 'channel-event', params: { event: 'unsubscribed' } },
    { type: 'channel-event', params: { event: 'menu', detail: 'FAQ_WITHDRAW' } },
    { type: 'channel-event', params: { event: 'other', detail: 'SCAN spring' } },
  ],
} satisfies { [T in SystemNoteType]: Extract<SystemNote, { type: T }>[] };

const STORED = 'stored English sentence';
/** Names and platform details appear as they are; enum values and times are translated or formatted. */
const freeText = (note: SystemNote): string[] =>
  Object.entries(note.params)
    .filter(([key, value]) => ['by', 'assignee', 'labels', 'detail', 'team', 'article', 'other', 'userId'].includes(key) && !String(value).startsWith('desk.'))
    .map(([, value]) => value);
const notes: SystemNote[] = Object.values(samples).flat();

describe('system lines in the inbox are worded from their type and params', () => {
  for (const lang of ['en', 'zh'] as const) {
    const t = makeTranslate(lang);
    it(`every note type has its own ${lang} wording with every placeholder filled`, () => {
      for (const note of notes) {
        const shown = translateSystemNote({ text: STORED, system: note }, t, lang);
        expect(shown, JSON.stringify(note)).not.toBe(STORED);
        expect(shown, JSON.stringify(note)).not.toMatch(/\{\w+\}/);
        for (const value of freeText(note)) expect(shown).toContain(value);
      }
    });
  }

  it('the Chinese wording names the agent and translates the enum values', () => {
    const t = makeTranslate('zh');
    expect(translateSystemNote({ text: STORED, system: samples.priority[0] }, t, 'zh')).toBe('Mei Chen 将优先级设为紧急');
    expect(translateSystemNote({ text: STORED, system: samples['channel-event'][0] }, t, 'zh')).toBe('客户屏蔽了机器人');
    expect(translateSystemNote({ text: STORED, system: samples.escalated[0] }, t, 'zh')).toBe('钱包安全 升级了此会话：助记词或私钥已泄露');
  });

  it('a line without a note, or of a type this inbox does not know yet, shows its stored text', () => {
    const t = makeTranslate('zh');
    expect(translateSystemNote({ text: STORED, system: null }, t, 'zh')).toBe(STORED);
    expect(translateSystemNote({ text: STORED }, t, 'zh')).toBe(STORED);
    const future = { type: 'a-later-type', params: { metric: 'firstResponse' } } as unknown as SystemNote;
    expect(translateSystemNote({ text: STORED, system: future }, t, 'zh')).toBe(STORED);
    const menuWithoutDetail: SystemNote = { type: 'channel-event', params: { event: 'menu' } };
    expect(translateSystemNote({ text: 'Menu click: ', system: menuWithoutDetail }, t, 'zh')).toBe('Menu click: ');
  });
});
