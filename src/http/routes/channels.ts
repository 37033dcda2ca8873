import { Router } from 'express';
import type { HttpDeps } from '../deps.js';
import { requireAgent } from '../middleware/auth.js';

/** Channels as agents see them: never secrets (DESIGN §7). */
export function channelRoutes(deps: HttpDeps): Router {
  const router = Router();
  router.get('/api/channels', requireAgent(deps.db), async (_req, res) => {
    const items = await Promise.all(
      [...deps.adapters.values()].map(async (adapter) => {
        const status = await deps.channelStatus(adapter.id);
        return {
          id: adapter.id,
          kind: adapter.kind,
          name: adapter.name,
          status: status.status,
          error: status.error,
          checkedAt: status.checkedAt,
          capabilities: adapter.capabilities,
        };
      }),
    );
    res.json(items);
  });
  return router;
}
