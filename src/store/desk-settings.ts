import { sql } from 'kysely';
import type { Db } from './database.js';

/** Desk settings as admins edited them (one row per feature); absent = the channels file's `desk:` values. */

export interface EditedSettings {
  feature: string;
  value: unknown;
  updatedAt: Date;
  updatedBy: string | null;
}

export async function editedSettings(db: Db): Promise<EditedSettings[]> {
  const rows = await db.selectFrom('desk_settings').selectAll().execute();
  return rows.map((r) => ({ feature: r.feature, value: r.value, updatedAt: new Date(r.updated_at), updatedBy: r.updated_by }));
}

export async function saveSettings(db: Db, feature: string, value: unknown, by: string): Promise<void> {
  await db
    .insertInto('desk_settings')
    .values({ feature, value: JSON.stringify(value), updated_at: new Date(), updated_by: by })
    .onConflict((oc) => oc.column('feature').doUpdateSet({ value: sql`excluded.value`, updated_at: sql`excluded.updated_at`, updated_by: sql`excluded.updated_by` }))
    .execute();
}

export async function clearSettings(db: Db, feature: string): Promise<boolean> {
  const result = await db.deleteFrom('desk_settings').where('feature', '=', feature).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
