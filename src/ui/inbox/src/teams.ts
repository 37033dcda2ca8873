import { ApiError } from './api.js';
import type { Translate } from './i18n.js';
import { channelKinds, type Agent, type Channel, type ChannelKind, type Team, type TeamBody } from './types.js';
import { errorText } from './util.js';

/**
 * The Teams page's rules as pure functions (src/desk/teams/api.ts is the contract): what the form
 * sends, which parents a team may have, how a team's channel entries read, and which field an
 * API error belongs to.
 */

export type TeamField = 'name' | 'supervisorId' | 'parentId' | 'members' | 'channels' | 'autoAssign';
const fields: readonly TeamField[] = ['name', 'supervisorId', 'parentId', 'members', 'channels', 'autoAssign'];

/** The form as the admin edits it: capacities as typed, so a half-typed number is not lost. */
export interface TeamForm {
  name: string;
  supervisorId: string;
  parentId: string;
  autoAssign: boolean;
  /** Members in the order they were ticked, with the capacity as typed. */
  members: { agentId: string; capacity: string }[];
  channels: string[];
}

/** The server's default capacity (TeamMember in src/desk/teams/api.ts). */
export const DEFAULT_CAPACITY = 5;
export const MAX_CAPACITY = 1000;

export const emptyTeamForm = (): TeamForm => ({ name: '', supervisorId: '', parentId: '', autoAssign: true, members: [], channels: [] });

export function formOfTeam(team: Team): TeamForm {
  return {
    name: team.name,
    supervisorId: team.supervisorId ?? '',
    parentId: team.parentId ?? '',
    autoAssign: team.autoAssign,
    members: team.members.map((m) => ({ agentId: m.agentId, capacity: String(m.capacity) })),
    channels: [...team.channels],
  };
}

export type FormProblem = { field: TeamField; key: 'teams.nameRequired' | 'teams.capacityInvalid' };

/** The body to send, or the first problem the API would refuse it for (checked here to say it at the field). */
export function teamBody(form: TeamForm): { body: TeamBody } | { problem: FormProblem } {
  const name = form.name.trim();
  if (!name) return { problem: { field: 'name', key: 'teams.nameRequired' } };
  const members: { agentId: string; capacity: number }[] = [];
  for (const member of form.members) {
    const text = member.capacity.trim();
    const capacity = Number(text);
    if (!/^\d+$/u.test(text) || capacity > MAX_CAPACITY) return { problem: { field: 'members', key: 'teams.capacityInvalid' } };
    members.push({ agentId: member.agentId, capacity });
  }
  return {
    body: {
      name,
      supervisorId: form.supervisorId || null,
      parentId: form.parentId || null,
      channels: [...new Set(form.channels)],
      autoAssign: form.autoAssign,
      members,
    },
  };
}

/**
 * Teams that may be the parent of `teamId`: not itself and none below it (escalation walks up the
 * parents; the API refuses a loop). Every team when creating one.
 */
export function parentChoices(teams: readonly Team[], teamId: string | null): Team[] {
  if (!teamId) return [...teams];
  const below = new Set<string>([teamId]);
  // Grow the set of teams under `teamId` until nothing more joins (any order, cycles included).
  for (let grew = true; grew; ) {
    grew = false;
    for (const team of teams) {
      if (!below.has(team.id) && team.parentId !== null && below.has(team.parentId)) {
        below.add(team.id);
        grew = true;
      }
    }
  }
  return teams.filter((team) => !below.has(team.id));
}

export type ChannelEntry = { value: string; type: 'channel'; channel: Channel } | { value: string; type: 'kind'; kind: ChannelKind } | { value: string; type: 'unknown' };

const isKind = (value: string): value is ChannelKind => (channelKinds as readonly string[]).includes(value);

/** What a team's `channels` entry names: a configured channel (by id), every channel of a kind, or neither any more. */
export function channelEntry(value: string, channels: readonly Channel[]): ChannelEntry {
  const channel = channels.find((c) => c.id === value);
  if (channel) return { value, type: 'channel', channel };
  if (isKind(value)) return { value, type: 'kind', kind: value };
  return { value, type: 'unknown' };
}

export function channelEntryLabel(entry: ChannelEntry, t: Translate): string {
  if (entry.type === 'channel') return entry.channel.name;
  if (entry.type === 'kind') return t('teams.kindAll', { kind: t(`kind.${entry.kind}`) });
  return t('teams.unknownChannel', { id: entry.value });
}

/** The kinds the form offers: those of the configured channels, and any the team already lists. */
export function offeredKinds(channels: readonly Channel[], listed: readonly string[]): ChannelKind[] {
  const wanted = new Set<string>([...channels.map((c) => c.kind), ...listed.filter(isKind)]);
  return channelKinds.filter((kind) => wanted.has(kind));
}

/** The agents the member list and the supervisor menu offer: active ones, plus any the team already names. */
export function offeredAgents(agents: readonly Agent[], form: Pick<TeamForm, 'supervisorId' | 'members'>): Agent[] {
  const named = new Set([form.supervisorId, ...form.members.map((m) => m.agentId)]);
  return agents.filter((agent) => agent.active || named.has(agent.id));
}

/**
 * Where an API refusal belongs: the API names the field first (`members.0.capacity: …`,
 * `supervisorId: no agent …`; src/http/errors.ts), and 409 is a duplicate name.
 */
export function teamErrorOf(error: unknown, t: Translate): { field: TeamField | null; text: string } {
  if (error instanceof ApiError && error.status === 409) return { field: 'name', text: t('teams.nameTaken') };
  if (error instanceof ApiError && error.status === 400) {
    const match = /^([A-Za-z]+)[\w.]*: (.+)$/su.exec(error.message);
    const field = match && (fields as readonly string[]).includes(match[1]!) ? (match[1] as TeamField) : null;
    if (field === 'parentId' && /itself/u.test(error.message)) return { field, text: t('teams.parentLoop') };
    if (field && match) return { field, text: match[2]! };
  }
  return { field: null, text: errorText(error, t) };
}
