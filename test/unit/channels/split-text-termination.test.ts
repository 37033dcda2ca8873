import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * A non-terminating splitText would hang the test worker (a synchronous loop ignores vitest's
 * timeout), so these cases run in a child process with a hard time limit.
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));
const moduleUrl = new URL('../../../src/channels/kit/split-text.ts', import.meta.url).href;

function splitInChild(text: string, limit: number): { timedOut: boolean; status: number | null; stdout: string } {
  const code = `const { splitText } = await import(${JSON.stringify(moduleUrl)});
process.stdout.write(JSON.stringify(splitText(${JSON.stringify(text)}, ${limit})));`;
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: root,
    timeout: 10_000,
    encoding: 'utf8',
  });
  return { timedOut: result.signal === 'SIGTERM', status: result.status, stdout: result.stdout };
}

describe('splitText terminates with the smallest limit', () => {
  it('limit 1 on plain ASCII gives one character per part', () => {
    expect(splitInChild('abc', 1)).toEqual({ timedOut: false, status: 0, stdout: '["a","b","c"]' });
  });

  it('limit 1 on a text with an emoji returns instead of looping forever', () => {
    // Returning the emoji as its own over-long part or throwing are both acceptable; hanging is not.
    const { timedOut, status } = splitInChild('a😀b', 1);
    expect(timedOut).toBe(false);
    expect(status).not.toBeNull();
  });
});
