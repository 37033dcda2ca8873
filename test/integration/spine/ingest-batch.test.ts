import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../../src/domain/message.js';
import type { Db } from '../../../src/store/database.js';
import { ingestBatch, type IngestItem } from '../../../src/store/ingest-batch.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';

/** The set-based write keeps every guarantee of the one-message write (DESIGN §1). */
describe('batched inbound writes', () => {
  let gateway: TestGateway;
  let db: Db;
  beforeAll(async () => {
    gateway = await startTestGateway();
    db = gateway.deps.db;
  });
  afterAll(async () => gateway?.dispose());

  const context = { channelKind: 'telegram', replyWindowHours: 24 };
  const ingest = async (items: IngestItem[]) => (await ingestBatch(db, items)).results;
  let clock = Date.parse('2026-11-22T08:00:00Z');
  const message = (id: string, from: string, text = `text of ${id}`, extra: Partial<InboundMessage> = {}): IngestItem => ({
    message: { channelId: 'tg', externalId: id, threadKey: from, sender: { externalId: from, name: `User ${from}` }, sentAt: new Date((clock += 1000)).toISOString(), text, attachments: [], ...extra },
    context,
  });
  const count = async (table: 'messages' | 'conversations' | 'contacts', where?: [string, string]) => {
    let q = db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n'));
    if (where) q = q.where(where[0] as never, '=', where[1] as never);
    return Number((await q.executeTakeFirstOrThrow()).n);
  };

  it('stores each message once: repeats inside the batch and messages stored earlier are duplicates', async () => {
    await ingest([message('a1', 'ann')]);
    const results = await ingest([message('a1', 'ann'), message('a2', 'ann'), message('a2', 'ann'), message('b1', 'ben')]);
    expect(results.map((r) => r.outcome)).toEqual(['duplicate', 'stored', 'duplicate', 'stored']);
    expect(await count('messages', ['channel_id', 'tg'])).toBe(3);
  });

  it('several messages of one new thread open one conversation; only the first says it created it', async () => {
    const results = await ingest([message('c1', 'cat', 'first'), message('c2', 'cat', 'second'), message('c3', 'cat', 'newest')]);
    const stored = results.map((r) => (r.outcome === 'stored' ? r : undefined));
    expect(new Set(stored.map((r) => r?.conversationId)).size).toBe(1);
    expect(stored.map((r) => r?.conversationCreated)).toEqual([true, false, false]);
    const conversation = await db.selectFrom('conversations').selectAll().where('id', '=', stored[0]!.conversationId).executeTakeFirstOrThrow();
    expect(conversation.last_message_preview).toBe('newest');
    expect(conversation.waiting_since?.toISOString()).toBe(new Date(clock - 2000).toISOString());
    expect(await count('contacts', ['name', 'User cat'])).toBe(1);
  });

  it('a message to a resolved conversation reopens it and moves its activity forward', async () => {
    const [first] = await ingest([message('d1', 'dan')]);
    const conversationId = first!.outcome === 'stored' ? first!.conversationId : '';
    await db.updateTable('conversations').set({ status: 'resolved', resolved_at: new Date(), waiting_since: null }).where('id', '=', conversationId).execute();
    const before = await db.selectFrom('conversations').selectAll().where('id', '=', conversationId).executeTakeFirstOrThrow();
    await ingest([message('d2', 'dan', 'back again'), message('x1', 'xena')]);
    const row = await db.selectFrom('conversations').selectAll().where('id', '=', conversationId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'open', resolved_at: null, last_message_preview: 'back again' });
    expect(row.waiting_since).not.toBeNull();
    expect(row.last_message_at.getTime()).toBeGreaterThan(before.last_message_at.getTime());
    expect(row.last_inbound_at!.getTime()).toBeGreaterThan(before.last_inbound_at!.getTime());
  });

  it('edits and events in a batch still apply (they are written one at a time)', async () => {
    const at = new Date(clock + 5000).toISOString();
    const results = await ingest([
      message('e1', 'eve', 'typo'),
      message('e1', 'eve', 'fixed', { revision: { kind: 'edit', at } }),
      message('e-ev', 'eve', 'Customer blocked the bot', { event: { type: 'blocked' } }),
    ]);
    expect(results.map((r) => r.outcome)).toEqual(['stored', 'revised', 'stored']);
    const edited = await db.selectFrom('messages').selectAll().where('external_id', '=', 'e1').executeTakeFirstOrThrow();
    expect(edited.text).toBe('fixed');
  });

  it('platform media is recorded for download with its message', async () => {
    const [result] = await ingest([message('m1', 'mia', '', { attachments: [{ kind: 'image', remote: 'file-1', name: 'receipt.png' }] })]);
    const id = result!.outcome === 'stored' ? result!.messageId : '';
    const files = await db.selectFrom('attachments').selectAll().where('message_id', '=', id).execute();
    expect(files).toMatchObject([{ kind: 'image', remote: 'file-1', name: 'receipt.png', storage_key: null }]);
  });

  it('concurrent batches overlapping in messages, senders and threads store everything exactly once', async () => {
    const items = Array.from({ length: 400 }, (_, i) => message(`p${i}`, `peer${i % 37}`));
    const shuffled = (seed: number) => [...items].sort((a, b) => ((a.message.externalId.length * 31 + seed * Number(a.message.externalId.slice(1))) % 97) - ((b.message.externalId.length * 31 + seed * Number(b.message.externalId.slice(1))) % 97));
    const runs = await Promise.all([1, 2, 3, 4].map((seed) => ingest(shuffled(seed).slice(0, 300))));
    const stored = runs.flat().filter((r) => r.outcome === 'stored').length;
    const covered = new Set(runs.flatMap((_, k) => shuffled(k + 1).slice(0, 300).map((i) => i.message.externalId))).size;
    expect(stored).toBe(covered);
    const rows = await db.selectFrom('messages').select('external_id').where('external_id', 'like', 'p%').execute();
    expect(rows.length).toBe(covered);
    const peers = await db.selectFrom('contact_identities').select('external_id').where('external_id', 'like', 'peer%').execute();
    expect(peers.length).toBe(37);
    const threads = await db.selectFrom('conversations').select('thread_key').where('thread_key', 'like', 'peer%').execute();
    expect(threads.length).toBe(37);
  });
});
