import type { HttpDeps } from '../deps.js';
import type { CoreHandlers } from './handlers.js';

/** Channels as agents see them: never secrets (DESIGN §7). */
export function channelHandlers(deps: HttpDeps): Pick<CoreHandlers, 'listChannels'> {
  return {
    listChannels: () =>
      Promise.all(
        [...deps.adapters.values()].map(async (adapter) => {
          const status = await deps.channelStatus(adapter.id);
          return { id: adapter.id, kind: adapter.kind, name: adapter.name, status: status.status, error: status.error, checkedAt: status.checkedAt, capabilities: adapter.capabilities };
        }),
      ),
  };
}
