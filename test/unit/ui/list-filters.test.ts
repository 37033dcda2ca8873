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
  contact: { id: 'k-1', name: 'Chen Wei', identities: [], userId: null },
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
  handledBy: 'agent',
  handoff: null,
  botId: null,
  ...over,
});
const any: ConversationFilters = { status: '', channel: '', assignee: '', priority: '', label: '', q: '', sla: '', team: '', escalated: false, csat: '' };
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

/** The API's `csat` filter (src/store/conversations.ts): by the newest answer, low = 1–2, high = 4–5. */
describe('the CSAT filter takes in and lets go of live conversations as the API lists them', () => {
  const rated = (rating: number) => conversation({ status: 'resolved', csat: { rating, comment: null, ratedAt: at, via: 'tap' } });

  it('rated keeps every rated conversation, whatever the score; not rated only those without an answer', () => {
    for (const rating of [1, 2, 3, 4, 5]) {
      expect(keeps(rated(rating), { csat: 'rated' })).toBe(true);
      expect(keeps(rated(rating), { csat: 'unrated' })).toBe(false);
    }
    expect(keeps(conversation(), { csat: 'rated' })).toBe(false);
    expect(keeps(conversation(), { csat: 'unrated' })).toBe(true);
  });

  it('low is 1 and 2, high is 4 and 5; 3 is neither, and an unrated conversation is in no score view', () => {
    expect([1, 2, 3, 4, 5].filter((n) => keeps(rated(n), { csat: 'low' }))).toEqual([1, 2]);
    expect([1, 2, 3, 4, 5].filter((n) => keeps(rated(n), { csat: 'high' }))).toEqual([4, 5]);
    for (const filter of ['low', 'high', '1', '3', '5'] as const) expect(keeps(conversation(), { csat: filter })).toBe(false);
  });

  it('a single score keeps exactly that score', () => {
    expect([1, 2, 3, 4, 5].filter((n) => keeps(rated(n), { csat: '3' }))).toEqual([3]);
    expect([1, 2, 3, 4, 5].filter((n) => keeps(rated(n), { csat: '5' }))).toEqual([5]);
  });

  it('a low score that reopened the conversation stays in Low beside the other filters (open, the supervisor’s)', () => {
    const reopened = conversation({ status: 'open', assigneeId: 'a-me', labels: ['low-rating'], csat: { rating: 1, comment: 'Too slow', ratedAt: at, via: 'tap' } });
    expect(keeps(reopened, { csat: 'low', status: 'open', assignee: 'me' })).toBe(true);
    expect(keeps(reopened, { csat: 'low', label: 'low-rating' })).toBe(true);
    expect(keeps(reopened, { csat: 'high' })).toBe(false);
    expect(keeps(reopened, { csat: 'low', status: 'resolved' })).toBe(false);
  });

  it('a rating arriving live moves a conversation from Not rated into Rated', () => {
    const before = conversation({ status: 'resolved' });
    const after = { ...before, csat: { rating: 4, comment: null, ratedAt: at, via: 'tap' as const } };
    expect([keeps(before, { csat: 'unrated' }), keeps(after, { csat: 'unrated' })]).toEqual([true, false]);
    expect([keeps(before, { csat: 'high' }), keeps(after, { csat: 'high' })]).toEqual([false, true]);
  });
});
