import { describe, expect, it } from 'vitest';
import { TeamBody } from '../../../src/desk/teams/api.js';
import { ApiError } from '../../../src/ui/inbox/src/api.js';
import { makeTranslate } from '../../../src/ui/inbox/src/i18n.js';
import {
  channelEntry,
  channelEntryLabel,
  emptyTeamForm,
  formOfTeam,
  offeredAgents,
  offeredKinds,
  parentChoices,
  teamBody,
  teamErrorOf,
} from '../../../src/ui/inbox/src/teams.js';
import type { Agent, Channel, Team } from '../../../src/ui/inbox/src/types.js';

const en = makeTranslate('en');
const zh = makeTranslate('zh');

const channel = (id: string, kind: Channel['kind'], name: string): Channel => ({
  id,
  kind,
  name,
  status: 'ok',
  error: null,
  checkedAt: null,
  capabilities: { maxTextLength: 4096, formats: ['text'], attachments: true, replyWindowHours: null },
});
const agent = (id: string, active = true): Agent => ({ id, email: `${id}@example.com`, name: id.toUpperCase(), role: 'agent', active, createdAt: '2027-01-01T00:00:00.000Z' });
const team = (id: string, parentId: string | null, over: Partial<Team> = {}): Team => ({ id, name: id, supervisorId: null, parentId, channels: [], autoAssign: true, members: [], ...over });

describe('the team form sends what the API takes', () => {
  it('a filled form becomes a body the server’s own TeamInput schema accepts unchanged', () => {
    const form = { ...emptyTeamForm(), name: '  Support  ', supervisorId: 'sue', members: [{ agentId: 'ana', capacity: '3' }, { agentId: 'bo', capacity: '0' }], channels: ['web', 'telegram', 'web'] };
    const result = teamBody(form);
    expect(result).toEqual({
      body: { name: 'Support', supervisorId: 'sue', parentId: null, autoAssign: true, channels: ['web', 'telegram'], members: [{ agentId: 'ana', capacity: 3 }, { agentId: 'bo', capacity: 0 }] },
    });
    if (!('body' in result)) throw new Error('no body');
    expect(TeamBody.parse(result.body)).toEqual(result.body);
  });

  it('an empty name or a capacity that is not a whole number from 0 to 1000 is caught at its field before sending', () => {
    expect(teamBody({ ...emptyTeamForm(), name: '   ' })).toEqual({ problem: { field: 'name', key: 'teams.nameRequired' } });
    for (const capacity of ['', '2.5', '-1', '1001', 'five']) {
      expect(teamBody({ ...emptyTeamForm(), name: 'Support', members: [{ agentId: 'ana', capacity }] })).toEqual({ problem: { field: 'members', key: 'teams.capacityInvalid' } });
    }
    expect(teamBody({ ...emptyTeamForm(), name: 'Support', members: [{ agentId: 'ana', capacity: '1000' }] })).toHaveProperty('body');
  });

  it('editing starts from the team as stored, capacities as text', () => {
    const stored = team('t1', 't0', { name: 'VIP', supervisorId: 'sue', autoAssign: false, channels: ['email'], members: [{ agentId: 'ana', capacity: 7, online: true }] });
    expect(formOfTeam(stored)).toEqual({ name: 'VIP', supervisorId: 'sue', parentId: 't0', autoAssign: false, channels: ['email'], members: [{ agentId: 'ana', capacity: '7' }] });
  });
});

describe('parents, channels and people the form offers', () => {
  it('a team cannot be put under itself or any team below it, however deep; a new team may go under any', () => {
    const teams = [team('top', null), team('mid', 'top'), team('leaf', 'mid'), team('other', 'top'), team('deep', 'leaf')];
    expect(parentChoices(teams, 'mid').map((t) => t.id)).toEqual(['top', 'other']);
    expect(parentChoices(teams, 'top').map((t) => t.id)).toEqual([]);
    expect(parentChoices(teams, null).map((t) => t.id)).toEqual(['top', 'mid', 'leaf', 'other', 'deep']);
  });

  it('a channel entry is a configured channel by id, else every channel of a kind, else one no longer configured', () => {
    const channels = [channel('web', 'webchat', 'Website chat'), channel('tg-vip', 'telegram', 'VIP bot')];
    expect(channelEntryLabel(channelEntry('tg-vip', channels), en)).toBe('VIP bot');
    expect(channelEntryLabel(channelEntry('telegram', channels), en)).toBe('Every Telegram channel');
    expect(channelEntryLabel(channelEntry('telegram', channels), zh)).toBe('所有Telegram渠道');
    expect(channelEntryLabel(channelEntry('old-mail', channels), en)).toBe('old-mail (not configured)');
    // Kinds on offer: the configured ones, plus any the team already lists.
    expect(offeredKinds(channels, ['email'])).toEqual(['webchat', 'email', 'telegram']);
  });

  it('deactivated agents are offered only when the team already names them', () => {
    const agents = [agent('ana'), agent('old', false), agent('gone', false)];
    expect(offeredAgents(agents, { supervisorId: 'gone', members: [] }).map((a) => a.id)).toEqual(['ana', 'gone']);
    expect(offeredAgents(agents, { supervisorId: '', members: [{ agentId: 'old', capacity: '2' }] }).map((a) => a.id)).toEqual(['ana', 'old']);
  });
});

describe('API refusals land at the field they name', () => {
  it('the field comes from the start of the message, nested paths included; a duplicate name and a parent loop are worded here', () => {
    expect(teamErrorOf(new ApiError(400, 'validation', 'members.0.capacity: Too big: expected number to be <=1000'), en)).toEqual({ field: 'members', text: 'Too big: expected number to be <=1000' });
    expect(teamErrorOf(new ApiError(400, 'validation', 'supervisorId: no agent a-9'), en)).toEqual({ field: 'supervisorId', text: 'no agent a-9' });
    expect(teamErrorOf(new ApiError(409, 'conflict', 'a team with this name exists'), zh)).toEqual({ field: 'name', text: '已有同名团队。' });
    expect(teamErrorOf(new ApiError(400, 'validation', 'parentId: a team cannot be above itself'), en)).toEqual({ field: 'parentId', text: 'A team cannot be placed under itself or a team below it.' });
  });

  it('anything else is the form’s error, worded as every API error is', () => {
    expect(teamErrorOf(new ApiError(400, 'malformed_json', 'malformed JSON: x'), en)).toEqual({ field: null, text: 'malformed JSON: x' });
    expect(teamErrorOf(new ApiError(403, 'forbidden', 'admins only'), en)).toEqual({ field: null, text: 'You are not allowed to do this.' });
    expect(teamErrorOf(new ApiError(0, 'network', 'network error'), en).field).toBeNull();
  });
});
