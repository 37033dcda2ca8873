import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Router } from 'express';
import { uiDir } from '../../runtime/paths.js';

/** The widget script, the demo page and the agent inbox's entry page. */
export function staticRoutes(): Router {
  const router = Router();
  const file = (name: string, type: string, cache: string) => async (_req: unknown, res: import('express').Response) => {
    const body = await readFile(join(uiDir, name));
    res.setHeader('Content-Type', type);
    res.setHeader('Cache-Control', cache);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.end(body);
  };
  router.get('/widget.js', file('widget/widget.js', 'text/javascript; charset=utf-8', 'public, max-age=300'));
  router.get('/demo', file('widget/demo.html', 'text/html; charset=utf-8', 'no-cache'));
  return router;
}
