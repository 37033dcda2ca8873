import { sql, type Transaction } from 'kysely';
import { newId } from '../domain/ids.js';
import type { InboundMessage } from '../domain/message.js';
import type { Database } from './schema.js';

/** A sender's key in the map `resolveContacts` returns: channel and platform id. */
export const senderOf = (m: InboundMessage): string => `${m.channelId}\u0000${m.sender.externalId}`;

/** What agents see as the sender: never a raw platform id (an anonymous visitor is "Customer"). */
export const displayName = (sender: InboundMessage['sender']): string => sender.name ?? sender.handle ?? sender.email ?? 'Customer';

/** Sender → contact id, creating contacts and identities for first-time senders. */
export async function resolveContacts(trx: Transaction<Database>, messages: readonly InboundMessage[]): Promise<Map<string, string>> {
  // The newest details of each sender in this batch (names change; the last one wins).
  const senders = new Map<string, InboundMessage>();
  for (const m of messages) senders.set(senderOf(m), m);
  const list = [...senders.values()];
  const { rows: existing } = await sql<{ id: string; name: string; email: string | null; channel_id: string; external_id: string; handle: string | null; shared: boolean }>`
    select c.id, c.name, c.email, i.channel_id, i.external_id, i.handle,
      exists (select 1 from contact_identities o where o.contact_id = c.id and (o.channel_id, o.external_id) <> (i.channel_id, i.external_id)) as shared
    from contact_identities i
    join contacts c on c.id = i.contact_id
    join unnest(${list.map((m) => m.channelId)}::text[], ${list.map((m) => m.sender.externalId)}::text[]) as k(ch, ext)
      on i.channel_id = k.ch and i.external_id = k.ext`.execute(trx);
  const result = new Map<string, string>();
  for (const row of existing) {
    const key = `${row.channel_id}\u0000${row.external_id}`;
    result.set(key, row.id);
    const sender = senders.get(key)!.sender;
    // One person on several channels (a verified link, a merge) keeps one name: a platform's
    // display name of one of them does not rename the customer every time they write there.
    const name = row.shared ? row.name : (sender.name ?? row.name);
    const email = row.email ?? sender.email ?? null;
    if (name !== row.name || email !== row.email) {
      await trx.updateTable('contacts').set({ name, email, updated_at: new Date() }).where('id', '=', row.id).execute();
    }
    if (sender.handle && sender.handle !== row.handle) {
      await trx
        .updateTable('contact_identities')
        .set({ handle: sender.handle })
        .where('channel_id', '=', row.channel_id)
        .where('external_id', '=', row.external_id)
        .execute();
    }
  }
  const missing = list.filter((m) => !result.has(senderOf(m))).sort((a, b) => (senderOf(a) < senderOf(b) ? -1 : 1));
  if (missing.length === 0) return result;
  const fresh = missing.map((m) => ({ contactId: newId(), message: m }));
  await trx
    .insertInto('contacts')
    .values(fresh.map(({ contactId, message }) => ({ id: contactId, name: displayName(message.sender), email: message.sender.email ?? null, updated_at: new Date() })))
    .execute();
  const claimed = await trx
    .insertInto('contact_identities')
    .values(fresh.map(({ contactId, message }) => ({ channel_id: message.channelId, external_id: message.sender.externalId, contact_id: contactId, handle: message.sender.handle ?? null })))
    .onConflict((oc) => oc.columns(['channel_id', 'external_id']).doNothing())
    .returning(['channel_id', 'external_id', 'contact_id'])
    .execute();
  for (const row of claimed) result.set(`${row.channel_id}\u0000${row.external_id}`, row.contact_id);
  const lost = fresh.filter(({ message }) => !result.has(senderOf(message)));
  if (lost.length > 0) {
    // Another transaction created these senders first: use its contacts, drop ours.
    await trx.deleteFrom('contacts').where('id', 'in', lost.map((l) => l.contactId)).execute();
    for (const { message } of lost) {
      const winner = await trx
        .selectFrom('contact_identities')
        .select('contact_id')
        .where('channel_id', '=', message.channelId)
        .where('external_id', '=', message.sender.externalId)
        .executeTakeFirstOrThrow();
      result.set(senderOf(message), winner.contact_id);
    }
  }
  return result;
}
