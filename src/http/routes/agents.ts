import { Router } from 'express';
import { z } from 'zod';
import { AgentRole, createAgent, getAgent, listAgents, setAgentActive } from '../../agents/agents.js';
import { issueToken, listApiTokens, revokeApiToken } from '../../agents/sessions.js';
import { isUniqueViolation } from '../../store/database.js';
import type { HttpDeps } from '../deps.js';
import { HttpError, parse } from '../errors.js';
import { agentOf, requireAdmin, requireAgent } from '../middleware/auth.js';

const CreateAgent = z.object({
  email: z.email().max(320),
  name: z.string().trim().min(1).max(100),
  role: AgentRole.default('agent'),
  password: z.string().min(8, 'at least 8 characters').max(1000),
});
const PatchAgent = z.object({ active: z.boolean() }).strict();
const CreateToken = z.object({ name: z.string().trim().min(1).max(100) });

/** Agents (everyone may list them, to assign); creating and deactivating is for admins. */
export function agentRoutes(deps: HttpDeps): Router {
  const router = Router();
  const auth = requireAgent(deps.db);

  router.get('/api/agents', auth, async (_req, res) => {
    res.json({ items: await listAgents(deps.db) });
  });

  router.post('/api/agents', auth, requireAdmin, async (req, res) => {
    const body = parse(CreateAgent, req.body);
    try {
      res.status(201).json(await createAgent(deps.db, body));
    } catch (error) {
      if (isUniqueViolation(error)) throw new HttpError(409, 'conflict', 'email: an agent with this email exists');
      throw error;
    }
  });

  router.patch('/api/agents/:id', auth, requireAdmin, async (req, res) => {
    const body = parse(PatchAgent, req.body);
    const id = String(req.params.id);
    if (id === agentOf(req).id && !body.active) throw new HttpError(409, 'conflict', 'you cannot deactivate yourself');
    const agent = await setAgentActive(deps.db, id, body.active);
    if (!agent) throw new HttpError(404, 'not_found', 'agent not found');
    res.json(agent);
  });

  /** Additive: a long-lived API token for scripts and integrations, shown once. */
  router.post('/api/tokens', auth, async (req, res) => {
    const body = parse(CreateToken, req.body);
    const agent = agentOf(req);
    const token = await issueToken(deps.db, agent.id, 'api', body.name, null);
    res.status(201).json({ token, agent: await getAgent(deps.db, agent.id) });
  });

  /** Additive: the caller's API tokens (names and dates, never the secrets), and revoking one. */
  router.get('/api/tokens', auth, async (req, res) => {
    res.json({ items: await listApiTokens(deps.db, agentOf(req).id) });
  });
  router.delete('/api/tokens/:id', auth, async (req, res) => {
    if (!(await revokeApiToken(deps.db, agentOf(req).id, String(req.params.id)))) throw new HttpError(404, 'not_found', 'no API token of yours with this id');
    res.status(204).end();
  });
  return router;
}
