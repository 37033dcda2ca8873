import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/index.js';

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'switchboard-secret-'));
});
afterEach(() => {
  rmSync(cwd, { recursive: true, force: true });
});

describe('SECRET_KEY unset', () => {
  it('generates a key of at least 32 characters into <DATA_DIR>/secret-key with mode 0600', () => {
    const dataDir = join(cwd, 'state');
    const config = loadConfig({ DATA_DIR: dataDir }, { cwd });
    const file = join(dataDir, 'secret-key');
    expect(config.secretKey.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(file, 'utf8').trim()).toBe(config.secretKey);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('reuses the generated key on the next load', () => {
    const first = loadConfig({ DATA_DIR: 'state' }, { cwd }).secretKey;
    const second = loadConfig({ DATA_DIR: 'state' }, { cwd }).secretKey;
    expect(second).toBe(first);
  });

  it('two data directories get different keys', () => {
    const a = loadConfig({ DATA_DIR: 'a' }, { cwd }).secretKey;
    const b = loadConfig({ DATA_DIR: 'b' }, { cwd }).secretKey;
    expect(a).not.toBe(b);
  });
});

describe('SECRET_KEY set', () => {
  it('uses it and writes no secret file', () => {
    const key = 's'.repeat(40);
    const config = loadConfig({ SECRET_KEY: key, DATA_DIR: 'state' }, { cwd });
    expect(config.secretKey).toBe(key);
    expect(existsSync(join(cwd, 'state', 'secret-key'))).toBe(false);
  });
});
