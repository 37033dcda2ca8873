import type { HttpDeps } from '../deps.js';
import type { CoreHandlers } from './handlers.js';

/** `GET /api/events`: every inbox event, as SSE, from whichever process produced it. */
export function eventHandlers(deps: HttpDeps): Pick<CoreHandlers, 'streamEvents'> {
  return {
    streamEvents: ({ agent }) => (stream) => {
      stream.onClose(deps.bus.onEvent((event) => stream.sendJson(event.type, event.json)));
      // The live connection is the agent's presence: routing skips agents without one.
      stream.onClose(deps.presence.connect(agent.id));
      stream.send('ready', { at: new Date().toISOString() });
      void deps.desk.agentOnline(agent.id);
    },
  };
}
