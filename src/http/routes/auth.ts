import { randomBytes } from 'node:crypto';
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { login, revokeToken } from '../../agents/sessions.js';
import type { HttpDeps } from '../deps.js';
import { HttpError, parse } from '../errors.js';
import { agentOf, CSRF_COOKIE, readCookie, requireAgent, SESSION_COOKIE } from '../middleware/auth.js';
import { failureLimiter } from '../middleware/rate-limit.js';

const LoginBody = z.object({ email: z.string().trim().min(1).max(320), password: z.string().min(1).max(1000) });

export function authRoutes(deps: HttpDeps): Router {
  const router = Router();
  const secure = deps.publicUrl.startsWith('https://');
  const perEmail = failureLimiter(deps.redis, 10, 900);
  const perClient = failureLimiter(deps.redis, 100, 900);

  router.post('/api/auth/login', async (req: Request, res: Response) => {
    const body = parse(LoginBody, req.body);
    const email = body.email.toLowerCase();
    // Slow down password guessing per address and per client, across all API processes; only
    // failures count, so a team signing in from one office address is never locked out.
    const keys = [`${deps.rateLimitPrefix}:login-fail:email:${email}`, `${deps.rateLimitPrefix}:login-fail:ip:${req.ip}`];
    for (const [index, key] of keys.entries()) {
      const wait = await (index === 0 ? perEmail : perClient).blocked(key);
      if (wait !== null) {
        res.setHeader('Retry-After', String(wait));
        throw new HttpError(429, 'rate_limited', `too many failed sign-in attempts; try again in ${wait} s`);
      }
    }
    const result = await login(deps.db, email, body.password);
    if (!result) {
      await Promise.all([perEmail.fail(keys[0]!), perClient.fail(keys[1]!)]);
      throw new HttpError(401, 'invalid_credentials', 'wrong email or password');
    }
    const cookie = `Path=/; SameSite=Strict${secure ? '; Secure' : ''}`;
    res.append('Set-Cookie', `${SESSION_COOKIE}=${result.token}; HttpOnly; Max-Age=${30 * 86_400}; ${cookie}`);
    res.append('Set-Cookie', `${CSRF_COOKIE}=${randomBytes(24).toString('base64url')}; Max-Age=${30 * 86_400}; ${cookie}`);
    res.json(result);
  });

  router.post('/api/auth/logout', requireAgent(deps.db), async (req, res) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const token = bearer ?? readCookie(req, SESSION_COOKIE);
    if (token) await revokeToken(deps.db, token);
    res.append('Set-Cookie', `${SESSION_COOKIE}=; Path=/; Max-Age=0`);
    res.append('Set-Cookie', `${CSRF_COOKIE}=; Path=/; Max-Age=0`);
    res.status(204).end();
  });

  router.get('/api/me', requireAgent(deps.db), (req, res) => {
    res.json(agentOf(req));
  });
  return router;
}
