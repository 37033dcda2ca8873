import type { ServerResponse } from 'node:http';
import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { ApiError } from '../api/errors.js';
import { InboxError } from '../inbox/errors.js';
import { InvalidInboundMessage, QueueUnavailable } from '../queue/sink.js';

export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 429 | 500 | 502 | 503 | 504;

/** The API's one error shape (DESIGN §7): `{ error: { code, message } }`. */
export function sendError(res: ServerResponse, status: ErrorStatus, code: string, message: string): void {
  if (res.headersSent) return;
  // Plain node:http, so the webhook path that runs before express answers with the same shape.
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify({ error: { code, message } }));
}

/** The HTTP layer's name for the contract's refusal. */
export { ApiError as HttpError } from '../api/errors.js';

/** Parses with zod; a failure becomes a 400 that names the field (STYLE §5). */
export function parse<T extends z.ZodType>(schema: T, value: unknown, where = 'body'): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.length > 0 ? issue.path.join('.') : where;
  throw new ApiError(400, 'validation', `${field}: ${issue.message}`);
}

/**
 * Postgres unreachable or shutting down (connection errors, SQLSTATE class 08, 57P01–57P03): the
 * request may succeed later, so 503 + Retry-After rather than 500.
 */
export function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|57P0[123]|08\w{3})$/.test(code);
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return function answerError(error: unknown, _req, res, _next) {
    if (error instanceof ApiError || error instanceof InboxError) return sendError(res, error.status, error.code, error.message);
    if (error instanceof QueueUnavailable) {
      // Not accepted: the sender (a widget, a platform) must try again.
      res.setHeader('Retry-After', '5');
      return sendError(res, 503, 'unavailable', 'message not accepted: the queue is unavailable, please retry');
    }
    if (error instanceof InvalidInboundMessage) return sendError(res, 400, 'invalid_message', error.message);
    const e = error as { type?: string; status?: number; message?: string; body?: unknown };
    // body-parser's errors: malformed JSON, too large, wrong charset.
    if (e.type === 'entity.parse.failed') return sendError(res, 400, 'malformed_json', `malformed JSON: ${e.message ?? 'parse error'}`);
    if (e.type === 'entity.too.large') return sendError(res, 413, 'too_large', 'request body is larger than this endpoint accepts');
    if (e.type === 'charset.unsupported' || e.type === 'encoding.unsupported') return sendError(res, 415, 'unsupported_encoding', e.message ?? 'unsupported encoding');
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) return sendError(res, 400, 'bad_request', e.message ?? 'bad request');
    if (isUnavailable(error)) {
      res.setHeader('Retry-After', '5');
      return sendError(res, 503, 'unavailable', 'the database is unavailable; try again shortly');
    }
    logger.error({ err: error }, 'unhandled error in HTTP handler');
    return sendError(res, 500, 'internal', 'internal error');
  };
}
