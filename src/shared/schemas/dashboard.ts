import { z } from 'zod';
import { isoDate } from './common';
import { depotLevel } from './depot';

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
      valueFen: z.number().int(),
    }),
  ),
  byLevel: z.array(
    z.object({
      level: depotLevel,
      depots: z.number().int(),
      onHand: z.number().int(),
      valueFen: z.number().int(),
    }),
  ),
  warnings: z.object({ expiring: z.number().int(), expired: z.number().int(), belowQuota: z.number().int() }),
});
export type DashboardSummary = z.infer<typeof dashboardOutput>;
