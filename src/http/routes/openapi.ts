import { Router } from 'express';
import { openapiDocument } from '../openapi.js';

/** `GET /api/openapi.json` (DESIGN §7): the API's OpenAPI 3.1 document; public, like the API's shape. */
export function openapiRoutes(): Router {
  const router = Router();
  let body: string | undefined;
  router.get('/api/openapi.json', (_req, res) => {
    body ??= JSON.stringify(openapiDocument());
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache');
    res.end(body);
  });
  return router;
}
