import { z } from 'zod';
import { fen, id, isoTime, nonNegativeInt, optionalText, pageLimit, page, text, searchText } from './common';

/** GB/T 38565-2020 top classes: 1 basic living support, 2 equipment, 3 engineering materials. */
export const topClass = z.union([z.literal(1), z.literal(2), z.literal(3)]);
/** A full 7-digit GB/T 38565 code, only when a user enters one (never invented). */
export const gbCode = z.string().regex(/^[123]\d{6}$/, { message: 'validation.gbCode' });

const materialFields = {
  name: text(100),
  spec: optionalText(300),
  unit: text(10),
  topClass,
  gbCode: gbCode.nullish(),
  category: optionalText(30),
  shelfLifeMonths: z.number().int().min(1).max(600).nullish(),
  warningDays: z.number().int().min(0).max(3650).default(90),
  referencePriceFen: fen.nullish(),
};

function gbCodeMatchesClass(v: { gbCode?: string | null; topClass?: number }, ctx: z.RefinementCtx) {
  if (v.gbCode && v.topClass !== undefined && Number(v.gbCode[0]) !== v.topClass) {
    ctx.addIssue({
      code: 'custom',
      path: ['gbCode'],
      message: 'validation.gbCodeClass',
      params: { digit: v.gbCode[0], topClass: v.topClass },
    });
  }
}

export const materialCreateInput = z
  .strictObject({ code: text(30), ...materialFields })
  .superRefine(gbCodeMatchesClass);
export const materialUpdateInput = z
  .strictObject({
    materialId: id,
    code: text(30).optional(),
    ...z.object(materialFields).partial().shape,
    warningDays: z.number().int().min(0).max(3650).optional(),
    active: z.boolean().optional(),
  })
  .superRefine(gbCodeMatchesClass);

export const materialListInput = z
  .strictObject({
    text: searchText(100).optional(),
    category: searchText(30).optional(),
    topClass: topClass.optional(),
    includeInactive: z.boolean().default(false),
    after: z.string().max(40).optional(),
    limit: pageLimit,
  })
  .prefault({});

export const materialDto = z.object({
  materialId: id,
  code: z.string(),
  name: z.string(),
  spec: z.string().nullable(),
  unit: z.string(),
  topClass,
  gbCode: z.string().nullable(),
  category: z.string().nullable(),
  shelfLifeMonths: z.number().int().nullable(),
  warningDays: nonNegativeInt,
  referencePriceFen: z.number().int().nullable(),
  active: z.boolean(),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type MaterialDto = z.infer<typeof materialDto>;
export const materialPage = page(materialDto);

export const quotaSetInput = z.strictObject({ depotId: id, materialId: id, quantity: nonNegativeInt });
export const quotaListInput = z
  .strictObject({ depotId: id.optional(), materialId: id.optional() })
  .prefault({});
export const quotaDto = z.object({
  depotId: id,
  materialId: id,
  quantity: nonNegativeInt,
  updatedAt: isoTime,
});
