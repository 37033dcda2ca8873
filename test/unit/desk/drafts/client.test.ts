import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatCompletion, type LlmEndpoint, LlmError, retryAfterOf } from '../../../../src/desk/drafts/client.js';
import { type FakeLlm, startFakeLlm, steps } from '../../../fakes/llm/server.js';

const body = { model: 'gpt-4o-mini', messages: [{ role: 'system' as const, content: 'rules' }, { role: 'user' as const, content: 'question' }], temperature: 0.2 };

const failureOf = async (endpoint: LlmEndpoint): Promise<LlmError> => {
  try {
    await chatCompletion(endpoint, body);
  } catch (error) {
    if (error instanceof LlmError) return error;
    throw error;
  }
  throw new Error('expected the completion to fail');
};

/** The OpenAI-compatible client against the fake endpoint, over real HTTP. */
describe('chat completions client', () => {
  let fake: FakeLlm;
  let endpoint: LlmEndpoint;
  beforeAll(async () => {
    fake = await startFakeLlm();
    endpoint = { baseUrl: `${fake.baseUrl}/`, apiKey: fake.apiKey, timeoutMs: 2_000 };
  });
  afterAll(async () => fake?.close());

  it('posts {model, messages, temperature} to {baseUrl}/chat/completions with the bearer key, and reads choices[0].message.content', async () => {
    fake.script(steps.reply('  Withdrawals take about 30 minutes.  '));
    const before = fake.requests.length;
    expect(await chatCompletion(endpoint, body)).toEqual({ text: 'Withdrawals take about 30 minutes.', finishReason: 'stop' });
    const [request] = fake.requests.slice(before);
    expect(request).toMatchObject({ method: 'POST', path: '/v1/chat/completions', authorization: `Bearer ${fake.apiKey}` });
    expect(JSON.parse(request!.raw)).toEqual(body);
  });

  it('a refused key is `unauthorized`, and the message never repeats the endpoint\'s text (it quotes the key)', async () => {
    const error = await failureOf({ ...endpoint, apiKey: 'sk-wrong-key-987654321' });
    expect(error.failure).toBe('unauthorized');
    expect(error.details).toMatchObject({ status: 401, type: 'invalid_request_error', code: 'invalid_api_key' });
    expect(error.message).not.toMatch(/4321|sk-/);
  });

  it('a rate limit is `rate_limited` with the wait the endpoint asked for; a spent quota too, without one', async () => {
    fake.script(steps.rateLimited(17));
    const limited = await failureOf(endpoint);
    expect(limited.failure).toBe('rate_limited');
    expect(limited.details.retryAfterMs).toBe(17_000);
    fake.script(steps.quotaExceeded());
    const quota = await failureOf(endpoint);
    expect(quota.failure).toBe('rate_limited');
    expect(quota.details).toMatchObject({ code: 'insufficient_quota' });
    expect(quota.details.retryAfterMs).toBeUndefined();
  });

  it('no answer within the timeout is `timeout`', async () => {
    fake.script(steps.hang());
    expect((await failureOf({ ...endpoint, timeoutMs: 300 })).failure).toBe('timeout');
  });

  it.each([
    ['a non-JSON body', steps.raw('<html>Bad gateway</html>', 200, 'text/html')],
    ['JSON that is no completion', steps.raw('{"object":"list","data":[]}')],
    ['a completion without text', steps.raw('{"choices":[{"index":0,"message":{"role":"assistant","content":null},"finish_reason":"length"}]}')],
    ['a body cut short', steps.raw('{"choices":[{"index":0,"mess')],
  ])('%s is `malformed`', async (_, step) => {
    fake.script(step);
    expect((await failureOf(endpoint)).failure).toBe('malformed');
  });

  it('a refusal is `refused`, a 5xx `unavailable`, an unknown model `rejected` (named by its code, not by the endpoint\'s words)', async () => {
    fake.script({ kind: 'refusal', text: "I'm sorry, I can't help with that." });
    expect((await failureOf(endpoint)).failure).toBe('refused');
    fake.script(steps.serverError());
    const failed = await failureOf(endpoint);
    expect(failed.failure).toBe('unavailable');
    expect(failed.details).toMatchObject({ status: 500 });
    fake.script({ kind: 'error', status: 404, error: { message: 'The model `gpt-9` does not exist or you do not have access to it.', type: 'invalid_request_error', param: null, code: 'model_not_found' } });
    const rejected = await failureOf(endpoint);
    expect(rejected.failure).toBe('rejected');
    expect(rejected.message).toContain('model_not_found');
    expect(rejected.message).not.toContain('gpt-9');
  });

  it('the fake checks the request as OpenAI does (its 400 names the parameter)', async () => {
    const response = await fetch(`${fake.baseUrl}/chat/completions`, { method: 'POST', headers: { Authorization: `Bearer ${fake.apiKey}` }, body: JSON.stringify({ model: 'm', messages: [{ role: 'robot', content: 'x' }] }) });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { message: "Invalid value for 'messages[0].role'.", type: 'invalid_request_error', param: 'messages[0].role', code: null } });
  });

  it('nobody listening is `unreachable`; a redirect is not followed with the key', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    expect((await failureOf({ ...endpoint, baseUrl: `http://127.0.0.1:${port}/v1` })).failure).toBe('unreachable');

    const redirecting = createServer((_req, res) => {
      res.writeHead(307, { Location: `${fake.baseUrl}/chat/completions` });
      res.end();
    });
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    const before = fake.requests.length;
    const error = await failureOf({ ...endpoint, baseUrl: `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}/v1` });
    expect(error.failure).toBe('unreachable');
    expect(fake.requests.length).toBe(before);
    redirecting.close();
  });
});

describe('Retry-After', () => {
  const headers = (entries: Record<string, string>) => new Headers(entries);
  it('reads retry-after-ms first, then seconds or an HTTP date, bounded to an hour', () => {
    expect(retryAfterOf(headers({ 'retry-after-ms': '1500', 'retry-after': '9' }))).toBe(1500);
    expect(retryAfterOf(headers({ 'retry-after': '2' }))).toBe(2000);
    const now = Date.parse('2026-12-05T10:00:00Z');
    expect(retryAfterOf(headers({ 'retry-after': 'Sat, 05 Dec 2026 10:00:30 GMT' }), now)).toBe(30_000);
    expect(retryAfterOf(headers({ 'retry-after': '86400' }))).toBe(3_600_000);
    expect(retryAfterOf(headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterOf(headers({}))).toBeUndefined();
  });
});
