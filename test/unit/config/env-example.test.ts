import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { envSchema, envVariableNames } from '../../../config/env.js';

const text = readFileSync(new URL('../../../.env.example', import.meta.url), 'utf8');
const lines = text
  .split(/\r?\n/)
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));
const entries = lines.map((line) => {
  const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
  return match ? { name: match[1]!, value: match[2]! } : { name: undefined, value: line };
});
const exampleNames = entries.flatMap((e) => (e.name ? [e.name] : []));
const schemaNames: string[] = [...envVariableNames];

describe('.env.example is in step with config/env.ts', () => {
  it('every non-comment line is NAME=value', () => {
    expect(entries.filter((e) => e.name === undefined).map((e) => e.value)).toEqual([]);
  });

  it('lists no variable twice', () => {
    expect(exampleNames.filter((name, i) => exampleNames.indexOf(name) !== i)).toEqual([]);
  });

  it('lists every variable the schema reads', () => {
    expect(schemaNames.filter((name) => !exampleNames.includes(name))).toEqual([]);
  });

  it('lists no variable the schema does not read', () => {
    expect(exampleNames.filter((name) => !schemaNames.includes(name))).toEqual([]);
  });

  it('its example values are accepted by the schema', () => {
    const env = Object.fromEntries(entries.map((e) => [e.name, e.value]));
    const result = envSchema.safeParse(env);
    expect(result.error?.issues ?? []).toEqual([]);
  });
});
