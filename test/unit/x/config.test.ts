import { describe, expect, it } from 'vitest';
import { xConfig } from '../../../adapters/x/config.js';

const base = { id: 'xdm', kind: 'x', appKey: 'k', appSecret: 's', accessToken: 'a', accessSecret: 'b', userId: '1600000000000000001' };

describe('X channel config', () => {
  it('defaults to webhook mode against api.x.com, one poll a minute within 15 requests / 15 minutes', () => {
    expect(xConfig.parse(base)).toMatchObject({ mode: 'webhook', apiBase: 'https://api.x.com', uploadBase: 'https://upload.x.com', pollIntervalMs: 60_000, pollBudget: 15, pollWindowMs: 900_000 });
  });

  it('refuses a non-numeric user id and an http apiBase (twitter-api-v2 only speaks https)', () => {
    expect(xConfig.safeParse({ ...base, userId: '@acme' }).success).toBe(false);
    expect(xConfig.safeParse({ ...base, apiBase: 'http://127.0.0.1:9' }).success).toBe(false);
  });

  it('coerces numbers from ${VAR} strings', () => {
    expect(xConfig.parse({ ...base, mode: 'polling', pollIntervalMs: '5000' }).pollIntervalMs).toBe(5000);
  });
});
