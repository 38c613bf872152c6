import { z } from 'zod';

/** Building blocks shared by every area's DTOs. Custom messages are i18n keys. */
export const id = z.number().int().positive();
export const quantity = z.number().int().positive().max(1_000_000_000_000);
/** Signed quantity as stored in the ledger (never zero). */
export const signedQuantity = z.number().int();
export const nonNegativeInt = z.number().int().min(0).max(1_000_000_000_000);
export const fen = z.number().int().min(0).max(1_000_000_000_000_00);

/** `YYYY-MM-DD`, a real calendar date. */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'validation.date' })
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, { message: 'validation.date' });

/** ISO-8601 UTC timestamp as stored (`2026-11-30T06:05:00.000Z`). */
export const isoTime = z.string();

export const text = (max: number) => z.string().trim().min(1).max(max);
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((s) => (s === '' ? null : s))
    .nullish();

export const pageLimit = z.number().int().min(1).max(20_000).default(200);

export const ok = z.object({ ok: z.literal(true) });

export function page<T extends z.ZodTypeAny>(row: T) {
  return z.object({ rows: z.array(row), nextCursor: z.string().nullable() });
}
