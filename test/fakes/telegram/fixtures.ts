import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../../src/runtime/paths.js';

/** A recorded Bot API Update from test/fixtures/telegram (documented shapes, real-looking ids). */
export function telegramFixture(name: string): { update_id: number } & Record<string, unknown> {
  return JSON.parse(readFileSync(join(projectRoot, 'test', 'fixtures', 'telegram', `${name}.json`), 'utf8'));
}
