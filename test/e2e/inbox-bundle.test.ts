import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/runtime/paths.js';

/**
 * The inbox takes its types from the server's route contract (src/ui/inbox/src/types.ts) through
 * type-only imports; this checks that no server code came along into what browsers download.
 */
describe('the built inbox bundle', () => {
  it('contains only the inbox and React: no zod, express, pg or server modules', () => {
    const assets = join(projectRoot, 'dist', 'ui', 'inbox', 'assets');
    const maps = readdirSync(assets).filter((name) => name.endsWith('.js.map'));
    expect(maps.length).toBeGreaterThan(0);
    const sources = maps.flatMap((name) => (JSON.parse(readFileSync(join(assets, name), 'utf8')) as { sources: string[] }).sources);
    expect(sources.some((source) => source.includes('src/ui/inbox/src/types.ts'))).toBe(true);
    const foreign = sources.filter((source) => !/\/src\/ui\/inbox\/src\//.test(source) && !/\/node_modules\/(react|react-dom|scheduler)\//.test(source));
    expect(foreign).toEqual([]);
  });
});
