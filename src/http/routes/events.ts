import { Router } from 'express';
import type { HttpDeps } from '../deps.js';
import { requireAgent } from '../middleware/auth.js';
import { openSse } from '../sse.js';

/** `GET /api/events`: every inbox event, as SSE, from whichever process produced it. */
export function eventRoutes(deps: HttpDeps): Router {
  const router = Router();
  router.get('/api/events', requireAgent(deps.db), (req, res) => {
    const stream = openSse(req, res);
    const unsubscribe = deps.bus.onEvent((event) => stream.sendJson(event.type, event.json));
    stream.onClose(unsubscribe);
    stream.send('ready', { at: new Date().toISOString() });
  });
  return router;
}
