import { describe, expect, it } from 'vitest';
import { parseChannels } from '../../../config/channels.js';
import { ConfigError } from '../../../config/errors.js';

function errorFor(document: unknown, env: Record<string, string> = {}): string {
  try {
    parseChannels(document, env, 'channels.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`parseChannels accepted ${JSON.stringify(document)}`);
}

describe('parseChannels: valid entries', () => {
  it('a webchat entry parses and gets its defaults', () => {
    const channels = parseChannels(
      { channels: [{ id: 'web', kind: 'webchat', name: 'Website', welcomeMessage: 'Hi' }] },
      {},
      'channels.yaml',
    );
    expect(channels).toEqual([{ id: 'web', kind: 'webchat', name: 'Website', welcomeMessage: 'Hi', sessionDays: 30, limits: { messagesPerMinute: 30, sessionsPerTenMinutes: 30, uploadsPerTenMinutes: 20 } }]);
  });

  it('two webchat channels with different ids both parse', () => {
    const channels = parseChannels({ channels: [{ id: 'web', kind: 'webchat' }, { id: 'help_2', kind: 'webchat' }] }, {});
    expect(channels.map((c) => c.id)).toEqual(['web', 'help_2']);
  });
});

describe('parseChannels: errors name the channel, the kind and the field', () => {
  it('a wrongly typed field', () => {
    expect(errorFor({ channels: [{ id: 'web', kind: 'webchat', sessionDays: 'often' }] })).toContain(
      'channel "web" (webchat): field "sessionDays"',
    );
  });

  it('an out-of-range field', () => {
    expect(errorFor({ channels: [{ id: 'web', kind: 'webchat', sessionDays: 0 }] })).toContain(
      'channel "web" (webchat): field "sessionDays"',
    );
  });

  it('the source is named', () => {
    expect(errorFor({ channels: [{ id: 'web', kind: 'webchat', sessionDays: 0 }] })).toMatch(/^channels\.yaml: /);
  });

  it('an unknown kind lists the known kinds', () => {
    const message = errorFor({ channels: [{ id: 'tg', kind: 'pager' }] });
    expect(message).toContain('channel "tg" (pager)');
    expect(message).toContain('unknown kind "pager"');
    expect(message).toMatch(/known: .*webchat/);
  });

  it('a duplicate id', () => {
    const message = errorFor({ channels: [{ id: 'web', kind: 'webchat' }, { id: 'web', kind: 'webchat' }] });
    expect(message).toContain('channel "web"');
    expect(message).toContain('used twice');
  });

  it.each(['Web', 'a:b', '-web', ''])('an invalid id %j', (id) => {
    expect(errorFor({ channels: [{ id, kind: 'webchat' }] })).toContain('channels[0]: field "id"');
  });

  it('the index of a bad entry after a good one', () => {
    expect(errorFor({ channels: [{ id: 'web', kind: 'webchat' }, { id: 'A', kind: 'webchat' }] })).toContain(
      'channels[1]: field "id"',
    );
  });

  it('a document without a channels list', () => {
    expect(errorFor({ channel: [] })).toContain('"channels:"');
  });
});
