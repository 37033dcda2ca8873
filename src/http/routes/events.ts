import type { HttpDeps } from '../deps.js';
import { HttpError } from '../errors.js';
import type { CoreHandlers } from './handlers.js';

/** `GET /api/events`: every inbox event, as SSE, from whichever process produced it. */
export function eventHandlers(deps: HttpDeps): Pick<CoreHandlers, 'streamEvents'> {
  return {
    streamEvents: ({ agent }) => {
      // Every conversation's events: an agent bot gets its own through its webhook (issue 18).
      if (agent.role === 'bot') throw new HttpError(403, 'forbidden', 'a bot receives its conversations through its webhook, not the inbox stream');
      return (stream) => {
        stream.onClose(deps.bus.onEvent((event) => stream.sendJson(event.type, event.json)));
        // The live connection is the agent's presence: routing skips agents without one.
        stream.onClose(deps.presence.connect(agent.id));
        stream.send('ready', { at: new Date().toISOString() });
        void deps.desk.agentOnline(agent.id);
      };
    },
  };
}
