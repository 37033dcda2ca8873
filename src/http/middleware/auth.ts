import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Agent } from '../../agents/agents.js';
import { authenticate } from '../../agents/sessions.js';
import type { Db } from '../../store/database.js';
import { sendError } from '../errors.js';

export const SESSION_COOKIE = 'sb_session';
export const CSRF_COOKIE = 'sb_csrf';

declare module 'express-serve-static-core' {
  interface Request {
    agent?: Agent;
  }
}

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return decodeURIComponent(part.slice(index + 1).trim());
  }
  return undefined;
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Agent authentication (DESIGN §7): `Authorization: Bearer <token>`, or the inbox's session cookie
 * — then unsafe methods must echo the CSRF cookie in `X-CSRF-Token` (double submit).
 */
export function requireAgent(db: Db): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization;
    let token: string | undefined;
    let viaCookie = false;
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) return sendError(res, 401, 'unauthorized', 'Authorization must be "Bearer <token>"');
      token = match[1];
    } else {
      token = readCookie(req, SESSION_COOKIE);
      viaCookie = token !== undefined;
    }
    if (!token) return sendError(res, 401, 'unauthorized', 'sign in first: missing bearer token or session');
    if (viaCookie && !safeMethods.has(req.method)) {
      const cookie = readCookie(req, CSRF_COOKIE);
      const given = req.get('x-csrf-token');
      if (!cookie || !given || cookie.length !== given.length || !timingSafeEqual(Buffer.from(cookie), Buffer.from(given))) {
        return sendError(res, 403, 'csrf', 'missing or wrong X-CSRF-Token for a cookie-authenticated request');
      }
    }
    const agent = await authenticate(db, token);
    if (!agent) return sendError(res, 401, 'unauthorized', 'token is invalid, expired or revoked');
    req.agent = agent;
    next();
  };
}

export const requireAdmin: RequestHandler = (req, res, next) => {
  if (req.agent?.role !== 'admin') return sendError(res, 403, 'forbidden', 'only admins may do this');
  next();
};

/** The authenticated agent; only call behind `requireAgent`. */
export function agentOf(req: Request): Agent {
  if (!req.agent) throw new Error('agentOf() used on a route without requireAgent');
  return req.agent;
}
