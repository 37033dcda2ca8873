import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router } from 'express';
import { projectRoot } from '../../runtime/paths.js';

const built = join(projectRoot, 'dist', 'ui', 'inbox');

/**
 * `GET /`: the agent inbox, a React app built by `npm run build` into dist/ui/inbox. Its hashed
 * assets are cached for a year; the page itself never, so a deploy shows up on reload.
 */
export function inboxRoutes(): Router {
  const router = Router();
  router.use('/assets', express.static(join(built, 'assets'), { immutable: true, maxAge: '365d', index: false, fallthrough: false }));
  router.get('/', (_req, res) => {
    const index = join(built, 'index.html');
    if (!existsSync(index)) {
      res.status(503).type('text/plain').send('The inbox is not built yet: run `npm run build` (npm start does it for you).');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    // https: images only so an email's remote images can load after the agent asks; the email's
    // own sandboxed frame keeps its stricter policy (data: only) until then.
    res.setHeader('Content-Security-Policy', "default-src 'self'; img-src 'self' blob: data: https:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'");
    res.sendFile(index);
  });
  return router;
}
