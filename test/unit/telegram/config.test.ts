import { describe, expect, it } from 'vitest';
import { parseChannels } from '../../../config/channels.js';
import { ConfigError } from '../../../config/errors.js';

const TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
const entry = (fields: Record<string, unknown>) => ({ channels: [{ id: 'tg', kind: 'telegram', token: TOKEN, secretToken: 's3cret_token-1', ...fields }] });

function errorFor(document: unknown, env: Record<string, string> = {}): string {
  try {
    parseChannels(document, env, 'channels.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(document)}`);
}

describe('telegram channel config', () => {
  it('a minimal webhook bot gets the documented defaults (webhook, api.telegram.org, mentions, 50 s polls, rate limits on)', () => {
    const [channel] = parseChannels(entry({}), {});
    expect(channel).toEqual({ id: 'tg', kind: 'telegram', token: TOKEN, secretToken: 's3cret_token-1', mode: 'webhook', apiRoot: 'https://api.telegram.org/', groups: 'mentions', pollTimeoutSeconds: 50, rateLimits: true });
  });

  it('rateLimits is off as a YAML false and as the string "false" from ${VAR}; anything else is refused', () => {
    expect(parseChannels(entry({ rateLimits: false }), {})[0]?.rateLimits).toBe(false);
    expect(parseChannels(entry({ rateLimits: '${TG_LIMITS}' }), { TG_LIMITS: 'false' })[0]?.rateLimits).toBe(false);
    expect(parseChannels(entry({ rateLimits: '${TG_LIMITS}' }), { TG_LIMITS: 'true' })[0]?.rateLimits).toBe(true);
    expect(errorFor(entry({ rateLimits: 'sometimes' }))).toContain('field "rateLimits"');
  });

  it('values from ${VAR} are coerced: a poll timeout of "1" is the number 1; polling needs no secret', () => {
    const [channel] = parseChannels({ channels: [{ id: 'tg', kind: 'telegram', token: '${TG_TOKEN}', mode: 'polling', pollTimeoutSeconds: '${TG_POLL}' }] }, { TG_TOKEN: TOKEN, TG_POLL: '1' });
    expect(channel).toMatchObject({ mode: 'polling', pollTimeoutSeconds: 1, token: TOKEN });
  });

  it('an apiRoot with a path keeps it (telegraf resolves method URLs relative to it)', () => {
    const [channel] = parseChannels(entry({ apiRoot: 'https://proxy.example.com/telegram' }), {});
    expect(channel?.apiRoot).toBe('https://proxy.example.com/telegram/');
  });

  it.each([
    ['webhook mode without secretToken', { secretToken: undefined }, 'field "secretToken"'],
    ['a secretToken with characters Telegram refuses', { secretToken: 'has spaces!' }, 'field "secretToken"'],
    ['a secretToken over 256 characters', { secretToken: 'a'.repeat(257) }, 'field "secretToken"'],
    ['a token that is not a bot token', { token: 'not-a-token' }, 'field "token"'],
    ['a missing token', { token: undefined }, 'field "token": required'],
    ['an unknown mode', { mode: 'push' }, 'field "mode"'],
    ['an unknown groups setting', { groups: 'some' }, 'field "groups"'],
    ['a non-numeric poll timeout', { pollTimeoutSeconds: 'soon' }, 'field "pollTimeoutSeconds"'],
    ['an apiRoot that is not http(s)', { apiRoot: 'ftp://api.telegram.org' }, 'field "apiRoot"'],
  ])('%s is refused, naming the channel and the field', (_label, fields, expected) => {
    const message = errorFor(entry(fields));
    expect(message).toContain('channel "tg" (telegram)');
    expect(message).toContain(expected);
  });
});
