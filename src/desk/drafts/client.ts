import { z } from 'zod';

/**
 * A client of an OpenAI-compatible chat completions endpoint (`POST {baseUrl}/chat/completions`,
 * https://platform.openai.com/docs/api-reference/chat/create), the one call reply drafts make.
 * Plain `fetch` rather than the `openai` SDK: one request and one response shape, a timeout we
 * control, and no retries of its own (the SDK retries 429s and 5xx twice by default, which would
 * hold an agent's click for minutes and repeat the text sent to a third party).
 */

export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

/** The request body, exactly as sent. */
export interface ChatRequest {
  readonly model: string;
  readonly messages: readonly ChatMessage[];
  readonly temperature: number;
}

export interface LlmEndpoint {
  /** e.g. `https://api.openai.com/v1`; `/chat/completions` is appended. */
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly timeoutMs: number;
}

/**
 * Why a completion failed, in terms of what the desk does about it (`src/desk/drafts/api.ts`
 * maps each to an HTTP answer).
 */
export type LlmFailure =
  /** 401/403: the key is wrong, revoked, or lacks access to the model. */
  | 'unauthorized'
  /** 429: too many requests or no quota left; `retryAfterMs` when the endpoint said. */
  | 'rate_limited'
  | 'timeout'
  /** A 2xx whose body is not a chat completion with text. */
  | 'malformed'
  /** The model declined (a `refusal` instead of content). */
  | 'refused'
  /** 5xx: the endpoint's own trouble. */
  | 'unavailable'
  /** Another 4xx (unknown model, bad parameter): the configuration needs a look. */
  | 'rejected'
  /** No HTTP answer at all (refused connection, DNS, TLS, a redirect). */
  | 'unreachable';

/**
 * A failed completion. Its message never holds the endpoint's own error text: OpenAI's 401 quotes
 * part of the key ("Incorrect API key provided: sk-abc…xyz"), and other endpoints may echo the
 * prompt. Only the status and the error's `type`/`code` (fixed identifiers) are kept.
 */
export class LlmError extends Error {
  override readonly name = 'LlmError';
  constructor(
    readonly failure: LlmFailure,
    message: string,
    readonly details: { readonly status?: number; readonly type?: string; readonly code?: string; readonly retryAfterMs?: number } = {},
  ) {
    super(message);
  }
}

/** The part of a chat completion we read (`choices[0].message`), tolerant of extra fields. */
const Completion = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.string().nullable().optional(), refusal: z.string().nullable().optional() }),
        finish_reason: z.string().nullable().optional(),
      }),
    )
    .min(1),
});

/** OpenAI's error body: `{ error: { message, type, param, code } }`. */
const ErrorBody = z.object({
  error: z.object({ type: z.string().nullable().optional(), code: z.union([z.string(), z.number()]).nullable().optional() }),
});

/** A completion of a few sentences is a few kilobytes; more than this is not an answer we want. */
const MAX_RESPONSE_BYTES = 1_000_000;
/** Longest wait passed on from a rate limit (a daily quota says "retry in 8 hours"). */
const MAX_RETRY_AFTER_MS = 3_600_000;

export interface Completed {
  readonly text: string;
  readonly finishReason: string | null;
}

export async function chatCompletion(endpoint: LlmEndpoint, body: ChatRequest): Promise<Completed> {
  const url = `${endpoint.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  // One signal for the connection, the headers and the body: a stalled stream is a timeout too.
  const signal = AbortSignal.timeout(endpoint.timeoutMs);
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { Authorization: `Bearer ${endpoint.apiKey}`, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
      // The key goes only where it was configured to go.
      redirect: 'error',
      signal,
    });
    text = await readCapped(response);
  } catch (error) {
    if (signal.aborted) throw new LlmError('timeout', `no answer within ${endpoint.timeoutMs} ms`);
    if (error instanceof LlmError) throw error;
    throw new LlmError('unreachable', `the endpoint could not be reached (${causeCode(error)})`);
  }
  if (!response.ok) throw failureOf(response, text);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new LlmError('malformed', 'the answer is not JSON', { status: response.status });
  }
  const parsed = Completion.safeParse(json);
  if (!parsed.success) throw new LlmError('malformed', 'the answer is not a chat completion (no choices[0].message)', { status: response.status });
  const choice = parsed.data.choices[0]!;
  const content = choice.message.content?.trim() ?? '';
  if (content === '') {
    if (choice.message.refusal) throw new LlmError('refused', 'the model declined to answer');
    throw new LlmError('malformed', `the completion has no text (finish_reason ${choice.finish_reason ?? 'missing'})`, { status: response.status });
  }
  return { text: content, finishReason: choice.finish_reason ?? null };
}

async function readCapped(response: Response): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > MAX_RESPONSE_BYTES) {
    await response.body?.cancel();
    throw new LlmError('malformed', `the answer is larger than ${MAX_RESPONSE_BYTES} bytes`, { status: response.status });
  }
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_RESPONSE_BYTES) {
      await reader.cancel();
      throw new LlmError('malformed', `the answer is larger than ${MAX_RESPONSE_BYTES} bytes`, { status: response.status });
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function failureOf(response: Response, text: string): LlmError {
  const status = response.status;
  let identifiers: { type?: string; code?: string } = {};
  try {
    const parsed = ErrorBody.safeParse(JSON.parse(text));
    if (parsed.success) {
      const { type, code } = parsed.data.error;
      identifiers = { ...(type ? { type: identifier(type) } : {}), ...(code !== null && code !== undefined ? { code: identifier(String(code)) } : {}) };
    }
  } catch {
    // Not JSON (a proxy's HTML page): the status says enough.
  }
  const details = { status, ...identifiers };
  const named = identifiers.code ?? identifiers.type;
  const suffix = named ? ` (${named})` : '';
  if (status === 401 || status === 403) return new LlmError('unauthorized', `the endpoint refused the API key: HTTP ${status}${suffix}`, details);
  if (status === 429) {
    const retryAfterMs = retryAfterOf(response.headers);
    return new LlmError('rate_limited', `the endpoint is rate limiting: HTTP 429${suffix}`, { ...details, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
  }
  if (status === 408) return new LlmError('timeout', `the endpoint timed out: HTTP 408${suffix}`, details);
  if (status >= 500) return new LlmError('unavailable', `the endpoint failed: HTTP ${status}${suffix}`, details);
  return new LlmError('rejected', `the endpoint rejected the request: HTTP ${status}${suffix}`, details);
}

/** Error types and codes are identifiers (`invalid_api_key`); anything else is not repeated. */
const identifier = (value: string): string => (/^[A-Za-z0-9_.-]{1,64}$/.test(value) ? value : 'other');

/**
 * `retry-after-ms` (OpenAI and Azure send it) before `Retry-After` (seconds or an HTTP date,
 * RFC 9110 §10.2.3); bounded to an hour.
 */
export function retryAfterOf(headers: Headers, now = Date.now()): number | undefined {
  const ms = Number(headers.get('retry-after-ms') ?? Number.NaN);
  if (Number.isFinite(ms) && ms >= 0) return Math.min(Math.ceil(ms), MAX_RETRY_AFTER_MS);
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.min(Math.ceil(Number(value) * 1000), MAX_RETRY_AFTER_MS);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.min(Math.max(0, at - now), MAX_RETRY_AFTER_MS) : undefined;
}

const causeCode = (error: unknown): string => {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  return typeof cause?.code === 'string' ? cause.code : error instanceof Error ? error.name : 'unknown error';
};
