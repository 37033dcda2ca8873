import { describe, expect, it } from 'vitest';
import { WebhookRejection } from '../../../src/channels/errors.js';
import { backoffMs, jsonBody, sameSecret } from '../../../src/channels/kit/index.js';

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
});
