import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { createDesk, parseDeskSection } from '../../src/desk/index.js';
import { InboundMessage } from '../../src/domain/message.js';
import { nobodyOnline } from '../../src/realtime/presence.js';
import type { InboxDeps } from '../../src/inbox/deps.js';
import { TelegramTraffic, TEXTS } from './traffic.js';

/** What the desk's inbound filters (wallet safety's detector) cost per message, on the ingest path. */
export interface DeskFilterCost {
  /** The benchmark's own customer texts (what the sustained phases send). */
  readonly ordinaryUsPerMessage: number;
  /** Messages holding a recovery phrase or a key (test/fixtures/safety/secrets.jsonl). */
  readonly secretUsPerMessage: number;
  readonly messages: number;
}

/** Runs `sink.accept()`'s filter step alone, in this process, with the defaults of `desk:`. */
export function measureDeskFilters(rounds = 20_000): DeskFilterCost {
  const desk = createDesk(parseDeskSection({}), {
    logger: pino({ level: 'silent' }),
    presence: nobodyOnline,
    channels: new Map([['tg', { id: 'tg', kind: 'telegram', capabilities: { maxTextLength: 4096, formats: ['text'], attachments: true, replyWindowHours: null, buttons: true } }]]),
    publicUrl: 'http://127.0.0.1',
    secretKey: 'bench',
    inbox: () => {
      throw new Error('the filters never need the inbox');
    },
  });
  // The payload as the Telegram adapter keeps it for the sustained phases' updates: the filter reads it too.
  const traffic = new TelegramTraffic({ customers: 10_000, seed: 1 });
  const message = (text: string, i: number): InboundMessage => {
    const update = traffic.update(i, 0) as { message: Record<string, unknown> };
    return InboundMessage.parse({
      channelId: 'tg',
      externalId: `b${i}`,
      threadKey: `c${i % 500}`,
      sender: { externalId: `u${i % 500}`, name: 'Bench Customer' },
      sentAt: new Date(0).toISOString(),
      text,
      raw: { languageCode: 'en', update: { ...update, message: { ...update.message, text } } },
    });
  };
  const secretsFile = join(import.meta.dirname, '../../test/fixtures/safety/secrets.jsonl');
  const secrets = readFileSync(secretsFile, 'utf8').split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { text: string }).text);
  const time = (texts: readonly string[], n: number): number => {
    const inputs = Array.from({ length: n }, (_, i) => message(`${texts[i % texts.length]!} (bench #${i})`, i));
    for (const m of inputs.slice(0, 500)) desk.hooks.filters.message(m); // warm-up
    const start = process.hrtime.bigint();
    for (const m of inputs) desk.hooks.filters.message(m);
    return Number(process.hrtime.bigint() - start) / 1_000 / n;
  };
  return { ordinaryUsPerMessage: time(TEXTS, rounds), secretUsPerMessage: time(secrets, Math.max(1_000, Math.round(rounds / 10))), messages: rounds };
}
