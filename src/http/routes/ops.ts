import { Router } from 'express';
import type { HttpDeps } from '../deps.js';

/** Liveness, readiness (database, Redis, channels) and Prometheus metrics (DESIGN §7). */
export function opsRoutes(deps: HttpDeps): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const readiness = await deps.readiness();
    res.status(readiness.ready ? 200 : 503).json(readiness);
  });
  router.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', deps.metricsRegistry.contentType);
    res.end(await deps.metricsRegistry.metrics());
  });
  return router;
}
