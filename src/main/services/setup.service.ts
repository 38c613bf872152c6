/**
 * First run: an empty database offers two ways in: create the administrator, or load the demo
 * data set. Both are refused once anyone exists, so they cannot be used to take over a store.
 */
import type { z } from 'zod';
import { AppError } from '../../shared/rpc';
import type { createAdminInput, setupStatusOutput } from '../../shared/schemas/setup';
import type { ServiceContext } from './context';
import { getSettings, isDemoDatabase } from './settings.service';
import { createUser } from './user.service';

export interface DemoAccount {
  username: string;
  password: string;
  role: 'admin' | 'coordinator' | 'keeper' | 'staff';
}

export async function hasUsers(ctx: ServiceContext): Promise<boolean> {
  return (await ctx.db.selectFrom('users').select('userId').limit(1).executeTakeFirst()) !== undefined;
}

export async function setupStatus(
  ctx: ServiceContext,
  demoAccounts: readonly DemoAccount[],
): Promise<z.output<typeof setupStatusOutput>> {
  const [users, demo, settings] = await Promise.all([
    hasUsers(ctx),
    isDemoDatabase(ctx.db),
    getSettings(ctx.db),
  ]);
  return {
    needsSetup: !users,
    demo,
    demoAccounts: demo ? [...demoAccounts] : [],
    idleLockMinutes: settings.idleLockMinutes,
  };
}

export async function assertFirstRun(ctx: ServiceContext): Promise<void> {
  if (await hasUsers(ctx)) throw new AppError('CONFLICT', 'setup.done');
}

export async function createFirstAdmin(ctx: ServiceContext, input: z.output<typeof createAdminInput>) {
  return createUser(ctx, null, { ...input, role: 'admin', depotIds: [] }, { firstOnly: true });
}
