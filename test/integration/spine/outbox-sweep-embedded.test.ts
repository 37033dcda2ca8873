import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../../src/runtime/paths.js';

/**
 * The outbox recovery sweep on the embedded database (PGlite: one connection). It once held a
 * transaction while the consumers ran; a consumer reading the database then waited for the
 * connection the sweep held, forever — seen as `npm start` hanging after a restart that found
 * batches left in the outbox. Run in its own process (test/support/sweep-embedded-child.ts).
 */
describe('outbox sweep on the embedded database', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-sweep-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('hands a batch left behind to consumers that use the database and forgets it; a failed one is claimed for a while, not retried at once', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(projectRoot, 'test/support/sweep-embedded-child.ts'), dataDir], { cwd: projectRoot, timeout: 120_000 });
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(result).toEqual({ swept: 1, seen: 1, left: 0, again: 0, failedSweeps: [0, 0], calls: 1, kept: 1 });
  }, 150_000);
});
