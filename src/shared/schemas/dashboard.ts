import { z } from 'zod';
import { id, isoDate } from './common';
import { belowQuotaRow, expiringRow } from './stock';
import { depotLevel } from './depot';

/** Fen, summed in floating point: exact to 2^53 fen (90 trillion yuan), approximate beyond, never refused. */
const stockValue = z.number().nonnegative();

export const dashboardInput = z
  .strictObject({
    depotId: id.optional(),
    /** A set of depots (a keeper's own, a district coordinator's jurisdiction); all when neither is given. */
    depotIds: z.array(id).min(1).max(1000).optional(),
  })
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
  /** Who is short of what: depot × material under quota, the worst (by share of the quota missing) first. */
  shortages: z.array(belowQuotaRow),
  /** Materials with quotas: available against total quota over the depots in view, the least covered first. */
  keyMaterials: z.array(
    z.object({
      materialId: id,
      code: z.string(),
      name: z.string(),
      unit: z.string(),
      available: z.number().int(),
      quota: z.number().int(),
    }),
  ),
  /** The next lots to expire (not yet expired). */
  nextExpiring: z.array(expiringRow),
  /** Allocation and delivery at a glance: the caller's queue, orders waiting, on the road, late. */
  flow: z.object({
    awaitingMe: z.number().int(),
    planned: z.number().int(),
    inTransit: z.number().int(),
    overdue: z.number().int(),
  }),
});
export type DashboardSummary = z.infer<typeof dashboardOutput>;
