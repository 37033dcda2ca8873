import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { projectRoot } from '../../runtime/paths.js';
import type { PageReply } from '../../api/handler.js';
import type { CoreHandlers } from './handlers.js';

/** Where `npm run build` puts the inbox (React, Vite); its hashed assets are served by `inboxAssets`. */
export const builtInbox = join(projectRoot, 'dist', 'ui', 'inbox');
/** Where `npm run build` puts the widget script (TypeScript, Vite) and its demo page. */
const builtWidget = join(projectRoot, 'dist', 'ui', 'widget');

/**
 * The inbox's entry page (never cached, so a deploy shows up on reload), the widget script and
 * its demo page, and this API's OpenAPI document.
 */
export function pageHandlers(openapiJson: () => string): Pick<CoreHandlers, 'inbox' | 'widgetScript' | 'demoPage' | 'getOpenapiDocument'> {
  const notBuilt = (what: string, setStatus: (status: number) => void): PageReply => {
    setStatus(503);
    return { body: `The ${what} is not built yet: run \`npm run build\` (npm start does it for you).`, cacheControl: 'no-cache', contentType: 'text/plain; charset=utf-8' };
  };
  const file = async (path: string, cacheControl: string, setStatus: (status: number) => void): Promise<PageReply> =>
    existsSync(path) ? { body: await readFile(path), cacheControl } : notBuilt(path.endsWith('.js') ? 'widget' : 'widget demo', setStatus);
  return {
    async inbox({ setStatus }) {
      const index = join(builtInbox, 'index.html');
      if (!existsSync(index)) return notBuilt('inbox', setStatus);
      return {
        body: await readFile(index),
        cacheControl: 'no-cache',
        // https: images only so an email's remote images can load after the agent asks; the email's
        // own sandboxed frame keeps its stricter policy (data: only) until then.
        contentSecurityPolicy: "default-src 'self'; img-src 'self' blob: data: https:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'",
      };
    },
    widgetScript: ({ setStatus }) => file(join(builtWidget, 'widget.js'), 'public, max-age=300', setStatus),
    demoPage: ({ setStatus }) => file(join(builtWidget, 'demo.html'), 'no-cache', setStatus),
    getOpenapiDocument: () => ({ body: openapiJson(), cacheControl: 'no-cache' }),
  };
}
