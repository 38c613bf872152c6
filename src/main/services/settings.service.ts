/** Application settings kept in the `settings` table as JSON values, with defaults. */
import type { z } from 'zod';
import {
  appSettings,
  DEFAULT_SETTINGS,
  type AppSettings,
  type settingsUpdateInput,
} from '../../shared/schemas/settings';
import type { DbOrTrx } from '../db/database';
import type { Actor, ServiceContext } from './context';
import { write } from './write';

/** Marks a database built from the demo data set (the UI banners it on every screen). */
export const DEMO_FLAG = 'demo';

export async function getSettings(db: DbOrTrx): Promise<AppSettings> {
  const rows = await db
    .selectFrom('settings')
    .select(['key', 'value'])
    .where('key', 'in', Object.keys(DEFAULT_SETTINGS))
    .execute();
  const stored = Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
  const parsed = appSettings.safeParse({ ...DEFAULT_SETTINGS, ...stored });
  return parsed.success ? parsed.data : DEFAULT_SETTINGS;
}

export async function updateSettings(
  ctx: ServiceContext,
  actor: Actor,
  input: z.output<typeof settingsUpdateInput>,
): Promise<AppSettings> {
  return write(ctx, actor, 'settings.update', async (trx, { iso: at }) => {
    const before = await getSettings(trx);
    for (const [key, value] of Object.entries(input)) {
      if (value === undefined) continue;
      await trx
        .insertInto('settings')
        .values({ key, value: JSON.stringify(value), updatedAt: at })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value), updatedAt: at }))
        .execute();
    }
    const after = await getSettings(trx);
    return { result: after, audit: { entityType: 'settings', entityId: null, before, after } };
  });
}

export async function isDemoDatabase(db: DbOrTrx): Promise<boolean> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', DEMO_FLAG).executeTakeFirst();
  return row?.value === 'true';
}
