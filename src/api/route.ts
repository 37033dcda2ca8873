import type { z } from 'zod';

/**
 * How an HTTP route is declared — once (DESIGN §7). A declaration says everything about a route
 * but its code: method, path, who may call it, what it takes (path parameters, query, headers,
 * body) and what it answers. The express app registers routes from these declarations, the
 * OpenAPI document is generated from them, and the inbox takes its types from them; the handler
 * is bound to its declaration by name (`src/http/routes`), so a route cannot exist without one.
 *
 * This module and the contracts built with it are pure (zod and `src/domain` only): the browser
 * code imports their types.
 */

export type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

/**
 * `agent`: a bearer token or the inbox's session cookie (then unsafe methods need the CSRF
 * header); `admin`: the same, for admins only; `visitor`: a web chat visitor token; `none`.
 */
export type Auth = 'none' | 'agent' | 'admin' | 'visitor';

export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 429 | 502 | 503 | 504;

/** A request or response header: its description and JSON Schema. */
export interface HeaderSpec {
  readonly description: string;
  readonly schema: Record<string, unknown>;
}

/** The raw bytes of a file (not multipart), its type from `Content-Type`, its name from `X-Filename`. */
export interface UploadBody {
  readonly upload: true;
  readonly description: string;
  /** The media types it may carry (default: the upload types the server accepts). */
  readonly contentTypes?: readonly string[];
}

export type ResponseSpec =
  | { readonly kind: 'json'; readonly status: 200 | 201 | 202; readonly schema: z.ZodType; readonly description: string; readonly headers?: Readonly<Record<string, HeaderSpec>> }
  | { readonly kind: 'empty'; readonly description: string; readonly headers?: Readonly<Record<string, HeaderSpec>> }
  /** Server-Sent Events; `events` names each event and its data. */
  | { readonly kind: 'sse'; readonly description: string }
  /** A stored file, served so a browser never runs it on our origin. */
  | { readonly kind: 'file'; readonly description: string }
  /** A page or script of ours. */
  | { readonly kind: 'page'; readonly contentType: 'text/html' | 'text/javascript' | 'text/plain' | 'application/json'; readonly description: string }
  /** A platform webhook: the channel's adapter answers in the format its platform expects. */
  | { readonly kind: 'platform'; readonly description: string };

export interface RouteSpec {
  readonly method: Method;
  /** Express syntax (`/api/conversations/:id`); OpenAPI gets `{id}`. */
  readonly path: string;
  readonly tags: readonly string[];
  readonly summary: string;
  readonly description?: string;
  readonly auth: Auth;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  /** Request headers the route reads (names as sent, e.g. `Idempotency-Key`). */
  readonly headers?: z.ZodObject;
  readonly body?: z.ZodType | UploadBody;
  /** A JSON body that may be left out entirely. */
  readonly optionalBody?: boolean;
  /** The body is an HTML form (`application/x-www-form-urlencoded`), not JSON: a page's own form posts. */
  readonly form?: boolean;
  readonly response: ResponseSpec;
  /** Other non-error answers (readiness answers 503 with the same body). */
  readonly otherResponses?: Readonly<Record<number, { readonly description: string; readonly schema?: z.ZodType; readonly contentType?: string }>>;
  readonly errors: readonly ErrorStatus[];
  /**
   * Answered before the express app (platform webhooks: the hottest path there is, and it needs
   * the raw bytes and none of the parsers).
   */
  readonly early?: boolean;
  /** Called from other sites' pages: `OPTIONS` (CORS preflight) is answered on its path too. */
  readonly cors?: boolean;
}

/** A named set of routes; the names are the OpenAPI operation ids and bind the handlers. */
export type Contract = Readonly<Record<string, RouteSpec>>;

/** Keeps each declaration's literal types (so handlers and clients are typed from it). */
export const defineContract = <const C extends Contract>(contract: C): C => contract;

type Out<T> = T extends z.ZodType ? z.output<T> : undefined;

/** What the route answers with, as the client receives it. */
export type ResponseOf<R extends RouteSpec> = R['response'] extends { kind: 'json'; schema: infer S } ? Out<S> : undefined;
/** The JSON body the client sends (zod input: defaulted fields may be left out). */
export type BodyOf<R extends RouteSpec> = R['body'] extends z.ZodType ? z.input<R['body']> : undefined;
export type QueryOf<R extends RouteSpec> = R['query'] extends z.ZodObject ? z.input<R['query']> : undefined;
