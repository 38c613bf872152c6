/**
 * The movements a write has posted so far, per transaction: `write()` seals them into its audit
 * record (services/ledger-seal.ts). Keyed by the transaction's connection, so no signature in
 * between has to carry them.
 */
import type { Trx } from '../db/database';

const posted = new WeakMap<Trx, number[]>();

/** Starts (or restarts, on a retried attempt) the list for this transaction. */
export function trackPostedMovements(trx: Trx): void {
  posted.set(trx, []);
}

export function notePosted(trx: Trx, movementId: number): void {
  posted.get(trx)?.push(movementId);
}

export function postedMovements(trx: Trx): readonly number[] {
  return posted.get(trx) ?? [];
}
