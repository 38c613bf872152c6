import { z } from 'zod';
import { isoDate } from './common';
import { depotLevel } from './depot';

/** Fen, summed in floating point: exact to 2^53 fen (90 trillion yuan), approximate beyond, never refused. */
const stockValue = z.number().nonnegative();

export const dashboardInput = z
  .strictObject({ depotId: z.number().int().positive().optional() })
  .prefault({});
export const dashboardOutput = z.object({
  today: isoDate,
  byCategory: z.array(
    z.object({
      category: z.string().nullable(),
      materials: z.number().int(),
      onHand: z.number().int(),
      valueFen: stockValue,
    }),
  ),
  byLevel: z.array(
    z.object({
      level: depotLevel,
      depots: z.number().int(),
      onHand: z.number().int(),
      valueFen: stockValue,
    }),
  ),
  warnings: z.object({ expiring: z.number().int(), expired: z.number().int(), belowQuota: z.number().int() }),
});
export type DashboardSummary = z.infer<typeof dashboardOutput>;
