/**
 * Run as its own process by test/integration/spine/outbox-crash.test.ts: commits a real change
 * with its outbox events through the store, optionally publishes them the way the dispatcher
 * does, then dies by SIGKILL before the outbox row is forgotten — the two places a crash can
 * land between commit and a finished dispatch.
 *
 * argv: <schema> <redis prefix> <conversation id> <after-commit|after-publish>
 */
import pino from 'pino';
import { createEventView } from '../../src/inbox/event-view.js';
import { realtimeConsumer } from '../../src/inbox/realtime-consumer.js';
import { createEventBus } from '../../src/realtime/bus.js';
import { connectRedis } from '../../src/runtime/redis.js';
import { changeConversation, getConversation } from '../../src/store/conversations.js';
import { openDatabase } from '../../src/store/database.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from './env.js';

const [schema, prefix, conversationId, mode] = process.argv.slice(2);
const database = await openDatabase({ url: TEST_DATABASE_URL, dataDir: '/tmp', schema: schema! });
const conversation = (await getConversation(database.db, conversationId!))!;
const batch = await changeConversation(
  database.db,
  { conversationId: conversation.id, channelId: conversation.channelId },
  { priority: 'urgent' },
  { id: 'crash-test', name: 'Crash test' },
  [{ note: { type: 'priority', params: { by: 'Crash test', priority: 'urgent' } }, text: 'Crash test set priority to urgent' }],
  new Date(),
);
process.stdout.write(`committed ${batch.id}\n`);
if (mode === 'after-publish') {
  const redis = connectRedis(TEST_REDIS_URL);
  await redis.ready();
  const bus = createEventBus(redis.command, redis.subscriber(), prefix!, pino({ level: 'silent' }));
  const view = createEventView(database.db);
  await view.load([batch]);
  await realtimeConsumer(bus).consume([batch], view);
  process.stdout.write('published\n');
}
process.kill(process.pid, 'SIGKILL');
