import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { redact } from '../../../../src/desk/safety/redact.js';
import type { SecretCase } from '../../../fixtures/safety/generate-secrets.js';

const fixtures = join(import.meta.dirname, '../../../fixtures/safety');
const lines = <T>(file: string): T[] =>
  readFileSync(join(fixtures, file), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T);

const secrets = lines<SecretCase>('secrets.jsonl');
const ordinary = lines<{ id: string; lang: string; category: string; text: string }>('ordinary.jsonl');

/** Words of a text, as the tokens a reader would copy (Latin words, or single Chinese characters). */
const tokens = (text: string): string[] => text.toLowerCase().match(/\p{Script=Han}|[\p{L}\p{N}]+/gu) ?? [];

/** How many of the secret's words are still in the text, each counted as often as the secret has it. */
function surviving(secret: readonly string[], text: string): number {
  const left = new Map<string, number>();
  for (const t of tokens(text)) left.set(t, (left.get(t) ?? 0) + 1);
  let count = 0;
  for (const word of secret) {
    for (const t of tokens(word)) {
      const n = left.get(t) ?? 0;
      if (n > 0) {
        count += 1;
        left.set(t, n - 1);
      }
    }
  }
  return count;
}

describe('the safety corpus (test/fixtures/safety)', () => {
  it(`finds every one of the ${secrets.length} secrets, and none of each survives redaction`, () => {
    expect(secrets.length).toBeGreaterThanOrEqual(300);
    const missed: string[] = [];
    for (const c of secrets) {
      const { text, redactions } = redact(c.text);
      const found = redactions.some((r) => r.kind === c.kind);
      // A phrase: at most two of its words may stay, where the message's own words happen to be list words.
      const leaked = c.kind === 'recovery-phrase' ? surviving(c.secret, text) > 2 : c.secret.some((part) => text.includes(part));
      if (!found || leaked) missed.push(`${c.id} (${c.form}): ${found ? 'leaked' : 'not found'}`);
    }
    console.log(`safety corpus: ${secrets.length - missed.length}/${secrets.length} secrets detected and removed`);
    expect(missed).toEqual([]);
  });

  it(`redacts nothing in the ${ordinary.length} ordinary support messages`, () => {
    expect(ordinary.length).toBeGreaterThanOrEqual(1000);
    expect(ordinary.filter((o) => o.lang === 'zh').length).toBeGreaterThanOrEqual(400);
    expect(ordinary.filter((o) => o.lang === 'en').length).toBeGreaterThanOrEqual(400);
    const redacted = ordinary.filter((o) => redact(o.text).redactions.length > 0).map((o) => `${o.id} (${o.category})`);
    console.log(`safety corpus: ${redacted.length}/${ordinary.length} ordinary messages redacted`);
    expect(redacted).toEqual([]);
  });
});
