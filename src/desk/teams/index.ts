import { z } from 'zod';
import { ApiError } from '../../api/errors.js';
import type { Implementation } from '../../api/handler.js';
import type { DomainEvent } from '../../domain/events.js';
import { sendAutomatic } from '../../inbox/send-automatic.js';
import { activeAgentName, agentRows } from '../../store/agents.js';
import { getConversation } from '../../store/conversations.js';
import { isUniqueViolation } from '../../store/database.js';
import type { Escalation } from '../../store/schema.js';
import {
  assignWaiting,
  deleteTeam,
  escalationRow,
  getTeam,
  insertTeam,
  listTeams,
  placeInTeams,
  raiseEscalation,
  setConversationTeam,
  type TeamInput,
  type TeamRecord,
  teamsOfAgent,
  teamsWithWaiting,
  updateTeam,
} from '../../store/teams.js';
import { defineDeskFeature } from '../feature.js';
import { flag } from '../settings-types.js';
import { teamRoutes } from './api.js';
import { managerTookOver, nextLevel } from './escalation.js';
import { roundRobin } from './routing.js';
import { customerLanguage } from '../customer-language.js';

/** How long a process trusts its copy of the teams (an edit here refreshes it at once). */
const TEAMS_TTL_MS = 5_000;
const MAX_TRIGGERS = 20;

/**
 * Teams, routing and escalation (issue 14): teams of agents under a supervisor; new conversations
 * join the team that takes their channel and are handed round-robin to its online members under
 * their capacity; an agent escalates with a reason to the team's supervisor (and further up), and
 * a breached service level escalates by itself one level. The customer is told in their language
 * when a manager takes over.
 */
export const teams = defineDeskFeature({
  name: 'teams',
  settings: z.object({
    /** A breached SLA target escalates the conversation one level (to the team's supervisor first). */
    escalateOnBreach: flag.default(true),
  }),
  contract: teamRoutes,
  create(context, settings) {
    let cached: { at: number; teams: TeamRecord[] } | undefined;
    const allTeams = async (): Promise<TeamRecord[]> => {
      if (!cached || Date.now() - cached.at > TEAMS_TTL_MS) cached = { at: Date.now(), teams: await listTeams(context.inbox().db) };
      return cached.teams;
    };
    const forget = (): void => {
      cached = undefined;
    };

    const assign = async (teamId: string): Promise<void> => {
      const deps = context.inbox();
      const online = await context.presence.online();
      const batch = await assignWaiting(deps.db, teamId, (turn, waiting) => roundRobin({ ...turn, online }, waiting), new Date());
      await deps.dispatcher.dispatch([batch]);
    };
    const assignAll = async (teamIds: Iterable<string>): Promise<void> => {
      const waiting = await teamsWithWaiting(context.inbox().db, [...new Set(teamIds)]);
      for (const teamId of waiting) await assign(teamId);
    };

    /** Raises the escalation one level; undefined when nobody is above (or another escalation won twice). */
    const escalateOnce = async (
      conversationId: string,
      reason: string,
      author: { id: string; name: string },
      trigger?: string,
    ): Promise<'escalated' | 'no_supervisor' | 'already' | 'not_found'> => {
      const deps = context.inbox();
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const row = await escalationRow(deps.db, conversationId);
        if (!row) return 'not_found';
        const previous = row.escalation;
        if (trigger && previous?.triggers?.includes(trigger)) return 'already';
        const links = new Map((await allTeams()).map((t) => [t.id, t]));
        const next = nextLevel(previous, row.team_id, links);
        if (!next) return 'no_supervisor';
        const at = new Date();
        const supervisor = (await activeAgentName(deps.db, next.to)) ?? next.to;
        const escalation: Escalation = {
          level: next.level,
          reason,
          at: at.toISOString(),
          by: author.name,
          to: next.to,
          ...(trigger || previous?.triggers ? { triggers: [...(previous?.triggers ?? []), ...(trigger ? [trigger] : [])].slice(-MAX_TRIGGERS) } : {}),
        };
        const batch = await raiseEscalation(
          deps.db,
          { conversationId, channelId: row.channel_id },
          previous,
          escalation,
          {
            note: { type: 'escalated', params: { by: author.name, reason, assignee: supervisor, level: String(next.level) } },
            text: `${author.name} escalated the conversation (level ${next.level}, ${reason}) to ${supervisor}`,
          },
          author,
          at,
        );
        if (batch === 'conflict') continue;
        await deps.dispatcher.dispatch([batch]);
        const lang = await customerLanguage(deps.db, conversationId);
        await sendAutomatic(
          deps,
          {
            conversationId,
            channelId: row.channel_id,
            feature: 'teams',
            authorName: 'Support',
            text: managerTookOver(lang),
            key: `${conversationId}:escalated:${next.level}`,
          },
          row.unreachable_reason !== null,
        );
        return 'escalated';
      }
      return 'already';
    };

    const validTeam = async (body: TeamInput, id?: string): Promise<void> => {
      // People only: an agent bot (issue 18) is never a member or a supervisor.
      const agents = new Set((await agentRows(context.inbox().db)).filter((a) => a.role !== 'bot').map((a) => a.id));
      if (body.supervisorId && !agents.has(body.supervisorId)) throw new ApiError(400, 'validation', `supervisorId: no agent ${body.supervisorId}`);
      const unknown = body.members.find((m) => !agents.has(m.agentId));
      if (unknown) throw new ApiError(400, 'validation', `members: no agent ${unknown.agentId}`);
      if (body.parentId) {
        forget();
        const links = new Map((await allTeams()).map((t) => [t.id, t]));
        if (!links.has(body.parentId)) throw new ApiError(400, 'validation', `parentId: no team ${body.parentId}`);
        for (let at: string | null = body.parentId, steps = 0; at; at = links.get(at)?.parentId ?? null, steps += 1) {
          if (at === id || steps > links.size) throw new ApiError(400, 'validation', 'parentId: a team cannot be above itself');
        }
      }
    };
    const teamView = async (team: TeamRecord) => {
      const online = await context.presence.online();
      return { ...team, channels: [...team.channels], members: team.members.map((m) => ({ ...m, online: online.has(m.agentId) })) };
    };
    const saved = async (write: () => Promise<string | undefined>): Promise<TeamRecord> => {
      let id: string | undefined;
      try {
        id = await write();
      } catch (error) {
        if (isUniqueViolation(error)) throw new ApiError(409, 'conflict', 'a team with this name exists');
        throw error;
      }
      forget();
      const team = id ? await getTeam(context.inbox().db, id) : undefined;
      if (!team) throw new ApiError(404, 'not_found', 'team not found');
      await assignAll([team.id]);
      return team;
    };

    const api: Implementation<typeof teamRoutes> = {
      contract: teamRoutes,
      json: { limit: '64kb', beforeAuth: false },
      handlers: {
        async listTeams() {
          const online = await context.presence.online();
          forget();
          return { items: (await allTeams()).map((t) => ({ ...t, channels: [...t.channels], members: t.members.map((m) => ({ ...m, online: online.has(m.agentId) })) })) };
        },
        async createTeam({ body }) {
          await validTeam(body);
          return teamView(await saved(() => insertTeam(context.inbox().db, body)));
        },
        async updateTeam({ params, body }) {
          await validTeam(body, params.id);
          return teamView(await saved(async () => ((await updateTeam(context.inbox().db, params.id, body)) ? params.id : undefined)));
        },
        async deleteTeam({ params }) {
          const { deleted, batch } = await deleteTeam(context.inbox().db, params.id);
          if (!deleted) throw new ApiError(404, 'not_found', 'team not found');
          forget();
          await context.inbox().dispatcher.dispatch([batch]);
        },
        async setConversationTeam({ params, body, agent }) {
          const deps = context.inbox();
          const conversation = await getConversation(deps.db, params.id);
          if (!conversation) throw new ApiError(404, 'not_found', 'conversation not found');
          forget();
          const team = body.teamId ? (await allTeams()).find((t) => t.id === body.teamId) : undefined;
          if (body.teamId && !team) throw new ApiError(400, 'validation', `teamId: no team ${body.teamId}`);
          const note = team
            ? { note: { type: 'team' as const, params: { by: agent.name, team: team.name } }, text: `${agent.name} moved the conversation to the team ${team.name}` }
            : { note: { type: 'team-cleared' as const, params: { by: agent.name } }, text: `${agent.name} took the conversation out of its team` };
          const batch = await setConversationTeam(deps.db, { conversationId: conversation.id, channelId: conversation.channelId }, team?.id ?? null, note, { id: agent.id, name: agent.name }, new Date());
          await deps.dispatcher.dispatch([batch]);
          if (team) await assignAll([team.id]);
          return (await getConversation(deps.db, conversation.id))!;
        },
        async escalateConversation({ params, body, agent }) {
          const outcome = await escalateOnce(params.id, body.reason, { id: agent.id, name: agent.name });
          if (outcome === 'not_found') throw new ApiError(404, 'not_found', 'conversation not found');
          if (outcome === 'no_supervisor') throw new ApiError(409, 'no_supervisor', "nobody to escalate to: the conversation's team (or the team above) has no supervisor");
          if (outcome === 'already') throw new ApiError(409, 'conflict', 'the conversation was escalated meanwhile; look again');
          return (await getConversation(context.inbox().db, params.id))!;
        },
      },
    };

    return {
      api: { contract: teamRoutes, mount: (mounter) => mounter(api) },
      async onEvents(batches, view) {
        const events: DomainEvent[] = batches.flatMap((b) => b.events);
        const breaches = events.filter((e): e is Extract<DomainEvent, { type: 'conversation.sla_breached' }> => e.type === 'conversation.sla_breached');
        if (breaches.length > 0 && settings().escalateOnBreach) {
          for (const breach of breaches) {
            await escalateOnce(breach.conversationId, 'sla-breach', { id: 'desk.sla', name: 'desk.sla' }, `sla:${breach.metric}:${breach.at}`);
          }
        }
        if ((await allTeams()).length === 0) return;
        const touched = new Set<string>();
        const created = events.filter((e) => e.type === 'conversation.created').map((e) => e.conversationId);
        const { placed, batch } = await placeInTeams(context.inbox().db, created);
        await context.inbox().dispatcher.dispatch([batch]);
        for (const teamId of placed.values()) touched.add(teamId);
        for (const event of events) {
          if (event.type !== 'conversation.updated' && event.type !== 'conversation.created') continue;
          const teamId = view.conversation(event.conversationId)?.teamId;
          if (teamId) touched.add(teamId);
        }
        if (touched.size > 0) await assignAll(touched);
      },
      async onAgentOnline(agentId) {
        if ((await allTeams()).length === 0) return;
        await assignAll(await teamsOfAgent(context.inbox().db, agentId));
      },
    };
  },
});
