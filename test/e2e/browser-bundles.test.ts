import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/runtime/paths.js';

/** Server modules the browser bundles share on purpose: pure, import-free, browser-safe. */
const SHARED = ['src/domain/uploads.ts', 'src/desk/canned/template.ts'];

/**
 * The inbox and the widget take their types from the server's route contracts through type-only
 * imports; this checks that no server code came along into what browsers download.
 */
describe('the built browser bundles', () => {
  it('the inbox contains only the inbox, React, marked (the knowledge base\'s previews), the shared upload list and canned replies\' template parser: no zod, express, pg or server modules', () => {
    const assets = join(projectRoot, 'dist', 'ui', 'inbox', 'assets');
    const maps = readdirSync(assets).filter((name) => name.endsWith('.js.map'));
    expect(maps.length).toBeGreaterThan(0);
    const sources = maps.flatMap((name) => (JSON.parse(readFileSync(join(assets, name), 'utf8')) as { sources: string[] }).sources);
    expect(sources.some((source) => source.includes('src/ui/inbox/src/types.ts'))).toBe(true);
    const shared = (source: string) => SHARED.some((path) => source.endsWith(`/${path}`));
    const foreign = sources.filter((source) => !/\/src\/ui\/inbox\/src\//.test(source) && !/\/node_modules\/(react|react-dom|scheduler|marked)\//.test(source) && !shared(source));
    expect(foreign).toEqual([]);
    expect(sources.some(shared)).toBe(true);
  });

  it('the widget is one classic script with no dependencies, carrying the server\'s own upload list', async () => {
    const script = readFileSync(join(projectRoot, 'dist', 'ui', 'widget', 'widget.js'), 'utf8');
    // A classic <script>: no module syntax, nothing loaded at run time.
    expect(script).not.toMatch(/^\s*(import|export)\s/m);
    expect(script).not.toMatch(/\bimport\(|\brequire\(/);
    expect(script).not.toMatch(/ZodError|zod|express|kysely/i);
    const { UPLOAD_TYPES } = await import('../../src/domain/uploads.js');
    expect(script).toContain(`[${UPLOAD_TYPES.map((mime) => `"${mime}"`).join(',')}]`);
  });
});
