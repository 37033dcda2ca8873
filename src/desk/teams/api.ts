import { z } from 'zod';
import { defineContract } from '../../api/route.js';
import { request, response } from '../../api/schemas.js';
import { Conversation } from '../../domain/conversation.js';

/** Teams, routing and escalation routes (issue 14). */

export const TeamMember = z.object({
  agentId: z.string().max(64),
  capacity: z.number().int().min(0).max(1000).default(5).describe('Open or pending conversations they may hold at once; auto-assignment stops there.'),
});

export const TeamBody = request(
  'TeamInput',
  z
    .object({
      name: z.string().trim().min(1).max(80),
      supervisorId: z.string().max(64).nullable().default(null).describe('Who takes escalations (level 1) and leads the team.'),
      parentId: z.string().max(64).nullable().default(null).describe('The team whose supervisor takes the next level of escalation.'),
      channels: z.array(z.string().min(1).max(63)).max(100).default([]).describe('Channel ids or kinds whose new conversations join this team (the oldest team that lists one wins).'),
      autoAssign: z.boolean().default(true).describe('Round-robin its waiting conversations to online members under their capacity.'),
      members: z
        .array(TeamMember)
        .max(500)
        .default([])
        .refine((m) => new Set(m.map((x) => x.agentId)).size === m.length, 'an agent is listed twice'),
    })
    .strict(),
);

export const Team = response(
  'Team',
  z.object({
    id: z.string(),
    name: z.string(),
    supervisorId: z.string().nullable(),
    parentId: z.string().nullable(),
    channels: z.array(z.string()),
    autoAssign: z.boolean(),
    members: z.array(z.object({ agentId: z.string(), capacity: z.number().int(), online: z.boolean().describe('Has the inbox open now.') })),
  }),
);
export const TeamList = response('TeamList', z.object({ items: z.array(Team) }));

export const ESCALATION_REASONS = ['complaint', 'security', 'refund', 'other'] as const;
export const EscalateBody = request(
  'EscalationInput',
  z
    .object({
      reason: z.enum(ESCALATION_REASONS).describe('Why: a complaint, a security issue, a refund, or something else.'),
    })
    .strict(),
);
export const ConversationTeamBody = request('ConversationTeam', z.object({ teamId: z.string().max(64).nullable() }).strict());

const id = z.object({ id: z.string().max(64) });

export const teamRoutes = defineContract({
  listTeams: {
    method: 'get',
    path: '/api/teams',
    tags: ['teams'],
    summary: 'Teams, their members and who is online',
    description: 'Additive (issue 14).',
    auth: 'agent',
    response: { kind: 'json', status: 200, schema: TeamList, description: 'Every team, oldest first.' },
    errors: [401],
  },
  createTeam: {
    method: 'post',
    path: '/api/teams',
    tags: ['teams'],
    summary: 'Create a team (admin)',
    description: 'Additive (issue 14).',
    auth: 'admin',
    body: TeamBody,
    response: { kind: 'json', status: 201, schema: Team, description: 'The team.' },
    errors: [400, 401, 403, 409, 413],
  },
  updateTeam: {
    method: 'put',
    path: '/api/teams/:id',
    tags: ['teams'],
    summary: 'Replace a team (admin)',
    description: 'Additive (issue 14). Members not listed leave the team; their conversations stay theirs.',
    auth: 'admin',
    params: id,
    body: TeamBody,
    response: { kind: 'json', status: 200, schema: Team, description: 'The team.' },
    errors: [400, 401, 403, 404, 409, 413],
  },
  deleteTeam: {
    method: 'delete',
    path: '/api/teams/:id',
    tags: ['teams'],
    summary: 'Delete a team (admin)',
    description: 'Additive (issue 14). Its conversations stay, without a team.',
    auth: 'admin',
    params: id,
    response: { kind: 'empty', description: 'Deleted.' },
    errors: [401, 403, 404],
  },
  setConversationTeam: {
    method: 'put',
    path: '/api/conversations/:id/team',
    tags: ['teams'],
    summary: "Move a conversation to a team's queue",
    description: 'Additive (issue 14). Recorded as a system line; an unassigned conversation is then auto-assigned within the team.',
    auth: 'agent',
    params: id,
    body: ConversationTeamBody,
    response: { kind: 'json', status: 200, schema: Conversation, description: 'The conversation.' },
    errors: [400, 401, 404, 413],
  },
  escalateConversation: {
    method: 'post',
    path: '/api/conversations/:id/escalate',
    tags: ['teams'],
    summary: 'Escalate a conversation one level',
    description:
      "Additive (issue 14). Level 1 goes to the supervisor of the conversation's team, each further level to the supervisor of the team above. Recorded as `escalation` and a system line; the customer is told, in their language, that a manager took over. 409 `no_supervisor` when there is nobody at the next level.",
    auth: 'agent',
    params: id,
    body: EscalateBody,
    response: { kind: 'json', status: 200, schema: Conversation, description: 'The conversation, escalated.' },
    errors: [400, 401, 404, 409, 413],
  },
});
