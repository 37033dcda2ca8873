import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake OpenAI-compatible chat completions endpoint (https://platform.openai.com/docs/api-reference/chat/create):
 * `POST /v1/chat/completions` with `Authorization: Bearer <key>`, answering a `chat.completion`
 * object, and errors as OpenAI words them (`{ error: { message, type, param, code } }`, 429 with
 * `retry-after`). Answers are scripted per test; every request is recorded for assertions.
 */

export interface ChatMessage {
  role: string;
  content: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** The Authorization header as received ('' when missing). */
  authorization: string;
  /** The raw body, as bytes arrived (what "left the server"). */
  raw: string;
  body: { model?: unknown; messages?: ChatMessage[]; temperature?: unknown } & Record<string, unknown>;
  at: number;
}

export interface OpenAiError {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

/** What the fake answers to the next request that passes authentication. */
export type Step =
  | { kind: 'reply'; text: string; finishReason?: string }
  | { kind: 'refusal'; text: string }
  | { kind: 'error'; status: number; error: OpenAiError; headers?: Record<string, string> }
  /** Not a chat completion (a proxy's page, a truncated body). */
  | { kind: 'raw'; status: number; body: string; contentType: string }
  /** Never answers (until the fake closes): the client's timeout must end the wait. */
  | { kind: 'hang' };

export const steps = {
  reply: (text: string): Step => ({ kind: 'reply', text }),
  rateLimited: (retryAfterSeconds: number): Step => ({
    kind: 'error',
    status: 429,
    error: {
      message: `Rate limit reached for requests. Limit: 3, Used: 3, Requested: 1. Please try again in ${retryAfterSeconds}s.`,
      type: 'requests',
      param: null,
      code: 'rate_limit_exceeded',
    },
    headers: { 'retry-after': String(retryAfterSeconds), 'x-ratelimit-remaining-requests': '0' },
  }),
  quotaExceeded: (): Step => ({
    kind: 'error',
    status: 429,
    error: { message: 'You exceeded your current quota, please check your plan and billing details.', type: 'insufficient_quota', param: null, code: 'insufficient_quota' },
  }),
  serverError: (): Step => ({ kind: 'error', status: 500, error: { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', param: null, code: null } }),
  hang: (): Step => ({ kind: 'hang' }),
  raw: (body: string, status = 200, contentType = 'application/json'): Step => ({ kind: 'raw', status, body, contentType }),
};

export interface FakeLlm {
  /** The base URL to configure (`…/v1`; the client appends `/chat/completions`). */
  readonly baseUrl: string;
  /** Every request, in arrival order, including refused ones. */
  readonly requests: RecordedRequest[];
  /** The key it accepts; change it to make the configured one wrong. */
  apiKey: string;
  /** Queues answers, used in order; with none queued, `fallback` answers. */
  script(...next: Step[]): void;
  /** Answers when nothing is scripted (default: a fixed reply). */
  fallback: (request: RecordedRequest) => Step;
  close(): Promise<void>;
}

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool']);

const invalid = (message: string, param: string | null = null): OpenAiError => ({ message, type: 'invalid_request_error', param, code: null });

/** The request body as OpenAI checks it; an error names the parameter. */
function validate(body: unknown): OpenAiError | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return invalid('We could not parse the JSON body of your request.');
  const b = body as Record<string, unknown>;
  if (typeof b.model !== 'string' || b.model === '') return invalid('you must provide a model parameter', 'model');
  if (!Array.isArray(b.messages) || b.messages.length === 0) return invalid("Missing required parameter: 'messages'.", 'messages');
  for (const [i, m] of (b.messages as unknown[]).entries()) {
    const message = m as Record<string, unknown> | null;
    if (typeof message !== 'object' || message === null || typeof message.role !== 'string' || !ROLES.has(message.role)) return invalid(`Invalid value for 'messages[${i}].role'.`, `messages[${i}].role`);
    if (typeof message.content !== 'string') return invalid(`Invalid type for 'messages[${i}].content': expected a string.`, `messages[${i}].content`);
  }
  if (b.temperature !== undefined && (typeof b.temperature !== 'number' || b.temperature < 0 || b.temperature > 2)) {
    return invalid(`Invalid 'temperature': decimal above maximum value. Expected a value <= 2.`, 'temperature');
  }
  return undefined;
}

const tokens = (text: string): number => Math.ceil(text.length / 4);

export async function startFakeLlm(options: { apiKey?: string } = {}): Promise<FakeLlm> {
  const requests: RecordedRequest[] = [];
  const queue: Step[] = [];
  const hanging = new Set<ServerResponse>();
  let sequence = 0;

  const sendJson = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'Content-Type': 'application/json', 'openai-processing-ms': '12', 'x-request-id': `req_${sequence}`, ...headers });
    res.end(JSON.stringify(body));
  };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string): void => {
    sequence += 1;
    let body: RecordedRequest['body'] = {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
      if (typeof parsed === 'object' && parsed !== null) body = parsed as RecordedRequest['body'];
    } catch {
      parsed = undefined;
    }
    const recorded: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization ?? '', raw, body, at: Date.now() };
    requests.push(recorded);

    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      return sendJson(res, 404, { error: invalid(`Invalid URL (${req.method} ${req.url})`) });
    }
    const key = /^Bearer (.+)$/.exec(recorded.authorization)?.[1];
    if (!key) {
      return sendJson(res, 401, {
        error: { message: "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).", type: 'invalid_request_error', param: null, code: null },
      });
    }
    if (key !== fake.apiKey) {
      // OpenAI quotes the key's ends: a reason never to pass its error message on.
      return sendJson(res, 401, {
        error: { message: `Incorrect API key provided: ${key.slice(0, 3)}*********${key.slice(-4)}. You can find your API key at https://platform.openai.com/account/api-keys.`, type: 'invalid_request_error', param: null, code: 'invalid_api_key' },
      });
    }
    const problem = parsed === undefined ? invalid('We could not parse the JSON body of your request.') : validate(parsed);
    if (problem) return sendJson(res, 400, { error: problem });

    const step = queue.shift() ?? fake.fallback(recorded);
    switch (step.kind) {
      case 'hang':
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      case 'raw':
        res.writeHead(step.status, { 'Content-Type': step.contentType });
        res.end(step.body);
        return;
      case 'error':
        return sendJson(res, step.status, { error: step.error }, step.headers);
      case 'reply':
      case 'refusal': {
        const prompt = (body.messages ?? []).map((m) => m.content).join('\n');
        const content = step.kind === 'reply' ? step.text : null;
        return sendJson(res, 200, {
          id: `chatcmpl-fake${sequence}`,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: body.model,
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content, refusal: step.kind === 'refusal' ? step.text : null, annotations: [] },
              logprobs: null,
              finish_reason: step.kind === 'reply' ? (step.finishReason ?? 'stop') : 'stop',
            },
          ],
          usage: { prompt_tokens: tokens(prompt), completion_tokens: tokens(step.text), total_tokens: tokens(prompt) + tokens(step.text) },
          system_fingerprint: 'fp_fake',
        });
      }
    }
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const fake: FakeLlm = {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests,
    apiKey: options.apiKey ?? 'sk-test-fake-0123456789abcdef',
    script: (...next) => void queue.push(...next),
    fallback: () => ({ kind: 'reply', text: 'Thanks for your message. Please see the help article.' }),
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
  return fake;
}

/** Everything the fake received, as one string: what a "never leaves the server" assertion searches. */
export const everythingSent = (fake: FakeLlm): string => fake.requests.map((r) => r.raw).join('\n');
