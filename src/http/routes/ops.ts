import type { HttpDeps } from '../deps.js';
import type { CoreHandlers } from './handlers.js';

/** Liveness, readiness (database, Redis, channels) and Prometheus metrics (DESIGN §7). */
export function opsHandlers(deps: HttpDeps): Pick<CoreHandlers, 'healthz' | 'readyz' | 'metrics'> {
  return {
    healthz: () => ({ status: 'ok' as const }),
    async readyz({ setStatus }) {
      const readiness = await deps.readiness();
      if (!readiness.ready) setStatus(503);
      return readiness;
    },
    metrics: async () => ({ body: await deps.metricsRegistry.metrics(), cacheControl: 'no-cache' }),
  };
}
