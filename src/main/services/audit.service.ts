/**
 * The audit log: every write appends a record in its own transaction. Each record's hash covers
 * its content and the previous record's hash, so an edited, removed or reordered record breaks
 * the chain at that point and `verifyAudit` names it.
 */
import { createHash } from 'node:crypto';
import type { AuditVerifyResult } from '../../shared/schemas/system';
import type { Selectable } from 'kysely';
import type { AuditLogTable, DbOrTrx, Trx } from '../db/database';
import { prepared } from '../db/prepared';
import type { Actor } from './context';
import type { MovementSeal } from './ledger-seal';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string | number | null;
  before?: unknown;
  after?: unknown;
  /** The movements this write posted, as ledger-seal.ts seals them. */
  movements?: MovementSeal;
}

interface HashedFields {
  auditId: number;
  at: string;
  userId: number | null;
  action: string;
  entityType: string;
  entityId: string | null;
  beforeJson: string | null;
  afterJson: string | null;
  movementsJson: string | null;
  prevHash: string;
}

export function auditHash(r: HashedFields): string {
  const fields: unknown[] = [
    r.auditId,
    r.at,
    r.userId,
    r.action,
    r.entityType,
    r.entityId,
    r.beforeJson,
    r.afterJson,
  ];
  // Records from before movements were sealed keep the hash they were written with.
  if (r.movementsJson !== null) fields.push(r.movementsJson);
  const content = JSON.stringify(fields);
  return createHash('sha256').update(r.prevHash).update('\n').update(content).digest('hex');
}

const chainHead = prepared((db) =>
  db.selectFrom('auditLog').select(['auditId', 'hash', 'at']).orderBy('auditId', 'desc').limit(1),
);
const insertRecord = prepared((db, p: Selectable<AuditLogTable>) =>
  db.insertInto('auditLog').values({
    auditId: p.auditId,
    at: p.at,
    userId: p.userId,
    action: p.action,
    entityType: p.entityType,
    entityId: p.entityId,
    beforeJson: p.beforeJson,
    afterJson: p.afterJson,
    movementsJson: p.movementsJson,
    prevHash: p.prevHash,
    hash: p.hash,
  }),
);

export async function appendAudit(
  trx: Trx,
  actor: Actor | null,
  at: string,
  entry: AuditEntry,
): Promise<void> {
  const last = await chainHead.first(trx, {});
  const record: HashedFields = {
    auditId: (last?.auditId ?? 0) + 1,
    at,
    userId: actor?.userId ?? null,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId === null ? null : String(entry.entityId),
    beforeJson: entry.before === undefined ? null : JSON.stringify(entry.before),
    afterJson: entry.after === undefined ? null : JSON.stringify(entry.after),
    movementsJson: entry.movements === undefined ? null : JSON.stringify(entry.movements),
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  await insertRecord.run(trx, { ...record, hash: auditHash(record) });
}

const VERIFY_PAGE = 5_000;

export async function verifyAudit(db: DbOrTrx): Promise<AuditVerifyResult> {
  let expectedPrev = GENESIS_HASH;
  let expectedId = 1;
  let records = 0;
  for (;;) {
    const rows = await db
      .selectFrom('auditLog')
      .selectAll()
      .where('auditId', '>=', expectedId)
      .orderBy('auditId')
      .limit(VERIFY_PAGE)
      .execute();
    for (const row of rows) {
      const broken = (problem: string): AuditVerifyResult => ({
        ok: false,
        records,
        firstBrokenId: row.auditId,
        problem,
      });
      if (row.auditId !== expectedId) return broken(`record ${expectedId} is missing`);
      if (row.prevHash !== expectedPrev) return broken('previous hash does not match');
      if (auditHash(row) !== row.hash) return broken('content does not match its hash');
      expectedPrev = row.hash;
      expectedId += 1;
      records += 1;
    }
    if (rows.length < VERIFY_PAGE) return { ok: true, records, firstBrokenId: null, problem: null };
  }
}

export async function listAudit(db: DbOrTrx, input: { after?: number | undefined; limit: number }) {
  let q = db
    .selectFrom('auditLog')
    .selectAll()
    .orderBy('auditId', 'desc')
    .limit(input.limit + 1);
  if (input.after !== undefined) q = q.where('auditId', '<', input.after);
  const rows = await q.execute();
  const more = rows.length > input.limit;
  const page = (more ? rows.slice(0, input.limit) : rows).map((r) => ({
    auditId: r.auditId,
    at: r.at,
    userId: r.userId,
    action: r.action,
    entityType: r.entityType,
    entityId: r.entityId,
    before: r.beforeJson === null ? null : (JSON.parse(r.beforeJson) as unknown),
    after: r.afterJson === null ? null : (JSON.parse(r.afterJson) as unknown),
  }));
  return { rows: page, nextCursor: more ? String(page.at(-1)!.auditId) : null };
}

/** The newest record: what anchors (printed documents, backups, the anchor file) hold on to. */
export async function auditHead(db: DbOrTrx): Promise<{ auditId: number; hash: string; at: string } | null> {
  return (await chainHead.first(db, {})) ?? null;
}
