import { describe, expect, it } from 'vitest';
import { parseChannels } from '../../../config/channels.js';
import { ConfigError } from '../../../config/errors.js';

const SECRET = 'abcdefghijklmnop-0123';

const web = (fields: Record<string, unknown>) => ({ channels: [{ id: 'web', kind: 'webchat', ...fields }] });

function errorFor(document: unknown, env: Record<string, string> = {}): string {
  try {
    parseChannels(document, env, 'channels.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`parseChannels accepted ${JSON.stringify(document)}`);
}

describe('${VAR} interpolation', () => {
  it('a whole-value ${VAR} takes the variable', () => {
    const [channel] = parseChannels(web({ identitySecret: '${WEB_SECRET}' }), { WEB_SECRET: SECRET });
    expect(channel?.identitySecret).toBe(SECRET);
  });

  it('${VAR} inside a longer string is replaced in place', () => {
    const [channel] = parseChannels(web({ welcomeMessage: 'Hello from ${TEAM} support!' }), { TEAM: 'Acme' });
    expect(channel?.welcomeMessage).toBe('Hello from Acme support!');
  });

  it('${VAR} inside array items is replaced', () => {
    const [channel] = parseChannels(web({ allowedOrigins: ['https://${HOST_A}', '${ORIGIN_B}'] }), {
      HOST_A: 'a.example',
      ORIGIN_B: 'https://b.example',
    });
    expect(channel?.allowedOrigins).toEqual(['https://a.example', 'https://b.example']);
  });

  it('${VAR:-default} uses the default when the variable is unset', () => {
    const [channel] = parseChannels(web({ welcomeMessage: 'Hi ${WHO:-there}', name: '${NAME:-Chat}' }), {});
    expect(channel?.welcomeMessage).toBe('Hi there');
    expect(channel?.name).toBe('Chat');
  });

  it('${VAR:-default} uses the variable when it is set', () => {
    const [channel] = parseChannels(web({ welcomeMessage: 'Hi ${WHO:-there}' }), { WHO: 'Ana' });
    expect(channel?.welcomeMessage).toBe('Hi Ana');
  });
});

describe('unset variables', () => {
  it('a whole-value placeholder for an unset variable leaves an optional field unset', () => {
    const [channel] = parseChannels(web({ identitySecret: '${WEB_SECRET}' }), {});
    expect(channel).toBeDefined();
    expect(channel).not.toHaveProperty('identitySecret');
  });

  it('a variable set to the empty string counts as unset', () => {
    const [channel] = parseChannels(web({ identitySecret: '${WEB_SECRET}' }), { WEB_SECRET: '' });
    expect(channel).not.toHaveProperty('identitySecret');
  });

  it('a whole-value placeholder for an unset variable in a required field errors as required', () => {
    const message = errorFor({ channels: [{ id: '${CHANNEL_ID}', kind: 'webchat' }] });
    expect(message).toContain('field "id"');
    expect(message).toContain('required');
  });

  it('a placeholder inside a longer string with an unset variable errors naming the variable', () => {
    const message = errorFor(web({ welcomeMessage: 'Hello from ${TEAM_NAME}' }));
    expect(message).toContain('TEAM_NAME');
    expect(message).toContain('not set');
  });
});
