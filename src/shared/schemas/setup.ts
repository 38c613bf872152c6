import { z } from 'zod';
import { text } from './common';
import { password, role, username } from './user';

/** What the app shows before anyone signs in. Demo accounts only in a demo database. */
export const setupStatusOutput = z.object({
  needsSetup: z.boolean(),
  demo: z.boolean(),
  demoAccounts: z.array(z.object({ username: z.string(), password: z.string(), role })),
  idleLockMinutes: z.number().int(),
});
export const createAdminInput = z.strictObject({ username, displayName: text(50), password });
