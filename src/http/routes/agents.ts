import { createAgent, getAgent, listAgents, setAgentActive } from '../../agents/agents.js';
import { issueToken, listApiTokens, revokeApiToken } from '../../agents/sessions.js';
import { recordAudit } from '../../store/audit.js';
import { isUniqueViolation } from '../../store/database.js';
import type { HttpDeps } from '../deps.js';
import { HttpError } from '../errors.js';
import type { CoreHandlers } from './handlers.js';

/** Agents (everyone may list them, to assign); creating and deactivating is for admins. */
export function agentHandlers(deps: HttpDeps): Pick<CoreHandlers, 'listAgents' | 'createAgent' | 'updateAgent' | 'createApiToken' | 'listApiTokens' | 'revokeApiToken'> {
  return {
    listAgents: async () => ({ items: await listAgents(deps.db) }),
    async createAgent({ body, agent }) {
      try {
        const created = await createAgent(deps.db, body);
        await recordAudit(deps.db, { actor: { type: 'agent', id: agent.id, name: agent.name }, action: 'agent.create', target: { type: 'agent', id: created.id }, details: { role: created.role } });
        return created;
      } catch (error) {
        if (isUniqueViolation(error)) throw new HttpError(409, 'conflict', 'email: an agent with this email exists');
        throw error;
      }
    },
    async updateAgent({ params, body, agent }) {
      if (params.id === agent.id && !body.active) throw new HttpError(409, 'conflict', 'you cannot deactivate yourself');
      // Turning a bot on also turns its webhook on, and off hands its conversations to the team.
      if ((await getAgent(deps.db, params.id))?.role === 'bot') throw new HttpError(409, 'conflict', 'this is an agent bot: enable or disable it with PATCH /api/agent-bots/:id');
      const updated = await setAgentActive(deps.db, params.id, body.active);
      if (!updated) throw new HttpError(404, 'not_found', 'agent not found');
      await recordAudit(deps.db, { actor: { type: 'agent', id: agent.id, name: agent.name }, action: body.active ? 'agent.activate' : 'agent.deactivate', target: { type: 'agent', id: updated.id } });
      return updated;
    },
    async createApiToken({ body, agent }) {
      if (agent.role === 'bot') throw new HttpError(403, 'forbidden', 'a bot has one token, rotated by an admin (POST /api/agent-bots/:id/token)');
      const token = await issueToken(deps.db, agent.id, 'api', body.name, null);
      return { token, agent: (await getAgent(deps.db, agent.id))! };
    },
    listApiTokens: async ({ agent }) => ({ items: await listApiTokens(deps.db, agent.id) }),
    async revokeApiToken({ params, agent }) {
      if (!(await revokeApiToken(deps.db, agent.id, params.id))) throw new HttpError(404, 'not_found', 'no API token of yours with this id');
    },
  };
}
