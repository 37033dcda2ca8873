import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { adapterDefinitions } from '../../../adapters/index.js';
import { createDesk, deskContracts, parseDeskSection } from '../../../src/desk/index.js';
import { apiContracts, createApp } from '../../../src/http/app.js';
import type { HttpDeps } from '../../../src/http/deps.js';
import { declaredRoutes } from '../../../src/http/implement.js';
import { openapiDocument, openapiPath } from '../../../src/http/openapi.js';
import { nobodyOnline } from '../../../src/realtime/presence.js';

const channelApis = adapterDefinitions.flatMap((entry) => (entry.api ? [entry.api] : []));
/** The desk's routes as the app mounts them; building them needs no running desk. */
const deskApis = createDesk(parseDeskSection({}), { logger: pino({ level: 'silent' }), presence: nobodyOnline, channels: new Map(), publicUrl: 'http://localhost', secretKey: 'test', inbox: () => { throw new Error('not running'); } }).api;
const contracts = apiContracts(channelApis, deskApis);

/** What building the app reads from its dependencies; no route runs, so nothing else is needed. */
const appDeps = { trustProxy: 0, attachmentMaxBytes: 1024, publicUrl: 'http://localhost', logger: pino({ level: 'silent' }), channelApis, deskApis } as unknown as HttpDeps;

type Obj = Record<string, unknown>;

const isObj = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);

function at(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) current = isObj(current) ? current[key] : undefined;
  return current;
}

/** The routes DESIGN §7 requires (and those the previous hand-written document listed), with their methods. */
const expectedOperations: Record<string, string[]> = {
  '/api/auth/login': ['post'],
  '/api/auth/logout': ['post'],
  '/api/me': ['get'],
  '/api/agents': ['get', 'post'],
  '/api/agents/{id}': ['patch'],
  '/api/tokens': ['post', 'get'],
  '/api/tokens/{id}': ['delete'],
  '/api/conversations/{id}/read': ['post'],
  '/api/channels': ['get'],
  '/api/conversations': ['get'],
  '/api/conversations/{id}': ['get', 'patch'],
  '/api/conversations/{id}/messages': ['get', 'post'],
  '/api/messages/{id}/retry': ['post'],
  '/api/attachments': ['post'],
  '/api/attachments/{id}': ['get'],
  '/api/events': ['get'],
  '/api/openapi.json': ['get'],
  '/webhooks/{channelId}': ['get', 'post'],
  '/widget/{channelId}/session': ['post', 'options'],
  '/widget/{channelId}/messages': ['get', 'post', 'options'],
  '/widget/{channelId}/events': ['get', 'options'],
  '/widget/{channelId}/attachments': ['post', 'options'],
  '/widget/{channelId}/attachments/{id}': ['get', 'options'],
  '/healthz': ['get'],
  '/readyz': ['get'],
  '/metrics': ['get'],
  '/widget.js': ['get'],
  '/demo': ['get'],
};

const httpMethods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function collectRefs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) collectRefs(item, out);
  else if (isObj(value)) {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string') out.push(child);
      else collectRefs(child, out);
    }
  }
  return out;
}

function parameterNames(document: Obj, path: string, method: string): string[] {
  const parameters = at(document, 'paths', path, method, 'parameters');
  if (!Array.isArray(parameters)) return [];
  return parameters.map((p: unknown) => {
    const ref = at(p, '$ref');
    const resolved = typeof ref === 'string' ? at(document, ...ref.replace(/^#\//, '').split('/')) : p;
    return String(at(resolved, 'name'));
  });
}

describe('the OpenAPI document', () => {
  const document = openapiDocument(contracts);

  it('is plain JSON declaring OpenAPI 3.1', () => {
    const roundTripped: unknown = JSON.parse(JSON.stringify(document));
    expect(roundTripped).toEqual(document);
    expect(String(document.openapi)).toMatch(/^3\.1\./);
    expect(at(document, 'info', 'title')).toBe('Switchboard API');
    expect(at(document, 'info', 'version')).toBe('0.1.0');
  });

  it('is built once and cached', () => {
    expect(openapiDocument(contracts)).toBe(document);
  });

  it('lists every route with exactly its methods', () => {
    const paths = at(document, 'paths');
    expect(isObj(paths)).toBe(true);
    for (const [path, methods] of Object.entries(expectedOperations)) {
      const item = at(paths, path);
      expect(item, path).toBeDefined();
      const documented = Object.keys(item as Obj).filter((key) => httpMethods.includes(key));
      expect(documented.sort(), path).toEqual([...methods].sort());
    }
  });

  it('documents the conversation filters, message paging and the idempotency headers', () => {
    expect(parameterNames(document, '/api/conversations', 'get')).toEqual(
      expect.arrayContaining(['status', 'channel', 'assignee', 'priority', 'label', 'contact', 'q', 'limit', 'cursor']),
    );
    expect(parameterNames(document, '/api/conversations/{id}/messages', 'get')).toEqual(expect.arrayContaining(['limit', 'before', 'after']));
    expect(parameterNames(document, '/api/conversations/{id}/messages', 'post')).toContain('Idempotency-Key');
    expect(at(document, 'paths', '/api/conversations/{id}/messages', 'post', 'responses', '202', 'headers', 'Idempotent-Replayed')).toBeDefined();
    expect(parameterNames(document, '/widget/{channelId}/messages', 'get')).toEqual(expect.arrayContaining(['after', 'limit']));
    expect(parameterNames(document, '/api/attachments', 'post')).toContain('X-Filename');
  });

  it('gives webhooks every status DESIGN §7 names', () => {
    for (const method of ['get', 'post']) {
      const responses = Object.keys(at(document, 'paths', '/webhooks/{channelId}', method, 'responses') as Obj);
      expect(responses).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404', '413', '503']));
    }
  });

  it('names the four inbox event types on the SSE endpoint', () => {
    const description = String(at(document, 'paths', '/api/events', 'get', 'description'));
    for (const event of ['conversation.created', 'conversation.updated', 'message.created', 'message.updated']) expect(description).toContain(event);
    expect(at(document, 'paths', '/api/events', 'get', 'responses', '200', 'content', 'text/event-stream')).toBeDefined();
  });

  it('declares bearer, cookie (with the CSRF note) and visitor-token security', () => {
    expect(at(document, 'components', 'securitySchemes', 'bearerAuth')).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(at(document, 'components', 'securitySchemes', 'sessionCookie')).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'sb_session' });
    expect(String(at(document, 'components', 'securitySchemes', 'sessionCookie', 'description'))).toMatch(/X-CSRF-Token.*sb_csrf/);
    expect(at(document, 'components', 'securitySchemes', 'visitorToken')).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(at(document, 'paths', '/widget/{channelId}/messages', 'post', 'security')).toEqual([{ visitorToken: [] }]);
    expect(at(document, 'paths', '/api/auth/login', 'post', 'security')).toEqual([]);
  });

  it('resolves every $ref to an entry under components', () => {
    const refs = collectRefs(document);
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of refs) {
      expect(ref, ref).toMatch(/^#\/components\/[A-Za-z]+\/[A-Za-z0-9_.-]+$/);
      expect(at(document, ...ref.slice(2).split('/')), ref).toBeDefined();
    }
  });

  it('answers every error with the one Error schema', () => {
    const responses = at(document, 'components', 'responses') as Obj;
    for (const [name, response] of Object.entries(responses)) {
      expect(at(response, 'content', 'application/json', 'schema', '$ref'), name).toBe('#/components/schemas/Error');
    }
    expect(at(document, 'components', 'schemas', 'Error', 'required')).toEqual(['error']);
    expect(at(document, 'components', 'schemas', 'Error', 'properties', 'error', 'required')).toEqual(['code', 'message']);
  });

  it('has the Message fields DESIGN §5 requires', () => {
    expect(at(document, 'components', 'schemas', 'Message', 'required')).toEqual(
      expect.arrayContaining(['id', 'conversationId', 'direction', 'author', 'text', 'attachments', 'private', 'status', 'externalId', 'createdAt', 'sentAt']),
    );
  });

  it('has the Conversation fields DESIGN §5 requires', () => {
    expect(at(document, 'components', 'schemas', 'Conversation', 'required')).toEqual(
      expect.arrayContaining([
        'id',
        'channelId',
        'channelKind',
        'status',
        'priority',
        'assigneeId',
        'labels',
        'subject',
        'contact',
        'createdAt',
        'lastMessageAt',
        'firstResponseAt',
        'resolvedAt',
      ]),
    );
  });

  it('describes request bodies as zod input: defaulted fields are optional', () => {
    const reply = at(document, 'components', 'schemas', 'ReplyInput') as Obj;
    expect(reply.required ?? []).not.toContain('text');
    expect(at(reply, 'properties', 'private', 'default')).toBe(false);
    expect(at(document, 'components', 'schemas', 'VisitorMessageBody', 'required')).toEqual(['clientMessageId']);
  });
});

describe('routes and their document come from one declaration', () => {
  const app = createApp(appDeps) as unknown as { router: { stack: { name: string; route?: { path: string; methods: Record<string, boolean> } }[] } };
  const served = app.router.stack.flatMap((layer) => (layer.route ? Object.keys(layer.route.methods).map((method) => `${method} ${openapiPath(layer.route!.path)}`) : []));
  const documented = Object.entries(openapiDocument(contracts).paths as Obj).flatMap(([path, item]) => Object.keys(item as Obj).filter((k) => httpMethods.includes(k)).map((method) => `${method} ${path}`));
  const early = declaredRoutes(contracts).filter((r) => r.early);

  it('every route the app serves is in the document, and every documented route is served', () => {
    expect(served.length).toBeGreaterThan(30);
    expect([...served].sort()).toEqual(documented.filter((op) => !early.some((r) => op === `${r.method} ${openapiPath(r.path)}`)).sort());
  });

  it('the desk declares its routes statically (the document does not depend on a running desk)', () => {
    expect(deskApis.map((api) => api.contract)).toEqual(deskContracts);
  });

  it('routes answered before the app are the platform webhooks, which createHttpHandler sends to the adapters', () => {
    expect(early.map((r) => `${r.method} ${r.path}`).sort()).toEqual(['get /webhooks/:channelId', 'post /webhooks/:channelId']);
  });

  it('nothing but known middleware sits between the routes (a bare app.use handler would be an undocumented route)', () => {
    const middleware = app.router.stack.filter((layer) => !layer.route).map((layer) => layer.name);
    expect(middleware).toEqual(['securityHeaders', 'serveStatic', 'notFound', 'answerError']);
  });
});

describe('GET /api/openapi.json', () => {
  it('serves the document as JSON without authentication', async () => {
    const server = createApp(appDeps).listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/api/openapi.json`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json\b/);
      expect(await response.json()).toEqual(openapiDocument(contracts));
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
