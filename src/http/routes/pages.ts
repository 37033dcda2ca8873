import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { projectRoot, uiDir } from '../../runtime/paths.js';
import type { PageReply } from '../../api/handler.js';
import type { CoreHandlers } from './handlers.js';

/** Where `npm run build` puts the inbox (React, Vite); its hashed assets are served by `inboxAssets`. */
export const builtInbox = join(projectRoot, 'dist', 'ui', 'inbox');

/**
 * The inbox's entry page (never cached, so a deploy shows up on reload), the widget script and
 * its demo page, and this API's OpenAPI document.
 */
export function pageHandlers(openapiJson: () => string): Pick<CoreHandlers, 'inbox' | 'widgetScript' | 'demoPage' | 'getOpenapiDocument'> {
  const file = async (path: string, cacheControl: string): Promise<PageReply> => ({ body: await readFile(path), cacheControl });
  return {
    async inbox({ setStatus }) {
      const index = join(builtInbox, 'index.html');
      if (!existsSync(index)) {
        setStatus(503);
        return { body: 'The inbox is not built yet: run `npm run build` (npm start does it for you).', cacheControl: 'no-cache', contentType: 'text/plain; charset=utf-8' };
      }
      return {
        body: await readFile(index),
        cacheControl: 'no-cache',
        // https: images only so an email's remote images can load after the agent asks; the email's
        // own sandboxed frame keeps its stricter policy (data: only) until then.
        contentSecurityPolicy: "default-src 'self'; img-src 'self' blob: data: https:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'",
      };
    },
    widgetScript: () => file(join(uiDir, 'widget', 'widget.js'), 'public, max-age=300'),
    demoPage: () => file(join(uiDir, 'widget', 'demo.html'), 'no-cache'),
    getOpenapiDocument: () => ({ body: openapiJson(), cacheControl: 'no-cache' }),
  };
}
