import { z } from 'zod';

/** Building blocks shared by every area's DTOs. Custom messages are i18n keys. */
/** Ids are 32-bit on PostgreSQL (integer identity columns). */
export const id = z.number().int().positive().max(2_147_483_647);
/** Lines and balances stay strictly below this (DOMAIN.md rule 6; the schema's CHECKs say the same). */
export const QUANTITY_LIMIT = 1_000_000_000_000;
export const quantity = z
  .number()
  .int()
  .positive()
  .max(QUANTITY_LIMIT - 1);
/** Signed quantity as stored in the ledger (never zero). */
export const signedQuantity = z.number().int();
export const nonNegativeInt = z.number().int().min(0).max(1_000_000_000_000);
export const fen = z.number().int().min(0).max(1_000_000_000_000_00);

/** `YYYY-MM-DD`, a real calendar date. */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'validation.date' })
  .refine(
    (s) => {
      const d = new Date(`${s}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
    },
    { message: 'validation.date' },
  );

/** ISO-8601 UTC timestamp as stored (`2026-11-30T06:05:00.000Z`). */
export const isoTime = z.string();

/** No NUL: PostgreSQL cannot store it in text, and no keyboard types it. */
const noNul = (s: string) => !s.includes('\u0000');
export const text = (max: number) =>
  z.string().trim().min(1).max(max).refine(noNul, { message: 'validation.format' });
/** What a filter or search box sends: any text, even blank, but no NUL. */
export const searchText = (max: number) =>
  z.string().max(max).refine(noNul, { message: 'validation.format' });
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine(noNul, { message: 'validation.format' })
    .transform((s) => (s === '' ? null : s))
    .nullish();

export const pageLimit = z.number().int().min(1).max(20_000).default(200);

export const ok = z.object({ ok: z.literal(true) });

export function page<T extends z.ZodTypeAny>(row: T) {
  return z.object({ rows: z.array(row), nextCursor: z.string().nullable() });
}
