import { z } from 'zod';
import { defineContract } from '../../api/route.js';
import { request, response } from '../../api/schemas.js';

/** Agent bots' admin routes (issue 18 part 3). */

export const AgentBot = response('AgentBot', z.object({
  id: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  description: z.string(),
  channels: z.array(z.string()),
  endpointId: z.string().nullable(),
  createdAt: z.string(),
}));

const Channels = z.array(z.string().min(1).max(63)).min(1).max(100);

export const agentBotRoutes = defineContract({
  listAgentBots: {
    method: 'get', path: '/api/agent-bots', tags: ['agent-bots'], summary: 'Agent bots', auth: 'admin',
    response: { kind: 'json', status: 200, schema: response('AgentBotList', z.object({ items: z.array(AgentBot) })), description: 'Every agent bot.' },
    errors: [401, 403],
  },
  createAgentBot: {
    method: 'post', path: '/api/agent-bots', tags: ['agent-bots'], summary: 'Create an agent bot',
    description: 'Returns its API token and its webhook secret, each shown once.', auth: 'admin',
    body: request('CreateAgentBotRequest', z.object({ name: z.string().trim().min(1).max(100), webhookUrl: z.string().max(2000), channels: Channels, description: z.string().max(500).default('') }).strict()),
    response: { kind: 'json', status: 201, schema: response('CreatedAgentBot', z.object({ bot: AgentBot, token: z.string(), webhookSecret: z.string() })), description: 'The bot and its secrets (shown once).' },
    errors: [400, 401, 403],
  },
  updateAgentBot: {
    method: 'patch', path: '/api/agent-bots/:id', tags: ['agent-bots'], summary: 'Rename, change channels, enable or disable an agent bot',
    description: 'Disabling revokes its token and hands the conversations it holds to the team.', auth: 'admin',
    params: z.object({ id: z.string().max(64) }),
    body: request('PatchAgentBotRequest', z.object({ name: z.string().trim().min(1).max(100).optional(), channels: Channels.optional(), enabled: z.boolean().optional() }).strict()),
    response: { kind: 'json', status: 200, schema: AgentBot, description: 'The bot.' },
    errors: [400, 401, 403, 404],
  },
  deleteAgentBot: {
    method: 'delete', path: '/api/agent-bots/:id', tags: ['agent-bots'], summary: 'Remove an agent bot', auth: 'admin',
    params: z.object({ id: z.string().max(64) }),
    response: { kind: 'empty', description: 'Removed; its conversations went to the team.' },
    errors: [401, 403, 404],
  },
  rotateAgentBotToken: {
    method: 'post', path: '/api/agent-bots/:id/token', tags: ['agent-bots'], summary: "Rotate an agent bot's token", auth: 'admin',
    params: z.object({ id: z.string().max(64) }),
    response: { kind: 'json', status: 200, schema: response('AgentBotToken', z.object({ token: z.string() })), description: 'The new token (shown once); the old one no longer works.' },
    errors: [401, 403, 404, 409],
  },
});
