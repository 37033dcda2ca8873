import { randomBytes } from 'node:crypto';
import { login, revokeToken } from '../../agents/sessions.js';
import type { HttpDeps } from '../deps.js';
import { HttpError } from '../errors.js';
import { CSRF_COOKIE, SESSION_COOKIE } from '../middleware/auth.js';
import { failureLimiter } from '../middleware/rate-limit.js';
import type { CoreHandlers } from './handlers.js';

export function authHandlers(deps: HttpDeps): Pick<CoreHandlers, 'login' | 'logout' | 'getMe'> {
  const secure = deps.publicUrl.startsWith('https://');
  const perEmail = failureLimiter(deps.redis, 10, 900);
  const perClient = failureLimiter(deps.redis, 100, 900);
  return {
    async login({ body, ip, setHeader }) {
      const email = body.email.toLowerCase();
      // Slow down password guessing per address and per client, across all API processes; only
      // failures count, so a team signing in from one office address is never locked out.
      const keys = [`${deps.rateLimitPrefix}:login-fail:email:${email}`, `${deps.rateLimitPrefix}:login-fail:ip:${ip}`];
      for (const [index, key] of keys.entries()) {
        const wait = await (index === 0 ? perEmail : perClient).blocked(key);
        if (wait !== null) {
          setHeader('Retry-After', String(wait));
          throw new HttpError(429, 'rate_limited', `too many failed sign-in attempts; try again in ${wait} s`);
        }
      }
      const result = await login(deps.db, email, body.password);
      if (!result) {
        await Promise.all([perEmail.fail(keys[0]!), perClient.fail(keys[1]!)]);
        throw new HttpError(401, 'invalid_credentials', 'wrong email or password');
      }
      const cookie = `Path=/; SameSite=Strict${secure ? '; Secure' : ''}`;
      setHeader('Set-Cookie', [
        `${SESSION_COOKIE}=${result.token}; HttpOnly; Max-Age=${30 * 86_400}; ${cookie}`,
        `${CSRF_COOKIE}=${randomBytes(24).toString('base64url')}; Max-Age=${30 * 86_400}; ${cookie}`,
      ]);
      return result;
    },
    async logout({ bearer, cookie, setHeader }) {
      const token = bearer ?? cookie(SESSION_COOKIE);
      if (token) await revokeToken(deps.db, token);
      setHeader('Set-Cookie', [`${SESSION_COOKIE}=; Path=/; Max-Age=0`, `${CSRF_COOKIE}=; Path=/; Max-Age=0`]);
    },
    getMe: ({ agent }) => agent,
  };
}
