import { sql } from 'kysely';
import type { DurableState } from '../channels/contract.js';
import type { Db } from './database.js';

/** A channel's durable key-value state (`channel_state`): a mailbox checkpoint outlives Redis. */
export function databaseChannelState(db: Db, channelId: string): DurableState {
  return {
    async get(key) {
      const row = await db.selectFrom('channel_state').select('value').where('channel_id', '=', channelId).where('key', '=', key).executeTakeFirst();
      return row?.value;
    },
    async set(key, value) {
      const json = JSON.stringify(value);
      await db
        .insertInto('channel_state')
        .values({ channel_id: channelId, key, value: json, updated_at: new Date() })
        .onConflict((oc) => oc.columns(['channel_id', 'key']).doUpdateSet({ value: sql`excluded.value`, updated_at: sql`excluded.updated_at` }))
        .execute();
    },
  };
}
