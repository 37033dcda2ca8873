import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const fixture = (name: string): unknown => JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/x', `${name}.json`), 'utf8'));
export const SUPPORT_USER = '1600000000000000001';
export const options = { channelId: 'xdm', userId: SUPPORT_USER };
