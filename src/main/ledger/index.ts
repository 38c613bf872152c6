/**
 * The ledger: the only way stock or reservations change. Post movements (with their balances),
 * pick batches FEFO, reserve / consume / release, receive into a batch, number documents, open
 * a depot for a stock write. Called inside `write()` with its transaction.
 */
export {
  batchOnHand,
  lockedStockLevel,
  lockedStockLevels,
  lockLevelsInOrder,
  pairKey,
  stockLevel,
  type StockLevel,
} from './balances';
export { findOrCreateBatch, lotDates, requireBatchOf, type NewLot } from './batches';
export { writableDepot } from './depots';
export { DOC_PREFIXES, nextDocNo, type DocKind } from './doc-numbers';
export { postMovement, type NewMovement } from './movements';
export { postedMovements, trackPostedMovements } from './posted';
export { isExpired, pickBatches, type BatchPick } from './pick';
export { closeReservation, reserveMany, type ReservationRequest } from './reservations';
export { takeReserved, type ReservedLine, type ReservedPick } from './reserved-out';
