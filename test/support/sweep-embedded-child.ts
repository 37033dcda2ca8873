/**
 * Run as its own process by test/integration/spine/outbox-sweep-embedded.test.ts (PGlite does not
 * start inside vitest's module runner): the outbox recovery sweep on the embedded database, with
 * consumers that read the database themselves. Prints one JSON line with what happened.
 *
 * argv: <data dir>
 */
import pino from 'pino';
import { createDispatcher } from '../../src/inbox/dispatcher.js';
import { createMetrics } from '../../src/runtime/metrics.js';
import { openDatabase } from '../../src/store/database.js';

const [dataDir] = process.argv.slice(2);
const database = await openDatabase({ dataDir: dataDir! });
const { db } = database;
const logger = pino({ level: 'silent' });
const stale = (conversationId: string) => db.insertInto('outbox').values({ events: JSON.stringify([{ type: 'conversation.updated', conversationId }]), created_at: new Date(Date.now() - 60_000) }).execute();
const within = <T>(work: Promise<T>): Promise<T | 'hung'> => Promise.race([work, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 10_000))]);

const seen: string[] = [];
const reading = createDispatcher({ db, logger, metrics: createMetrics() }, [
  {
    name: 'reads-the-database',
    async consume(batches) {
      await db.selectFrom('conversations').select('id').limit(1).execute();
      seen.push(...batches.map((b) => b.id));
    },
  },
]);
await stale('c1');
const swept = await within(reading.sweep());
const left = swept === 'hung' ? -1 : (await db.selectFrom('outbox').select('id').execute()).length;
const again = swept === 'hung' ? -1 : await reading.sweep();

let calls = 0;
const failing = createDispatcher({ db, logger, metrics: createMetrics() }, [
  {
    name: 'fails',
    async consume() {
      calls += 1;
      throw new Error('down');
    },
  },
]);
await stale('c2');
const failedSweeps = swept === 'hung' ? [] : [await failing.sweep(), await failing.sweep()];
const kept = swept === 'hung' ? -1 : (await db.selectFrom('outbox').select('id').execute()).length;

process.stdout.write(`${JSON.stringify({ swept, seen: seen.length, left, again, failedSweeps, calls, kept })}\n`);
process.exit(0);
