import { DiscordAPIError, HTTPError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { discordConfig } from '../../../adapters/discord/config.js';
import { planParts, TEXT_LIMIT, toChannelError } from '../../../adapters/discord/outbound.js';
import { PermanentChannelError, RetryableChannelError } from '../../../src/channels/errors.js';

const apiError = (status: number, code: number, message: string) => new DiscordAPIError({ code, message }, code, status, 'POST', 'http://x/api/v10/channels/1/messages', {});

describe('Discord outbound planning and error mapping', () => {
  it('splits text at 2,000 characters and sends each file as its own message after the text', () => {
    const file = { id: 'a', name: 'a.pdf', mimeType: 'application/pdf', size: 10, read: async () => Buffer.alloc(10) };
    const parts = planParts({ text: 'x'.repeat(4500), attachments: [file] });
    expect(parts.map((p) => p.kind)).toEqual(['text', 'text', 'text', 'file']);
    expect(parts.every((p) => p.kind !== 'text' || p.text.length <= TEXT_LIMIT)).toBe(true);
    expect(planParts({ text: '  ', attachments: [] })).toEqual([]);
  });

  it.each([
    [50007, 'dms_closed'],
    [50013, 'missing_permissions'],
    [50001, 'missing_access'],
  ])('JSON error %i is permanent (%s) and keeps the delivered parts', (code, name) => {
    const mapped = toChannelError(apiError(403, code, 'refused'), ['9']);
    expect(mapped).toBeInstanceOf(PermanentChannelError);
    expect(mapped).toMatchObject({ code: name, sentExternalIds: ['9'] });
    expect(mapped.message).toContain('refused');
  });

  it('5xx and network faults are retryable; 401 is permanent', () => {
    expect(toChannelError(new HTTPError(503, 'Service Unavailable', 'POST', 'u', {}))).toBeInstanceOf(RetryableChannelError);
    expect(toChannelError(new TypeError('fetch failed'))).toBeInstanceOf(RetryableChannelError);
    expect(toChannelError(apiError(401, 0, '401: Unauthorized'))).toMatchObject({ code: 'unauthorized' });
  });

  it('config: defaults the API base, strips a "Bot " token prefix, refuses a support channel that is not an id', () => {
    const config = discordConfig.parse({ id: 'dc', kind: 'discord', token: 'Bot abc.def', channels: ['1200000000000000011'] });
    expect(config).toMatchObject({ apiBase: 'https://discord.com/api', token: 'abc.def' });
    expect(discordConfig.safeParse({ id: 'dc', kind: 'discord', token: 't', channels: ['#support'] }).success).toBe(false);
  });
});
