import { describe, expect, it } from 'vitest';
import { createXAdapter, xSignature } from '../../../adapters/x/index.js';
import { xConfig } from '../../../adapters/x/config.js';
import { WebhookRejection } from '../../../src/channels/errors.js';
import type { InboundMessageInput } from '../../../src/domain/message.js';
import { testAdapterContext } from '../../support/adapter-context.js';
import { fixture } from './fixtures.js';
import { testSink } from '../../support/sink.js';

const config = xConfig.parse({ id: 'xdm', kind: 'x', appKey: 'k', appSecret: 'z3ZX4v7mAAUGykl3EcmkqbartmuW8VFOOzCloLx9Q45P0hLrFu', accessToken: 'a', accessSecret: 's', userId: '1600000000000000001' });

describe('X webhook authenticity', () => {
  it('the CRC response token matches the documented vector (PLATFORMS §8)', () => {
    expect(xSignature(config.appSecret, '9b4507b3-9040-4669-9ca3-6b94edb50553')).toBe('sha256=Cytd4Sq+NvEcV3MMrXxWJGJx5A+y/lXzzU2Maartkx8=');
  });

  it('GET ?crc_token= answers {"response_token"} as JSON with the vector', async () => {
    const adapter = createXAdapter(config, testAdapterContext());
    const reply = await adapter.webhook!({ method: 'GET', query: { crc_token: '9b4507b3-9040-4669-9ca3-6b94edb50553' }, headers: {}, rawBody: Buffer.alloc(0) }, testSink());
    expect(reply.status).toBe(200);
    expect(reply.contentType).toMatch(/^application\/json/);
    expect(JSON.parse(String(reply.body))).toEqual({ response_token: 'sha256=Cytd4Sq+NvEcV3MMrXxWJGJx5A+y/lXzzU2Maartkx8=' });
  });

  const post = (headers: Record<string, string>, raw: Buffer) => ({ method: 'POST', query: {}, headers, rawBody: raw });

  it('a POST without a signature is refused 401, a wrong one 403, and nothing reaches the sink', async () => {
    const adapter = createXAdapter(config, testAdapterContext());
    const accepted: InboundMessageInput[] = [];
    const sink = testSink(async (m: InboundMessageInput) => void accepted.push(m));
    const raw = Buffer.from(JSON.stringify(fixture('account-activity-message')));
    await expect(adapter.webhook!(post({}, raw), sink)).rejects.toMatchObject({ status: 401 });
    const signedOther = xSignature(config.appSecret, Buffer.concat([raw, Buffer.from(' ')]));
    const rejection = await adapter.webhook!(post({ 'x-twitter-webhooks-signature': signedOther }, raw), sink).catch((e: unknown) => e);
    expect(rejection).toBeInstanceOf(WebhookRejection);
    expect(rejection).toMatchObject({ status: 403 });
    await expect(adapter.webhook!(post({ 'x-twitter-webhooks-signature': 'sha256=short' }, raw), sink)).rejects.toMatchObject({ status: 403 });
    expect(accepted).toEqual([]);
  });

  it('the signature is checked over the raw bytes: the same JSON re-spaced is refused', async () => {
    const adapter = createXAdapter(config, testAdapterContext());
    const accepted: InboundMessageInput[] = [];
    const sink = testSink(async (m: InboundMessageInput) => void accepted.push(m));
    const compact = Buffer.from(JSON.stringify(fixture('account-activity-message')));
    const spaced = Buffer.from(JSON.stringify(fixture('account-activity-message'), null, 2));
    await expect(adapter.webhook!(post({ 'x-twitter-webhooks-signature': xSignature(config.appSecret, compact) }, spaced), sink)).rejects.toMatchObject({ status: 403 });
    expect((await adapter.webhook!(post({ 'x-twitter-webhooks-signature': xSignature(config.appSecret, spaced) }, spaced), sink)).status).toBe(200);
    expect(accepted.map((m) => m.externalId)).toEqual(['1857771234567890123']);
  });
});
