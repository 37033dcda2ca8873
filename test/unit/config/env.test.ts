import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../config/index.js';

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'switchboard-env-'));
});
afterEach(() => {
  rmSync(cwd, { recursive: true, force: true });
});

/** A 32-character key, so these tests do not depend on secret-file generation. */
const SECRET_KEY = 'k'.repeat(32);

function configErrorFor(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env, { cwd });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig defaults', () => {
  it('with an empty environment listens on 127.0.0.1:3000 as ROLE=all', () => {
    const config = loadConfig({ SECRET_KEY }, { cwd });
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.role).toBe('all');
  });

  it('derives PUBLIC_URL from PORT when PUBLIC_URL is unset', () => {
    expect(loadConfig({ SECRET_KEY }, { cwd }).publicUrl).toBe('http://localhost:3000');
    expect(loadConfig({ SECRET_KEY, PORT: '8080' }, { cwd }).publicUrl).toBe('http://localhost:8080');
  });

  it('resolves the default DATA_DIR against cwd', () => {
    expect(loadConfig({ SECRET_KEY }, { cwd }).dataDir).toBe(join(cwd, 'data'));
  });

  it('ADMIN_EMAIL defaults to admin@localhost', () => {
    expect(loadConfig({ SECRET_KEY }, { cwd }).adminEmail).toBe('admin@localhost');
  });

  it('ADMIN_EMAIL set explicitly to its documented default admin@localhost is accepted', () => {
    expect(loadConfig({ SECRET_KEY, ADMIN_EMAIL: 'admin@localhost' }, { cwd }).adminEmail).toBe('admin@localhost');
  });

  it('returns a frozen object', () => {
    expect(Object.isFrozen(loadConfig({ SECRET_KEY }, { cwd }))).toBe(true);
  });
});

describe('loadConfig refuses a bad value and names the variable', () => {
  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['ROLE', 'boss'],
    ['DATABASE_URL', 'mysql://x'],
    ['REDIS_URL', 'http://redis'],
    ['SECRET_KEY', 'too-short'],
    ['LOG_LEVEL', 'loud'],
  ])('%s=%s', (name, value) => {
    const error = configErrorFor({ SECRET_KEY, [name]: value });
    expect(error.message).toContain(`${name}=`);
    expect(error.message).toContain(value);
  });

  it('names only the offending variable, not the valid ones', () => {
    const error = configErrorFor({ SECRET_KEY, PORT: 'abc', HOST: '0.0.0.0' });
    expect(error.message).toContain('PORT');
    expect(error.message).not.toContain('HOST');
  });
});

describe('ROLE other than all needs external Postgres and Redis', () => {
  it('ROLE=api without DATABASE_URL and REDIS_URL fails naming both', () => {
    const error = configErrorFor({ SECRET_KEY, ROLE: 'api' });
    expect(error.message).toContain('DATABASE_URL');
    expect(error.message).toContain('REDIS_URL');
  });

  it('ROLE=worker with only DATABASE_URL still fails', () => {
    configErrorFor({ SECRET_KEY, ROLE: 'worker', DATABASE_URL: 'postgres://db/switchboard' });
  });

  it('ROLE=api with both URLs loads', () => {
    const config = loadConfig(
      { SECRET_KEY, ROLE: 'api', DATABASE_URL: 'postgres://db/switchboard', REDIS_URL: 'redis://cache:6379' },
      { cwd },
    );
    expect(config.role).toBe('api');
    expect(config.databaseUrl).toBe('postgres://db/switchboard');
    expect(config.redisUrl).toBe('redis://cache:6379');
  });
});
