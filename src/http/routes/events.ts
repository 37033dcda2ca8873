import type { HttpDeps } from '../deps.js';
import type { CoreHandlers } from './handlers.js';

/** `GET /api/events`: every inbox event, as SSE, from whichever process produced it. */
export function eventHandlers(deps: HttpDeps): Pick<CoreHandlers, 'streamEvents'> {
  return {
    streamEvents: () => (stream) => {
      stream.onClose(deps.bus.onEvent((event) => stream.sendJson(event.type, event.json)));
      stream.send('ready', { at: new Date().toISOString() });
    },
  };
}
