import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/ui/inbox/src/api.js';
import { escalateErrorText, escalationDetail, isUrgentCase } from '../../../src/ui/inbox/src/escalation.js';
import { makeTranslate } from '../../../src/ui/inbox/src/i18n.js';
import type { Agent, Escalation } from '../../../src/ui/inbox/src/types.js';

const en = makeTranslate('en');
const zh = makeTranslate('zh');
const sue: Agent = { id: 'a-sue', email: 'sue@example.com', name: 'Sue Park', role: 'agent', active: true, createdAt: '2027-01-01T00:00:00.000Z' };
const at = '2027-03-01T10:00:00.000Z';

describe('the escalation banner says who escalated it to whom, at which level, and why', () => {
  it('an agent’s escalation names the supervisor from the agents list and the reason, in English and Chinese', () => {
    const escalation: Escalation = { level: 1, reason: 'complaint', at, by: 'Ana', assignedTo: sue.id };
    expect(isUrgentCase(escalation)).toBe(false);
    expect(escalationDetail(escalation, [sue], en)).toBe('to Sue Park by Ana: a complaint');
    expect(escalationDetail(escalation, [sue], zh)).toBe('由 Ana 升级给 Sue Park：投诉');
    expect(en('escalation.level', { level: escalation.level })).toBe('Escalated · level 1');
    expect(zh('escalation.level', { level: escalation.level })).toBe('已升级 · 第 1 级');
  });

  it('a missed service level escalates in the desk’s name; a supervisor the list does not know yet is shown by id', () => {
    const escalation: Escalation = { level: 2, reason: 'sla-breach', at, by: 'desk.sla', assignedTo: 'a-new' };
    expect(escalationDetail(escalation, [sue], en)).toBe('to Agent a-new by Service levels: a service-level target was missed');
    expect(escalationDetail(escalation, [sue], zh)).toBe('由 服务级别 升级给 客服 a-new：未达到服务级别目标');
  });

  it('wallet safety’s urgent cases reach nobody in particular: they keep their own banner', () => {
    expect(isUrgentCase({ level: 1, reason: 'triage', at, by: 'desk.safety', assignedTo: null })).toBe(true);
    expect(isUrgentCase({ level: 1, reason: 'secret-exposed', at, by: 'desk.safety' })).toBe(true);
  });
});

describe('a refused escalation is explained', () => {
  it('nobody above: with a team, its supervisors are missing; without one, it needs a team first', () => {
    const refused = new ApiError(409, 'no_supervisor', "nobody to escalate to: the conversation's team (or the team above) has no supervisor");
    expect(escalateErrorText(refused, { teamId: 't-1' }, en)).toMatch(/^Nobody to escalate to: this conversation’s team has no supervisor above/);
    expect(escalateErrorText(refused, { teamId: null }, en)).toBe('Nobody to escalate to: this conversation has no team. Move it to a team first.');
    expect(escalateErrorText(refused, { teamId: 't-1' }, zh)).toMatch(/^无人可升级/);
  });

  it('someone else escalated it first: say so rather than the server’s English', () => {
    expect(escalateErrorText(new ApiError(409, 'conflict', 'the conversation was escalated meanwhile; look again'), { teamId: 't-1' }, zh)).toBe(zh('escalate.meanwhile'));
  });
});
