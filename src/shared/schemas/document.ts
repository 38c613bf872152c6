/**
 * Any document by its number (RK/CK/YK/BF/HC/PD and DB/PS): what the document view shows and
 * reprints. Transfers numbered DB- before allocations existed are still found as movements.
 */
import { z } from 'zod';
import { id, text } from './common';
import { allocationDto } from './allocation';
import { deliveryDto } from './delivery';
import { movementDto } from './stock';

export const documentGetInput = z.strictObject({ docNo: text(40) });
export const documentOutput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('allocation'), allocation: allocationDto }),
  z.object({ kind: z.literal('delivery'), delivery: deliveryDto, movements: z.array(movementDto) }),
  z.object({ kind: z.literal('stocktake'), stocktakeId: id }),
  z.object({ kind: z.literal('movements'), movements: z.array(movementDto) }),
]);
export type DocumentOutput = z.infer<typeof documentOutput>;
