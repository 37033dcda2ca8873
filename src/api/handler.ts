import type { Readable } from 'node:stream';
import type { z } from 'zod';
import type { Agent } from '../domain/agent.js';
import type { Contract, RouteSpec } from './route.js';

/**
 * What a handler of a declared route receives and returns (server side; the browser imports
 * `route.ts` and the contracts only). A handler never sees express: `src/http/implement.ts`
 * parses the request as the declaration says and sends what the handler returns.
 */

type Parsed<T> = T extends z.ZodType ? z.output<T> : undefined;

/** An uploaded file: raw bytes whose type was checked against their content. */
export interface Upload {
  readonly name: string;
  readonly mimeType: string;
  readonly bytes: Buffer;
}

export interface RouteInput<R extends RouteSpec, Locals> {
  readonly params: Parsed<R['params']>;
  readonly query: Parsed<R['query']>;
  readonly headers: Parsed<R['headers']>;
  readonly body: R['body'] extends z.ZodType ? z.output<R['body']> : R['body'] extends { upload: true } ? Upload : undefined;
  readonly agent: R['auth'] extends 'agent' | 'admin' ? Agent : undefined;
  /** The client's address (behind `TRUST_PROXY` hops). */
  readonly ip: string;
  /** What the group's `prepare` (and `visitor`) found: a web chat channel and its visitor. */
  readonly locals: Locals;
  cookie(name: string): string | undefined;
  /** The bearer token the request carried, if any. */
  readonly bearer: string | undefined;
  setHeader(name: string, value: string | readonly string[]): void;
  /** Answers with another status than the declared one (readiness: 503 with the same body). */
  setStatus(status: number): void;
}

/** A server-sent event stream (heartbeats and back-pressure are the server's). */
export interface SseStream {
  send(event: string, data: unknown, id?: string): void;
  /** `json` is already `JSON.stringify(data)` (events from the bus arrive serialised). */
  sendJson(event: string, json: string): void;
  onClose(callback: () => void): void;
}

/** A stored file, sent so that no browser runs it on our origin. */
export interface FileReply {
  readonly stream: Readable;
  readonly size: number;
  readonly mimeType: string;
  readonly name: string;
}

export interface PageReply {
  readonly body: string | Buffer;
  readonly cacheControl: string;
  readonly contentSecurityPolicy?: string;
  /** When not the declared one (a plain-text "not built yet"). */
  readonly contentType?: string;
}

/** What a handler may return for a JSON schema: the schema's input, read-only allowed (adapters' capabilities are). */
type Returnable<T> = T extends (infer U)[] ? readonly Returnable<U>[] : T extends Date ? T : T extends object ? { readonly [K in keyof T]: Returnable<T[K]> } : T;

export type RouteOutput<R extends RouteSpec> = R['response'] extends { kind: 'json'; schema: infer S }
  ? S extends z.ZodType
    ? Returnable<z.input<S>>
    : never
  : R['response'] extends { kind: 'sse' }
    ? (stream: SseStream) => void
    : R['response'] extends { kind: 'file' }
      ? FileReply
      : R['response'] extends { kind: 'page' }
        ? PageReply
        : void;

export type Handler<R extends RouteSpec, Locals> = (input: RouteInput<R, Locals>) => Promise<RouteOutput<R>> | RouteOutput<R>;

/** The request as a group's `prepare` and `visitor` steps see it (framework-neutral). */
export interface RequestHead {
  readonly method: string;
  readonly params: Readonly<Record<string, string>>;
  header(name: string): string | undefined;
}

/** Early routes (webhooks) are answered before the app; everything else needs a handler. */
type Handled<C extends Contract> = { [K in keyof C as C[K]['early'] extends true ? never : K]: C[K] };

/** A contract with a handler for each of its routes, and the steps its routes share. */
export interface Implementation<C extends Contract, Locals = undefined> {
  readonly contract: C;
  readonly handlers: { readonly [K in keyof Handled<C>]: Handler<Handled<C>[K], Locals> };
  /**
   * Runs first on every route of the group and gives `locals` (the web chat channel, its CORS
   * headers); `preflight` means the request was a CORS preflight, answered with 204.
   */
  prepare?(request: RequestHead, setHeader: (name: string, value: string) => void): Locals | 'preflight';
  /** `visitor` auth of this group (a visitor token scoped to its channel). */
  visitor?(request: RequestHead, locals: Locals): Locals;
  /** JSON bodies: how large they may be, and whether they are parsed before authentication. */
  readonly json: { readonly limit: string; readonly beforeAuth: boolean };
}

/** Registers one implemented group of routes, whatever its locals (the HTTP layer only threads them through). */
export type RouteMounter = <C extends Contract, Locals>(implementation: Implementation<C, Locals>) => void;
