import { Router } from 'express';

/**
 * `GET /`: the agent inbox. Until the React inbox (its own issue) is built, this page says what
 * runs here and where the API, its document and the widget demo are.
 */
export function inboxRoutes(): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Switchboard</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1f2937}code{background:#f3f4f6;padding:0 .3em;border-radius:4px}</style>
</head><body><h1>Switchboard is running</h1>
<p>The agent API is at <code>/api</code> (document: <a href="/api/openapi.json">/api/openapi.json</a>);
sign in with <code>POST /api/auth/login</code>.</p>
<p>Try the customer chat widget on the <a href="/demo">demo page</a>.</p>
<p>Health: <a href="/healthz">/healthz</a> · <a href="/readyz">/readyz</a> · <a href="/metrics">/metrics</a></p>
</body></html>`);
  });
  return router;
}
