import { z } from 'zod';
import { id, isoTime } from './common';

export const ledgerDifference = z.object({
  kind: z.enum(['batch', 'depotMaterial']),
  depotId: id,
  materialId: id,
  batchId: id.nullable(),
  field: z.enum(['onHand', 'reserved']),
  /** Exact decimal integers (a tampered value may lie past 2^53). */
  maintained: z.string().regex(/^-?\d+$/),
  recomputed: z.string().regex(/^-?\d+$/),
});
export const ledgerCheckOutput = z.object({
  ok: z.boolean(),
  movements: z.number().int(),
  batches: z.number().int(),
  differences: z.array(ledgerDifference),
  /** Batches or depot totals below zero; never expected (the schema forbids them). */
  negatives: z.number().int(),
  /**
   * Rows the sums cannot stand on: a movement or balance whose batch is gone, a balance under
   * another depot or material than its batch, a stored value that is not a whole number.
   */
  inconsistent: z.number().int(),
  /**
   * Approved allocation sources whose reservation is not active as approved, and sources of ended
   * requests (cancelled, rejected) still holding one.
   */
  unreserved: z.number().int(),
  /** Active reservations that no approved allocation source holds. */
  orphaned: z.number().int(),
  elapsedMs: z.number(),
});
export type LedgerCheckResult = z.infer<typeof ledgerCheckOutput>;

export const auditVerifyOutput = z.object({
  ok: z.boolean(),
  records: z.number().int(),
  firstBrokenId: id.nullable(),
  problem: z.string().nullable(),
});
export type AuditVerifyResult = z.infer<typeof auditVerifyOutput>;

/** The audit chain's newest record (null before the first write): printed documents carry it. */
export const auditHeadOutput = z.object({ auditId: id, hash: z.string(), at: isoTime }).nullable();

export const auditListInput = z
  .strictObject({ after: id.optional(), limit: z.number().int().min(1).max(1000).default(100) })
  .prefault({});
export const auditRecordDto = z.object({
  auditId: id,
  at: isoTime,
  userId: id.nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
});
export const auditListOutput = z.object({ rows: z.array(auditRecordDto), nextCursor: z.string().nullable() });
