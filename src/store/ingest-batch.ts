import { sql, type Transaction } from 'kysely';
import { newId } from '../domain/ids.js';
import type { InboundMessage } from '../domain/message.js';
import { resolveContacts, senderOf } from './contacts.js';
import { type IngestContext, threadOf, touchThreads } from './conversation-touch.js';
import type { Db } from './database.js';
import { type IngestOutput, type IngestResult, ingestInbound, noRows, storedEvents, type WrittenRows } from './ingest.js';
import { messageColumns } from './mappers.js';
import { inboundAttachmentRows, inboundMessageRow } from './message-rows.js';
import { appendEvents, type OutboxBatch } from './outbox.js';
import type { Database } from './schema.js';

export interface IngestItem {
  readonly message: InboundMessage;
  readonly context: IngestContext;
}

/** Results in the order of the items, and the outbox batches of the transactions that wrote them. */
export interface IngestBatchOutput {
  readonly results: IngestResult[];
  readonly batches: OutboxBatch[];
}

/**
 * Messages the set-based path stores: a customer's plain message (text and platform media). Edits,
 * deletes, channel events, thread references, machine mail, delivery reports and claimed uploads
 * each have their own rules and take the one-message path.
 */
const plain = (m: InboundMessage): boolean =>
  !m.revision && !m.event && !m.threadRefs?.length && !m.automated && !m.deliveryFailure && m.attachments.every((a) => !a.storedId);

/** A concurrent transaction committed one of this batch's messages first; the batch is redone without it. */
class BatchConflict extends Error {}

/**
 * Stores many inbound messages with the guarantees of `ingestInbound` (each message once,
 * conversations opened or reopened, contacts resolved, events in the outbox) in one transaction of
 * about ten statements instead of ten per message: under load the database round trips, not the
 * work, were the ceiling.
 */
export async function ingestBatch(db: Db, items: readonly IngestItem[], written: WrittenRows = noRows()): Promise<IngestBatchOutput> {
  const results: IngestResult[] = new Array(items.length);
  const batches: OutboxBatch[] = [];
  const fast: number[] = [];
  const seenInBatch = new Set<string>();
  items.forEach((item, index) => {
    if (!plain(item.message)) return;
    const key = `${item.message.channelId}\u0000${item.message.externalId}`;
    // The same message twice in one batch (a redelivery after the job was completed): once.
    if (seenInBatch.has(key)) results[index] = { outcome: 'duplicate' };
    else {
      seenInBatch.add(key);
      fast.push(index);
    }
  });
  if (fast.length > 0) {
    for (let attempt = 0; ; attempt++) {
      try {
        const rows = noRows();
        const stored = await db.transaction().execute((trx) => storePlain(trx, fast.map((i) => items[i]!), rows));
        stored.results.forEach((result, k) => (results[fast[k]!] = result));
        if (stored.batch) batches.push(stored.batch);
        for (const [id, row] of rows.messages) written.messages.set(id, row);
        for (const [id, row] of rows.conversations) written.conversations.set(id, row);
        written.attachments.push(...rows.attachments);
        break;
      } catch (error) {
        // Another worker committed one of these messages between our check and our insert; the
        // redo sees it as already stored. Rows are locked in a fixed order, but a deadlock with a
        // one-message write is still possible; Postgres rolled us back, so redoing is safe.
        const redo = error instanceof BatchConflict || (error as { code?: string }).code === '40P01';
        if (!redo || attempt >= 10) throw error;
      }
    }
  }
  for (let index = 0; index < items.length; index++) {
    if (results[index]) continue;
    const output: IngestOutput = await ingestInbound(db, items[index]!.message, items[index]!.context, written);
    results[index] = output.result;
    if (output.batch) batches.push(output.batch);
  }
  return { results, batches };
}

async function storePlain(trx: Transaction<Database>, items: readonly IngestItem[], written: WrittenRows): Promise<{ results: IngestResult[]; batch?: OutboxBatch | undefined }> {
  const results: IngestResult[] = new Array(items.length);
  const { rows: stored } = await sql<{ channel_id: string; external_id: string }>`
    select m.channel_id, m.external_id from messages m
    join unnest(${items.map((i) => i.message.channelId)}::text[], ${items.map((i) => i.message.externalId)}::text[]) as k(c, e)
      on m.channel_id = k.c and m.external_id = k.e`.execute(trx);
  const already = new Set(stored.map((r) => `${r.channel_id}\u0000${r.external_id}`));
  const fresh: number[] = [];
  items.forEach((item, index) => {
    if (already.has(`${item.message.channelId}\u0000${item.message.externalId}`)) results[index] = { outcome: 'duplicate' };
    else fresh.push(index);
  });
  if (fresh.length === 0) return { results };
  const batch = fresh.map((i) => items[i]!);

  const contacts = await resolveContacts(trx, batch.map((i) => i.message));
  const conversations = await touchThreads(trx, batch, contacts);
  for (const { row } of conversations.values()) written.conversations.set(row.id, row);

  const now = new Date();
  const rows = batch.map(({ message }) =>
    inboundMessageRow(message, { id: newId(), conversationId: conversations.get(threadOf(message))!.row.id, contactId: contacts.get(senderOf(message))! }, now),
  );
  const inserted = await trx
    .insertInto('messages')
    .values(rows)
    .onConflict((oc) => oc.columns(['channel_id', 'external_id']).doNothing())
    .returning(messageColumns)
    .execute();
  if (inserted.length !== rows.length) throw new BatchConflict();
  for (const row of inserted) written.messages.set(row.id, row);

  const files = batch.flatMap(({ message }, k) => inboundAttachmentRows(message, rows[k]!.id));
  if (files.length > 0) written.attachments.push(...(await trx.insertInto('attachments').values(files).returningAll().execute()));

  const entries = batch.map(({ message }, k) => {
    const conversation = conversations.get(threadOf(message))!;
    const opened = conversation.created && conversation.firstMessage === k;
    results[fresh[k]!] = { outcome: 'stored', messageId: rows[k]!.id, conversationId: conversation.row.id, conversationCreated: opened };
    return { conversation, messageId: rows[k]!.id, message, opened };
  });
  return { results, batch: await appendEvents(trx, storedEvents(entries)) };
}
