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

/** `YYYY-MM-DD`, a real calendar date: every date the store keeps and sends. */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'validation.date' })
  .refine(
    (s) => {
      const d = new Date(`${s}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
    },
    { message: 'validation.date', abort: true },
  );
/** A date someone enters: also in the years 1900 to 9999 (year 0026 is a slip of the keyboard). */
export const dateInput = isoDate.refine((s) => s >= '1900-01-01', { message: 'validation.dateRange' });

/** ISO-8601 UTC timestamp as stored (`2026-11-30T06:05:00.000Z`). */
export const isoTime = z.string();

/**
 * What no keyboard types into a field: the C0 and C1 controls and DEL (Cc), and lone surrogates
 * (Cs: text that is not well-formed UTF-16, which no UTF-8 store can keep).
 */
const CONTROL = /[\p{Cc}\p{Cs}]/u;
/** The same, but a note keeps its line breaks (LF). */
const CONTROL_IN_NOTE = /[^\P{Cc}\n]|\p{Cs}/u;
/** What cannot be stored at all: NUL (PostgreSQL text refuses it) and lone surrogates. */
// eslint-disable-next-line no-control-regex -- finding NUL is this pattern's purpose
const UNSTORABLE = /[\u0000\p{Cs}]/u;

/** Refuses text in which `pattern` finds a character, naming a control character by its code point. */
function refuse(pattern: RegExp) {
  return (s: string, ctx: z.RefinementCtx<string>) => {
    const found = pattern.exec(s)?.[0];
    if (found === undefined) return;
    const code = found.charCodeAt(0);
    ctx.addIssue(
      code >= 0xd800 && code <= 0xdfff
        ? { code: 'custom', message: 'validation.brokenCharacter' }
        : {
            code: 'custom',
            message: 'validation.controlCharacter',
            params: { char: `U+${code.toString(16).toUpperCase().padStart(4, '0')}` },
          },
    );
  };
}

const blankIsNull = (s: string) => (s === '' ? null : s);

/**
 * Text is NFC-normalised, so that one character is stored, searched and counted one way (an é
 * typed as e + U+0301 becomes U+00E9, the compatibility ideograph U+F900 becomes U+8C48), then
 * trimmed; lengths count the normalised text.
 */
export const text = (max: number) =>
  z.string().normalize('NFC').trim().min(1).max(max).superRefine(refuse(CONTROL));
/** What a filter or search box sends: any text, even blank (a pasted tab too), but nothing unstorable. */
export const searchText = (max: number) =>
  z.string().normalize('NFC').max(max).superRefine(refuse(UNSTORABLE));
export const optionalText = (max: number) =>
  z.string().normalize('NFC').trim().max(max).superRefine(refuse(CONTROL)).transform(blankIsNull).nullish();
/** Multi-line free text (a note): optional, its line breaks kept, CRLF stored as LF. */
export const noteText = (max: number) =>
  z
    .string()
    .overwrite((s) => s.replaceAll('\r\n', '\n'))
    .normalize('NFC')
    .trim()
    .max(max)
    .superRefine(refuse(CONTROL_IN_NOTE))
    .transform(blankIsNull)
    .nullish();

export const pageLimit = z.number().int().min(1).max(20_000).default(200);

export const ok = z.object({ ok: z.literal(true) });

export function page<T extends z.ZodTypeAny>(row: T) {
  return z.object({ rows: z.array(row), nextCursor: z.string().nullable() });
}
