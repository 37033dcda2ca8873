import { describe, expect, it } from 'vitest';
import { evaluate, type Facts } from '../../../../src/desk/automation/conditions.js';
import { createRegexRunner } from '../../../../src/desk/automation/regex.js';
import { Condition, RuleInput } from '../../../../src/desk/automation/rule.js';

const conversation = {
  id: 'c1', channelId: 'web', channelKind: 'webchat', status: 'open', priority: 'normal', assigneeId: null, labels: ['vip'], subject: null,
  contact: { id: 'k', name: 'Ana Li', email: 'ana@corp.example', identities: [{ channelId: 'web', externalId: 'v' }], userId: null },
} as unknown as Facts['conversation'];
const message = { text: 'My wallet was STOLEN', author: { type: 'contact', id: 'k', name: 'Ana' }, private: false } as unknown as Facts['message'];
const facts: Facts = { conversation, message, businessHours: true };
const regex = createRegexRunner(50);
const run = (conditions: unknown[], f: Facts = facts) => evaluate(Condition.array().parse(conditions), f, regex, true);

describe('the automation condition evaluator', () => {
  it('text contains any word ignoring case; regex matches; author, channel, label, contact, business hours', () => {
    expect(run([{ kind: 'textContains', words: ['hacked', 'stolen'] }]).matched).toBe(true);
    expect(run([{ kind: 'textContains', words: ['refund'] }]).matched).toBe(false);
    expect(run([{ kind: 'textMatches', pattern: 'wal+et' }]).matched).toBe(true);
    expect(run([{ kind: 'author', in: ['agent'] }]).matched).toBe(false);
    expect(run([{ kind: 'channel', in: ['webchat'] }, { kind: 'label', op: 'has', label: 'vip' }, { kind: 'contact', field: 'email', op: 'endsWith', value: '@CORP.example' }]).matched).toBe(true);
    expect(run([{ kind: 'identified', value: true }]).matched).toBe(false);
    expect(run([{ kind: 'businessHours', when: 'outside' }]).matched).toBe(false);
    expect(run([{ kind: 'rating', op: 'lte', value: 2 }], { ...facts, rating: 1 }).matched).toBe(true);
  });

  it('all must hold, an any group needs one; each outcome is reported', () => {
    const result = run([{ kind: 'priority', in: ['urgent'] }, { kind: 'any', conditions: [{ kind: 'label', op: 'has', label: 'x' }, { kind: 'status', in: ['open'] }] }]);
    expect(result).toEqual({ matched: false, outcomes: [false, true], timedOut: false });
  });

  it('a catastrophic pattern times out and counts as no match', () => {
    const result = run([{ kind: 'textMatches', pattern: '(a+)+$', ignoreCase: false }], { ...facts, message: { ...message!, text: `${'a'.repeat(40)}!` } });
    expect(result).toEqual({ matched: false, outcomes: ['timeout'], timedOut: true });
  });

  it('a rule refuses conditions its event cannot have, naming the field', () => {
    const parsed = RuleInput.safeParse({ name: 'r', event: 'csat.received', conditions: [{ kind: 'author', in: ['customer'] }], actions: [{ type: 'resolve' }] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['conditions', 0, 'kind']);
  });
});
