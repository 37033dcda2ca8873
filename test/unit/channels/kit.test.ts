import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { baseChannelConfig } from '../../../src/channels/base-config.js';
import type { AdapterContext } from '../../../src/channels/contract.js';
import { PermanentChannelError, RetryableChannelError, WebhookRejection } from '../../../src/channels/errors.js';
import { backoffMs, defineAdapter, downloadAtMost, jsonBody, sameSecret, secretMatcher, sendParts, textParts } from '../../../src/channels/kit/index.js';

/** A platform that delivers until its `failAt`-th call (0-based, counted over all attempts), then fails. */
function flakyPlatform(failAt: number) {
  const delivered: string[] = [];
  let calls = 0;
  return {
    delivered,
    async send(part: string): Promise<string> {
      if (calls++ === failAt) throw new Error('connection reset');
      delivered.push(part);
      return `id-${delivered.length}`;
    },
  };
}
const asRetryable = (error: unknown, sent: readonly string[]) => new RetryableChannelError((error as Error).message, 'send_error', undefined, sent);

const streamOf = (chunks: Uint8Array[], headers: Record<string, string> = {}): Response =>
  new Response(
    new ReadableStream({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk);
        controller.close();
      },
    }),
    { headers },
  );

describe('the channel kit', () => {
  it('sameSecret: equal secrets match; other lengths, empties and a missing header do not', () => {
    expect(sameSecret('webhook-secret_0123456789', 'webhook-secret_0123456789')).toBe(true);
    expect(sameSecret(Buffer.from('s3cr3t'), 's3cr3t')).toBe(true);
    expect(sameSecret('webhook-secret_012345678', 'webhook-secret_0123456789')).toBe(false);
    expect(sameSecret('webhook-secret_0123456789x', 'webhook-secret_0123456789')).toBe(false);
    expect(sameSecret('', 'webhook-secret')).toBe(false);
    expect(sameSecret(undefined, 'webhook-secret')).toBe(false);
    // An unset expected secret must never let an empty header through.
    expect(sameSecret('', '')).toBe(false);
  });

  it('secretMatcher: the same answers as sameSecret for a secret fixed at start', () => {
    const matches = secretMatcher('webhook-secret_0123456789');
    for (const given of ['webhook-secret_0123456789', 'webhook-secret_012345678', 'webhook-secret_0123456789x', '', undefined]) {
      expect(matches(given)).toBe(sameSecret(given, 'webhook-secret_0123456789'));
    }
    expect(secretMatcher('')('')).toBe(false);
  });

  it('jsonBody: JSON comes back parsed; anything else is a 400 for the platform', () => {
    expect(jsonBody(Buffer.from('{"update_id":1,"message":{"text":"你好"}}'))).toEqual({ update_id: 1, message: { text: '你好' } });
    for (const bad of ['', '{', 'update_id=1', '\u0000\u0001', '{"a":1}}']) {
      const error = (() => {
        try {
          jsonBody(Buffer.from(bad));
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(WebhookRejection);
      expect((error as WebhookRejection).status).toBe(400);
    }
  });

  it('backoffMs: one formula for every retry, capped, with its own base and cap per caller', () => {
    for (let attempt = 1; attempt < 40; attempt++) {
      const ms = backoffMs(attempt, { baseMs: 500, capMs: 30_000 });
      const ceiling = Math.min(30_000, 500 * 2 ** (attempt - 1));
      expect(ms).toBeGreaterThanOrEqual(ceiling / 2);
      expect(ms).toBeLessThanOrEqual(ceiling);
    }
  });

  it('textParts: no parts for a reply that is only files, split parts within the limit otherwise', () => {
    expect(textParts('  \n ', 10)).toEqual([]);
    const parts = textParts('first sentence. second sentence. third one.', 20);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(20);
  });

  it('sendParts: a reply that fails midway is resumed after the parts delivered, none twice, none skipped', async () => {
    const parts = ['one', 'two', 'three', 'four'];
    const platform = flakyPlatform(2);
    const failure = await sendParts(parts, { alreadySent: [] }, (part) => platform.send(part), asRetryable).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RetryableChannelError);
    const sentBefore = (failure as RetryableChannelError).sentExternalIds;
    expect(sentBefore).toEqual(['id-1', 'id-2']);
    // The outbound worker passes what was delivered back as alreadySent.
    const rest = await sendParts(parts, { alreadySent: sentBefore }, (part) => platform.send(part), asRetryable);
    expect(rest).toEqual(['id-3', 'id-4']);
    expect(platform.delivered).toEqual(parts);
  });

  it('sendParts: each part is told its index in the whole reply (what WeChat ids and reply-to use)', async () => {
    const indices: number[] = [];
    await sendParts(['a', 'b', 'c'], { alreadySent: ['x'] }, async (_part, index) => {
      indices.push(index);
      return String(index);
    }, asRetryable);
    expect(indices).toEqual([1, 2]);
  });

  it('downloadAtMost: refuses a declared size over the limit, cuts off a body that lies, keeps one within it', async () => {
    const chunk = new Uint8Array(600).fill(7);
    await expect(downloadAtMost(streamOf([chunk], { 'content-length': '5000' }), 1000)).rejects.toMatchObject({ code: 'too_large' });
    // No Content-Length (or a false one): the bytes themselves are counted.
    await expect(downloadAtMost(streamOf([chunk, chunk]), 1000)).rejects.toBeInstanceOf(PermanentChannelError);
    await expect(downloadAtMost(streamOf([chunk, chunk], { 'content-length': '10' }), 1000)).rejects.toMatchObject({ code: 'too_large' });
    const kept = await downloadAtMost(streamOf([chunk]), 1000);
    expect(kept).toEqual(Buffer.from(chunk));
  });

  describe('defineAdapter', () => {
    const schema = baseChannelConfig.extend({ kind: z.literal('webchat'), address: z.string().default('desk@example.com') });
    const context = { logger: pino({ level: 'silent' }) } as unknown as AdapterContext;
    const capabilities = { maxTextLength: 100, formats: ['text'] as const, attachments: false, replyWindowHours: null };
    const define = (check: () => Promise<{ status: 'ok' | 'error' | 'paused'; error?: string | null }>, describeError?: (error: unknown) => string) =>
      defineAdapter({
        kind: 'webchat',
        configSchema: schema,
        defaultName: (config) => config.address,
        create: () => ({
          capabilities,
          send: async () => ({ externalIds: [] }),
          check,
          ...(describeError ? { describeError } : {}),
        }),
      });

    it('supplies id, kind and name (the default when the config has none), and nothing of its own', () => {
      const adapter = define(async () => ({ status: 'ok' })).create({ id: 'web', kind: 'webchat' }, context);
      expect({ id: adapter.id, kind: adapter.kind, name: adapter.name }).toEqual({ id: 'web', kind: 'webchat', name: 'desk@example.com' });
      expect(define(async () => ({ status: 'ok' })).create({ id: 'web', kind: 'webchat', name: 'Help' }, context).name).toBe('Help');
      expect(Object.keys(adapter).sort()).toEqual(['capabilities', 'id', 'kind', 'name', 'send', 'verify']);
    });

    it('verify() stamps the time, keeps a warning, and turns a throw into an error status without leaking it', async () => {
      const before = Date.now();
      const ok = await define(async () => ({ status: 'ok' })).create({ id: 'web', kind: 'webchat' }, context).verify();
      expect(ok).toMatchObject({ status: 'ok', error: null });
      expect(Date.parse(ok.checkedAt ?? '')).toBeGreaterThanOrEqual(before - 1);
      const warned = await define(async () => ({ status: 'ok', error: 'rate limited' })).create({ id: 'web', kind: 'webchat' }, context).verify();
      expect(warned).toMatchObject({ status: 'ok', error: 'rate limited' });
      const thrown = define(async () => {
        throw new Error('401 for token abc:SECRET');
      }, () => 'the platform refused the token (401)');
      expect(await thrown.create({ id: 'web', kind: 'webchat' }, context).verify()).toMatchObject({ status: 'error', error: 'the platform refused the token (401)' });
      const plain = define(async () => {
        throw new Error('connect ECONNREFUSED');
      });
      expect(await plain.create({ id: 'web', kind: 'webchat' }, context).verify()).toMatchObject({ status: 'error', error: 'connect ECONNREFUSED' });
    });

    it('refuses a config its schema refuses', () => {
      expect(() => define(async () => ({ status: 'ok' })).create({ id: 'Bad Id', kind: 'webchat' }, context)).toThrow();
    });
  });
});
