import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadChannelsFile } from '../../../config/channels.js';
import { ConfigError } from '../../../config/errors.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchboard-channels-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('loadChannelsFile', () => {
  it('reads a YAML file and interpolates from env', () => {
    const path = write('channels.yaml', 'channels:\n  - id: web\n    kind: webchat\n    name: ${WEB_NAME}\n');
    expect(loadChannelsFile(path, { WEB_NAME: 'Website' })).toEqual([
      { id: 'web', kind: 'webchat', name: 'Website', sessionDays: 30, limits: { messagesPerMinute: 30, sessionsPerTenMinutes: 30, uploadsPerTenMinutes: 20 } },
    ]);
  });

  it('reads a JSON file', () => {
    const path = write('channels.json', JSON.stringify({ channels: [{ id: 'help', kind: 'webchat', sessionDays: 7 }] }));
    expect(loadChannelsFile(path, {})).toEqual([{ id: 'help', kind: 'webchat', sessionDays: 7, limits: { messagesPerMinute: 30, sessionsPerTenMinutes: 30, uploadsPerTenMinutes: 20 } }]);
  });

  it('a YAML syntax error gives a ConfigError containing the path', () => {
    const path = write('broken.yaml', 'channels:\n  - id: web\n    kind: [webchat\n');
    expect(() => loadChannelsFile(path, {})).toThrow(ConfigError);
    expect(() => loadChannelsFile(path, {})).toThrow(path);
  });

  it('a JSON syntax error gives a ConfigError containing the path', () => {
    const path = write('broken.json', '{"channels": [');
    expect(() => loadChannelsFile(path, {})).toThrow(ConfigError);
    expect(() => loadChannelsFile(path, {})).toThrow(path);
  });

  it('a missing file gives a ConfigError containing the path', () => {
    const path = join(dir, 'missing.yaml');
    expect(() => loadChannelsFile(path, {})).toThrow(ConfigError);
    expect(() => loadChannelsFile(path, {})).toThrow(path);
  });

  it('a field error names the file', () => {
    const path = write('channels.yaml', 'channels:\n  - id: web\n    kind: webchat\n    sessionDays: 0\n');
    expect(() => loadChannelsFile(path, {})).toThrow(`${path}: channel "web" (webchat): field "sessionDays"`);
  });
});

describe('interpolated values cannot inject YAML structure', () => {
  const path = () => write('channels.yaml', 'channels:\n  - id: web\n    kind: webchat\n    welcomeMessage: ${WELCOME}\n');

  it('a value with a newline and "key: value" stays one plain string', () => {
    const [channel] = loadChannelsFile(path(), { WELCOME: 'x\n  evil: true' });
    expect(channel?.welcomeMessage).toBe('x\n  evil: true');
    expect(channel).not.toHaveProperty('evil');
  });

  it('a value shaped like a sibling field does not set that field', () => {
    const [channel] = loadChannelsFile(path(), { WELCOME: 'x\n    sessionDays: 7' });
    expect(channel?.welcomeMessage).toBe('x\n    sessionDays: 7');
    expect(channel?.sessionDays).toBe(30);
  });

  it('a value shaped like a new list entry adds no channel', () => {
    const channels = loadChannelsFile(path(), { WELCOME: 'x\n  - id: evil\n    kind: webchat' });
    expect(channels.map((c) => c.id)).toEqual(['web']);
  });
});
