import { z } from 'zod';
import {
  dateInput,
  fen,
  id,
  isoDate,
  isoTime,
  noteText,
  optionalText,
  page,
  pageLimit,
  quantity,
  signedQuantity,
  text,
  searchText,
} from './common';
import { depotLevel } from './depot';
import { topClass } from './material';

export const MOVEMENT_TYPES = [
  'receipt',
  'issue',
  'transfer_out',
  'transfer_in',
  'stocktake_gain',
  'stocktake_loss',
  'scrap',
  'reversal',
  /** Out of a source depot onto a delivery order's vehicle (在途 until signed for). */
  'dispatch',
  /** Into the destination depot at a delivery's signed receipt. */
  'delivery_in',
] as const;
export const movementType = z.enum(MOVEMENT_TYPES);
export type MovementType = z.infer<typeof movementType>;

export const BATCH_SOURCES = [
  'procurement',
  'donation',
  'transfer',
  'callUp',
  'return',
  'opening',
  'stocktake',
  /** Came on a delivery order of an allocation. */
  'allocation',
  /** Returned after an incident (回收) from an outside unit. */
  'recovered',
] as const;
export const batchSource = z.enum(BATCH_SOURCES);
/** What a keeper may name as the source on a receipt (the others are written by the system). */
export const receiptSource = z.enum(['procurement', 'donation', 'callUp', 'return', 'opening']);

/**
 * No lot received was made before this (DOMAIN.md rule 6). The bounds that depend on today (made
 * by today, expiring within 50 years) are the receipt's to check: a schema has no clock.
 */
const EARLIEST_PRODUCTION = '1990-01-01';

/** A receipt line goes into an existing batch (`batchId`) or a lot identified by its number. */
export const receiptLine = z
  .strictObject({
    materialId: id,
    quantity,
    batchId: id.optional(),
    lotNo: text(50).optional(),
    producedOn: isoDate
      .refine((s) => s >= EARLIEST_PRODUCTION, {
        message: 'validation.producedTooEarly',
        params: { min: EARLIEST_PRODUCTION },
      })
      .nullish(),
    expiresOn: dateInput.nullish(),
    supplier: optionalText(100),
    unitPriceFen: fen.nullish(),
  })
  .superRefine((line, ctx) => {
    if (line.batchId === undefined && line.lotNo === undefined) {
      ctx.addIssue({ code: 'custom', path: ['lotNo'], message: 'validation.required' });
    }
    if (line.producedOn && line.expiresOn && line.expiresOn < line.producedOn) {
      ctx.addIssue({ code: 'custom', path: ['expiresOn'], message: 'validation.expiryBeforeProduction' });
    }
  });

export const receiveInput = z.strictObject({
  depotId: id,
  source: receiptSource,
  note: noteText(500),
  lines: z.array(receiptLine).min(1).max(500),
});

/** An outgoing line: FEFO picks batches unless `batchId` chooses one (expired only this way). */
export const outgoingLine = z.strictObject({ materialId: id, quantity, batchId: id.optional() });

export const issueInput = z.strictObject({
  depotId: id,
  recipient: text(100),
  reason: optionalText(200),
  note: noteText(500),
  lines: z.array(outgoingLine).min(1).max(500),
});

export const transferInput = z
  .strictObject({
    fromDepotId: id,
    toDepotId: id,
    note: noteText(500),
    lines: z.array(outgoingLine).min(1).max(500),
  })
  .refine((v) => v.fromDepotId !== v.toDepotId, { path: ['toDepotId'], message: 'validation.sameDepot' });

export const scrapInput = z.strictObject({
  depotId: id,
  reason: text(200),
  note: noteText(500),
  lines: z
    .array(z.strictObject({ batchId: id, quantity }))
    .min(1)
    .max(500),
});

export const reverseInput = z.strictObject({ movementId: id, reason: text(200) });

export const movementDto = z.object({
  movementId: id,
  docNo: z.string(),
  type: movementType,
  depotId: id,
  depotName: z.string(),
  materialId: id,
  materialCode: z.string(),
  materialName: z.string(),
  unit: z.string(),
  batchId: id,
  lotNo: z.string(),
  expiresOn: z.string().nullable(),
  quantity: signedQuantity,
  occurredAt: isoTime,
  userId: id,
  userName: z.string(),
  counterpartDepotId: id.nullable(),
  reversesMovementId: id.nullable(),
  /** On a transfer's incoming leg: its outgoing leg. */
  pairMovementId: id.nullable(),
  /** The document number of the movement this one reverses (红冲 of …). */
  reversesDocNo: z.string().nullable(),
  reversedBy: id.nullable(),
  /** The document number of the reversal that cancelled this movement (已红冲). */
  reversedByDocNo: z.string().nullable(),
  expiredOverride: z.boolean(),
  recipient: z.string().nullable(),
  reason: z.string().nullable(),
  note: z.string().nullable(),
  /** A receipt's own terms (null on other movements): its source, supplier and unit price. */
  source: batchSource.nullable(),
  supplier: z.string().nullable(),
  unitPriceFen: z.number().int().nullable(),
});
export type MovementDto = z.infer<typeof movementDto>;

/** What every stock write returns: the document number people read out, and its movements. */
export const postingResult = z.object({ docNo: z.string(), movements: z.array(movementDto) });
export type PostingResult = z.infer<typeof postingResult>;

export const balanceFilter = {
  depotId: id.optional(),
  materialId: id.optional(),
  category: searchText(30).optional(),
  topClass: topClass.optional(),
  level: depotLevel.optional(),
  text: searchText(100).optional(),
};

export const balancesInput = z
  .strictObject({
    ...balanceFilter,
    /** batch: one row per lot; depotMaterial: one per depot and material; material: city totals. */
    groupBy: z.enum(['batch', 'depotMaterial', 'material']).default('depotMaterial'),
    includeZero: z.boolean().default(false),
    /**
     * Tag each row with its expiry and quota warnings (expiryStatus, daysLeft, depotsBelowQuota):
     * what the stock screen shows. Off by default: it costs a scan of the lots near expiry and,
     * for city totals, of the quotas.
     */
    warnings: z.boolean().default(false),
    after: z.string().max(60).optional(),
    limit: pageLimit,
  })
  .prefault({});

export const expiryStatus = z.enum(['expiring', 'expired']);
export type ExpiryStatus = z.infer<typeof expiryStatus>;

/**
 * A page of balances travels column by column, with each depot and material it refers to sent
 * once: 10,000 rows are about 0.4 MB instead of 3 MB of repeated names and keys, which is most
 * of the time a big stock screen takes. `balanceRows()` (shared/balance-rows) turns a page into
 * row objects.
 */
export const balancesPage = z
  .object({
    depots: z.array(z.object({ depotId: id, code: z.string(), name: z.string() })),
    materials: z.array(
      z.object({
        materialId: id,
        code: z.string(),
        name: z.string(),
        spec: z.string().nullable(),
        unit: z.string(),
        category: z.string().nullable(),
      }),
    ),
    rows: z.object({
      /** null on city totals. */
      depotId: z.array(id.nullable()),
      materialId: z.array(id),
      /** Set on batch rows only. */
      batchId: z.array(id.nullable()),
      lotNo: z.array(z.string().nullable()),
      expiresOn: z.array(z.string().nullable()),
      onHand: z.array(z.number().int()),
      /** Promised by approved allocations, not yet dispatched; null on batch rows (reservations are per depot). */
      reserved: z.array(z.number().int().nullable()),
      available: z.array(z.number().int().nullable()),
      quota: z.array(z.number().int().nullable()),
      /**
       * With `warnings`: the expiry warning of the lot on batch rows, of the earliest lot with
       * stock otherwise (expired, or expiring within the material's warning window); null when
       * none warns, and always null without `warnings`.
       */
      expiryStatus: z.array(expiryStatus.nullable()),
      daysLeft: z.array(z.number().int().nullable()),
      /** City totals with `warnings` only: how many of the depots counted are under their quota. */
      depotsBelowQuota: z.array(z.number().int().nullable()),
    }),
    nextCursor: z.string().nullable(),
  })
  .refine(
    (p) => Object.values(p.rows).every((column) => column.length === p.rows.materialId.length),
    'columns of unequal length',
  );
export type BalancesPage = z.infer<typeof balancesPage>;

/** One balance row, as screens read it. */
export interface BalanceRow {
  depotId: number | null;
  depotCode: string | null;
  depotName: string | null;
  materialId: number;
  materialCode: string;
  materialName: string;
  spec: string | null;
  unit: string;
  category: string | null;
  batchId: number | null;
  lotNo: string | null;
  expiresOn: string | null;
  onHand: number;
  reserved: number | null;
  available: number | null;
  quota: number | null;
  expiry: { status: ExpiryStatus; daysLeft: number } | null;
  depotsBelowQuota: number | null;
}

/** The whole material × depot picture in columns (cheap to ship ~150,000 cells). */
export const matrixInput = z
  .strictObject({ level: depotLevel.optional(), topClass: topClass.optional() })
  .prefault({});
export const matrixOutput = z.object({
  depots: z.array(z.object({ depotId: id, code: z.string(), name: z.string(), level: depotLevel })),
  materials: z.array(z.object({ materialId: id, code: z.string(), name: z.string(), unit: z.string() })),
  cells: z.object({
    materialId: z.array(z.number().int()),
    depotId: z.array(z.number().int()),
    onHand: z.array(z.number().int()),
    available: z.array(z.number().int()),
  }),
});

export const movementsInput = z
  .strictObject({
    depotId: id.optional(),
    materialId: id.optional(),
    batchId: id.optional(),
    /** One movement by its id (a link to reverse it: #/reversal?movementId=N). */
    movementId: id.optional(),
    type: movementType.optional(),
    docNo: searchText(40).optional(),
    from: dateInput.optional(),
    to: dateInput.optional(),
    after: z.string().max(40).optional(),
    limit: pageLimit,
  })
  .prefault({});
export const movementsPage = page(movementDto);

/** One batch with everything its stock card (物资卡片) shows. */
export const batchGetInput = z.strictObject({ batchId: id });
export const batchDetail = z.object({
  batchId: id,
  depotId: id,
  depotCode: z.string(),
  depotName: z.string(),
  materialId: id,
  materialCode: z.string(),
  materialName: z.string(),
  spec: z.string().nullable(),
  unit: z.string(),
  category: z.string().nullable(),
  lotNo: z.string(),
  producedOn: isoDate.nullable(),
  expiresOn: isoDate.nullable(),
  source: batchSource,
  supplier: z.string().nullable(),
  unitPriceFen: z.number().int().nullable(),
  onHand: z.number().int(),
  createdAt: isoTime,
  /** Today in the city's time zone, and the days from it to expiry (negative once expired). */
  today: isoDate,
  daysLeft: z.number().int().nullable(),
  /** As in stock.expiring: within the material's warning window, or past expiry. */
  expiryStatus: expiryStatus.nullable(),
  /**
   * The terms the lot was received on, one entry per source, supplier and unit price in the
   * order first received, with the quantity and number of receipts (reversed ones left out).
   * The batch's own source, supplier and price above are its first receipt's; a lot that came
   * by transfer has no receipts here.
   */
  receiptTerms: z.array(
    z.object({
      source: batchSource,
      supplier: z.string().nullable(),
      unitPriceFen: z.number().int().nullable(),
      quantity: z.number().int(),
      receipts: z.number().int(),
    }),
  ),
});
export type BatchDetail = z.infer<typeof batchDetail>;

export const expiringInput = z
  .strictObject({
    depotId: id.optional(),
    /** Overrides each material's own warning window. */
    withinDays: z.number().int().min(0).max(3650).optional(),
    includeExpired: z.boolean().default(true),
  })
  .prefault({});
export const expiringRow = z.object({
  batchId: id,
  depotId: id,
  depotName: z.string(),
  materialId: id,
  materialCode: z.string(),
  materialName: z.string(),
  unit: z.string(),
  lotNo: z.string(),
  expiresOn: isoDate,
  daysLeft: z.number().int(),
  status: expiryStatus,
  onHand: z.number().int(),
});
export const expiringOutput = z.object({ today: isoDate, rows: z.array(expiringRow) });

export const belowQuotaInput = z.strictObject({ depotId: id.optional() }).prefault({});
export const belowQuotaRow = z.object({
  depotId: id,
  depotName: z.string(),
  materialId: id,
  materialCode: z.string(),
  materialName: z.string(),
  unit: z.string(),
  quota: z.number().int(),
  onHand: z.number().int(),
  available: z.number().int(),
  shortBy: z.number().int(),
});
export const belowQuotaOutput = z.object({ rows: z.array(belowQuotaRow) });
