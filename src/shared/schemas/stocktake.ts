import { z } from 'zod';
import { id, isoTime, nonNegativeInt, noteText, optionalText } from './common';
import { movementDto } from './stock';

export const STOCKTAKE_STATUSES = ['open', 'approved', 'cancelled'] as const;
export const stocktakeStatus = z.enum(STOCKTAKE_STATUSES);

export const stocktakeOpenInput = z.strictObject({ depotId: id, note: noteText(500) });
export const stocktakeCountInput = z.strictObject({
  stocktakeId: id,
  counts: z
    .array(z.strictObject({ lineId: id, countedQuantity: nonNegativeInt, reason: optionalText(200) }))
    .min(1)
    .max(20_000),
});
export const stocktakeIdInput = z.strictObject({ stocktakeId: id });
export const stocktakeListInput = z
  .strictObject({ depotId: id.optional(), status: stocktakeStatus.optional() })
  .prefault({});

export const stocktakeLineDto = z.object({
  lineId: id,
  batchId: id,
  materialId: id,
  materialCode: z.string(),
  materialName: z.string(),
  spec: z.string().nullable(),
  unit: z.string(),
  lotNo: z.string(),
  expiresOn: z.string().nullable(),
  /** Frozen when the stocktake was opened. */
  bookQuantity: z.number().int(),
  countedQuantity: z.number().int().nullable(),
  difference: z.number().int().nullable(),
  reason: z.string().nullable(),
});

export const stocktakeSummaryDto = z.object({
  stocktakeId: id,
  docNo: z.string(),
  depotId: id,
  depotName: z.string(),
  status: stocktakeStatus,
  note: z.string().nullable(),
  openedAt: isoTime,
  openedBy: z.string(),
  closedAt: isoTime.nullable(),
  closedBy: z.string().nullable(),
  lineCount: z.number().int(),
  countedCount: z.number().int(),
  differenceCount: z.number().int(),
});
export const stocktakeDto = stocktakeSummaryDto.extend({ lines: z.array(stocktakeLineDto) });
export type StocktakeDto = z.infer<typeof stocktakeDto>;
export const stocktakeApproveOutput = z.object({ stocktake: stocktakeDto, movements: z.array(movementDto) });
