import { TelegramError } from 'telegraf';
import { describe, expect, it } from 'vitest';
import { toChannelError } from '../../../adapters/telegram/outbound.js';
import { PermanentChannelError, RetryableChannelError } from '../../../src/channels/errors.js';

/** The error telegraf throws for an `ok:false` answer (telegraf src/core/network/error.ts). */
const telegramError = (error_code: number, description: string, parameters?: { retry_after?: number; migrate_to_chat_id?: number }) =>
  new TelegramError({ error_code, description, ...(parameters ? { parameters } : {}) });

describe('Bot API failures → what the outbound worker does next', () => {
  it('429 is retryable after exactly retry_after seconds', () => {
    const error = toChannelError(telegramError(429, 'Too Many Requests: retry after 7', { retry_after: 7 }));
    expect(error).toBeInstanceOf(RetryableChannelError);
    expect(error).toMatchObject({ code: 'rate_limited', retryAfterMs: 7_000 });
  });

  it('403 "bot was blocked by the user" is permanent `blocked` with Telegram\'s own words', () => {
    const error = toChannelError(telegramError(403, 'Forbidden: bot was blocked by the user'));
    expect(error).toBeInstanceOf(PermanentChannelError);
    expect(error).toMatchObject({ code: 'blocked', message: 'Forbidden: bot was blocked by the user' });
  });

  it('other 403s (kicked from the group, deactivated user) are permanent `forbidden`', () => {
    expect(toChannelError(telegramError(403, 'Forbidden: user is deactivated'))).toMatchObject({ code: 'forbidden', message: 'Forbidden: user is deactivated' });
  });

  it('400 "chat not found" is permanent `chat_not_found`; other 400s are permanent with the description', () => {
    expect(toChannelError(telegramError(400, 'Bad Request: chat not found'))).toMatchObject({ name: 'PermanentChannelError', code: 'chat_not_found' });
    expect(toChannelError(telegramError(400, "Bad Request: can't parse entities"))).toMatchObject({ name: 'PermanentChannelError', code: 'rejected', message: "Bad Request: can't parse entities" });
  });

  it('a group upgraded to a supergroup names the new chat id', () => {
    const error = toChannelError(telegramError(400, 'Bad Request: group chat was upgraded to a supergroup chat', { migrate_to_chat_id: -1002012345678 }));
    expect(error).toMatchObject({ name: 'PermanentChannelError', code: 'chat_migrated' });
    expect(error.message).toContain('-1002012345678');
  });

  it('401 is permanent `unauthorized`', () => {
    expect(toChannelError(telegramError(401, 'Unauthorized'))).toMatchObject({ name: 'PermanentChannelError', code: 'unauthorized' });
  });

  it('5xx and network faults are retryable without a forced wait', () => {
    const server = toChannelError(telegramError(502, 'Bad Gateway'));
    expect(server).toBeInstanceOf(RetryableChannelError);
    expect(server).toMatchObject({ code: 'platform_unavailable', retryAfterMs: undefined });
    const network = Object.assign(new Error('request to https://api.telegram.org/bot123:[REDACTED]/sendMessage failed, reason: socket hang up'), { name: 'FetchError' });
    expect(toChannelError(network)).toMatchObject({ name: 'RetryableChannelError', code: 'network' });
  });

  it('the parts delivered before the failure travel with the error, so a retry skips them', () => {
    expect(toChannelError(telegramError(429, 'Too Many Requests: retry after 1', { retry_after: 1 }), ['42:1001']).sentExternalIds).toEqual(['42:1001']);
    expect(toChannelError(telegramError(403, 'Forbidden: bot was blocked by the user'), ['42:1001']).sentExternalIds).toEqual(['42:1001']);
  });
});
