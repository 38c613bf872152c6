import { z } from 'zod';
import { id, isoTime, text } from './common';

export const ROLES = ['admin', 'coordinator', 'keeper', 'staff'] as const;
export const role = z.enum(ROLES);
export type Role = z.infer<typeof role>;

/** At least 8 characters with a letter and a digit. */
export const password = z
  .string()
  .min(8, { message: 'validation.passwordWeak' })
  .max(200)
  .refine((p) => /[A-Za-z]/.test(p) && /\d/.test(p), { message: 'validation.passwordWeak' });

export const username = z
  .string()
  .trim()
  .min(2)
  .max(40)
  .regex(/^[A-Za-z0-9_.-]+$/, { message: 'validation.format' });

export const userDto = z.object({
  userId: id,
  username: z.string(),
  displayName: z.string(),
  role,
  depotIds: z.array(id),
  /** A coordinator's jurisdiction: a district depot (its district), or null for the whole city. */
  jurisdictionDepotId: id.nullable(),
  active: z.boolean(),
  createdAt: isoTime,
});
export type UserDto = z.infer<typeof userDto>;

export const loginInput = z.strictObject({ username: z.string().max(40), password: z.string().max(200) });
export const loginOutput = z.object({ token: z.string(), expiresAt: isoTime, user: userDto });
export const changePasswordInput = z.strictObject({
  currentPassword: z.string().max(200),
  newPassword: password,
});

function keeperNeedsDepot(v: { role?: Role; depotIds?: number[] }, ctx: z.RefinementCtx) {
  if (v.role === 'keeper' && v.depotIds !== undefined && v.depotIds.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['depotIds'], message: 'validation.keeperNeedsDepot' });
  }
}

export const userCreateInput = z
  .strictObject({
    username,
    displayName: text(50),
    role,
    password,
    depotIds: z.array(id).max(500).default([]),
  })
  .superRefine((v, ctx) => keeperNeedsDepot(v, ctx));
export const userUpdateInput = z
  .strictObject({
    userId: id,
    displayName: text(50).optional(),
    role: role.optional(),
    depotIds: z.array(id).max(500).optional(),
    /** Coordinators: a district depot, or null for the whole city. */
    jurisdictionDepotId: id.nullable().optional(),
    active: z.boolean().optional(),
  })
  .superRefine(keeperNeedsDepot);
export const userResetPasswordInput = z.strictObject({ userId: id, newPassword: password });
