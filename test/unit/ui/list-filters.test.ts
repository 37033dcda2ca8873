import { describe, expect, it } from 'vitest';
import type { Conversation, ConversationFilters } from '../../../src/ui/inbox/src/types.js';
import { matchesFilters } from '../../../src/ui/inbox/src/util.js';

const at = '2027-03-01T10:00:00.000Z';
const conversation = (over: Partial<Conversation> = {}): Conversation => ({
  id: 'c-1',
  channelId: 'web',
  channelKind: 'webchat',
  status: 'open',
  priority: 'normal',
  assigneeId: null,
  labels: [],
  subject: null,
  contact: { id: 'k-1', name: 'Chen Wei', identities: [] },
  createdAt: at,
  lastMessageAt: at,
  firstResponseAt: null,
  resolvedAt: null,
  snoozedUntil: null,
  replyWindowEndsAt: null,
  lastInboundAt: at,
  lastMessagePreview: 'hello',
  waitingSince: at,
  customerUnreachable: null,
  escalation: null,
  teamId: null,
  sla: null,
  csat: null,
  ...over,
});
const any: ConversationFilters = { status: '', channel: '', assignee: '', priority: '', label: '', q: '', sla: '', team: '', escalated: false };
const keeps = (c: Conversation, filters: Partial<ConversationFilters>) => matchesFilters(c, { ...any, ...filters }, 'a-me', false);

/** Live events are rechecked in the browser by the API's rules (src/store/conversations.ts: team_id, escalation is not null). */
describe('the team filter and the Escalated view take in and let go of live conversations as the API lists them', () => {
  it('team=<id> keeps that team’s conversations only; team=none those without a team', () => {
    expect(keeps(conversation({ teamId: 't-1' }), { team: 't-1' })).toBe(true);
    expect(keeps(conversation({ teamId: 't-2' }), { team: 't-1' })).toBe(false);
    expect(keeps(conversation({ teamId: null }), { team: 't-1' })).toBe(false);
    expect(keeps(conversation({ teamId: null }), { team: 'none' })).toBe(true);
    expect(keeps(conversation({ teamId: 't-1' }), { team: 'none' })).toBe(false);
    expect(keeps(conversation({ teamId: 't-1' }), {})).toBe(true);
  });

  it('the Escalated view keeps every escalated conversation — to a supervisor, and wallet safety’s urgent cases — and nothing else', () => {
    const toSue = conversation({ escalation: { level: 1, reason: 'complaint', at, by: 'Ana', assignedTo: 'a-sue' } });
    const urgent = conversation({ escalation: { level: 1, reason: 'triage', at, by: 'desk.safety', assignedTo: null } });
    expect(keeps(toSue, { escalated: true })).toBe(true);
    expect(keeps(urgent, { escalated: true })).toBe(true);
    expect(keeps(conversation(), { escalated: true })).toBe(false);
    // With the other filters as usual: a supervisor's own escalated conversations.
    expect(keeps(conversation({ ...toSue, assigneeId: 'a-me' }), { escalated: true, assignee: 'me', status: 'open' })).toBe(true);
    expect(keeps(toSue, { escalated: true, assignee: 'me' })).toBe(false);
  });
});
