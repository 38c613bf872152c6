import { z } from 'zod';

/** Settings an administrator may change; each has a default. */
export const appSettings = z.object({
  /** The screen locks after this many minutes without input (0 = never). */
  idleLockMinutes: z
    .number()
    .int()
    .min(0)
    .max(24 * 60),
});
export type AppSettings = z.infer<typeof appSettings>;
export const DEFAULT_SETTINGS: AppSettings = { idleLockMinutes: 15 };
export const settingsUpdateInput = appSettings.partial().strict();
