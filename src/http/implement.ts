import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import type { z } from 'zod';
import type { FileReply, Implementation, PageReply, RequestHead, RouteInput, SseStream } from '../api/handler.js';
import type { Contract, RouteSpec } from '../api/route.js';
import { HttpError, parse } from './errors.js';
import { agentOf, readCookie } from './middleware/auth.js';
import { openSse } from './sse.js';
import { readUpload, sendFile } from './uploads.js';

export type { FileReply, PageReply } from '../api/handler.js';

/**
 * Binds handlers to route declarations (src/api/route.ts) and registers them on express: the
 * only way a route gets into the app. Each handler receives what its declaration says it takes —
 * parsed and typed — and returns what it answers; it never sees express.
 */

export interface MountOptions {
  /** `agent` auth: a bearer token or the session cookie (+ CSRF on unsafe methods). */
  readonly agent: RequestHandler;
  readonly admin: RequestHandler;
  readonly uploadLimit: number;
}

type AnyRoute = RouteSpec;
type AnyHandler = (input: RouteInput<AnyRoute, unknown>) => unknown;

export function mount<C extends Contract, Locals>(router: Router, implementation: Implementation<C, Locals>, options: MountOptions): void {
  const json = express.json({ limit: implementation.json.limit, strict: true, type: ['application/json', 'application/*+json'] });
  const raw = express.raw({ type: () => true, limit: options.uploadLimit });
  const form = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20, type: 'application/x-www-form-urlencoded' });
  const preflighted = new Set<string>();
  const handlers = implementation.handlers as unknown as Record<string, AnyHandler>;
  for (const [name, route] of Object.entries(implementation.contract) as [string, AnyRoute][]) {
    if (route.early) continue;
    const handler = handlers[name];
    if (!handler) throw new Error(`route ${name} (${route.method.toUpperCase()} ${route.path}) has no handler`);
    const chain: RequestHandler[] = [];
    const prepare = implementation.prepare;
    if (prepare) {
      const step: RequestHandler = (req, res, next) => {
        const locals = prepare(head(req), (headerName, value) => res.setHeader(headerName, value));
        if (locals === 'preflight') return void res.status(204).end();
        res.locals.route = locals;
        next();
      };
      chain.push(step);
      if (route.cors && !preflighted.has(route.path)) {
        preflighted.add(route.path);
        router.options(route.path, step);
      }
    }
    const body: RequestHandler[] = route.body === undefined ? [] : 'upload' in route.body ? [raw] : route.form ? [form] : [json];
    if (implementation.json.beforeAuth) chain.push(...body);
    if (route.auth === 'agent' || route.auth === 'admin') chain.push(options.agent);
    if (route.auth === 'admin') chain.push(options.admin);
    if (route.auth === 'visitor') {
      const visitor = implementation.visitor;
      if (!visitor) throw new Error(`route ${name} needs visitor auth, which its group does not provide`);
      chain.push((req, res, next) => {
        res.locals.route = visitor(head(req), res.locals.route as Locals);
        next();
      });
    }
    if (!implementation.json.beforeAuth) chain.push(...body);
    chain.push(async (req, res) => {
      let status: number | undefined;
      const input: RouteInput<AnyRoute, unknown> = {
        params: route.params ? parse(route.params, req.params, 'params') : undefined,
        query: route.query ? parse(route.query, req.query, 'query') : undefined,
        headers: route.headers ? parseHeaders(route.headers, req) : undefined,
        body: route.body === undefined ? undefined : 'upload' in route.body ? readUpload(req) : parse(route.body, req.body ?? (route.optionalBody ? {} : undefined)),
        agent: route.auth === 'agent' || route.auth === 'admin' ? agentOf(req) : undefined,
        ip: req.ip ?? '',
        locals: res.locals.route,
        cookie: (cookieName) => readCookie(req, cookieName),
        bearer: /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1],
        setHeader: (headerName, value) => void res.append(headerName, value as string | string[]),
        setStatus: (code) => void (status = code),
      } as RouteInput<AnyRoute, unknown>;
      const output = await handler(input);
      send(req, res, route, output, status);
    });
    router[route.method](route.path, ...chain);
  }
}

const head = (req: Request): RequestHead => ({ method: req.method, params: req.params as Record<string, string>, header: (name) => req.get(name) });

function parseHeaders(schema: z.ZodObject, req: Request): unknown {
  const values: Record<string, string | undefined> = {};
  for (const name of Object.keys(schema.shape)) values[name] = req.get(name);
  return parse(schema, values, 'headers');
}

function send(req: Request, res: Response, route: AnyRoute, output: unknown, status: number | undefined): void {
  const response = route.response;
  switch (response.kind) {
    case 'json':
      res.status(status ?? response.status).json(output);
      return;
    case 'empty':
      res.status(status ?? 204).end();
      return;
    case 'sse':
      (output as (stream: SseStream) => void)(openSse(req, res));
      return;
    case 'file':
      sendFile(res, output as FileReply);
      return;
    case 'page': {
      const page = output as PageReply;
      res.status(status ?? 200);
      res.setHeader('Content-Type', page.contentType ?? `${response.contentType}; charset=utf-8`);
      res.setHeader('Cache-Control', page.cacheControl);
      if (page.contentSecurityPolicy) res.setHeader('Content-Security-Policy', page.contentSecurityPolicy);
      res.end(page.body);
      return;
    }
    case 'platform':
      throw new HttpError(404, 'not_found', 'platform webhooks are answered before the app');
  }
}

/** Every route of the contracts as express would register it, for the route-list test and the document. */
export function declaredRoutes(contracts: readonly Contract[]): { method: string; path: string; name: string; early: boolean }[] {
  return contracts.flatMap((contract) => Object.entries(contract).map(([name, route]) => ({ method: route.method, path: route.path, name, early: route.early === true })));
}
