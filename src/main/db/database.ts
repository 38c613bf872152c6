/** Table types for kysely, camelCase (the CamelCasePlugin maps them to the snake_case schema). */
import type { Generated, Kysely, Selectable } from 'kysely';
import type { z } from 'zod';
import type { incidentType, RequestStatus, urgency } from '../../shared/schemas/allocation';
import type { DeliveryStatus } from '../../shared/schemas/delivery';

export interface DepotsTable {
  depotId: Generated<number>;
  code: string;
  name: string;
  level: 'city' | 'district' | 'town';
  parentId: number | null;
  address: string | null;
  keeperName: string | null;
  phone: string | null;
  capacityNote: string | null;
  latitude: number | null;
  longitude: number | null;
  active: number;
  createdAt: string;
  updatedAt: string;
}

export interface MaterialsTable {
  materialId: Generated<number>;
  code: string;
  name: string;
  spec: string | null;
  unit: string;
  topClass: 1 | 2 | 3;
  gbCode: string | null;
  category: string | null;
  shelfLifeMonths: number | null;
  warningDays: number;
  referencePriceFen: number | null;
  active: number;
  createdAt: string;
  updatedAt: string;
}

export interface QuotasTable {
  depotId: number;
  materialId: number;
  quantity: number;
  updatedAt: string;
}

export interface BatchesTable {
  batchId: Generated<number>;
  depotId: number;
  materialId: number;
  lotNo: string;
  producedOn: string | null;
  expiresOn: string | null;
  source: string;
  supplier: string | null;
  unitPriceFen: number | null;
  createdAt: string;
}

export interface MovementsTable {
  movementId: Generated<number>;
  docNo: string;
  type: string;
  depotId: number;
  materialId: number;
  batchId: number;
  quantity: number;
  occurredAt: string;
  userId: number;
  counterpartDepotId: number | null;
  reversesMovementId: number | null;
  pairMovementId: number | null;
  stocktakeId: number | null;
  expiredOverride: number;
  recipient: string | null;
  reason: string | null;
  note: string | null;
  /** A receipt's own terms (its batch keeps those of its first receipt); null on other movements. */
  source: string | null;
  supplier: string | null;
  unitPriceFen: number | null;
  /** The incident the movement served (a delivery's, a recovery's). */
  incidentId: number | null;
}

export interface BatchBalancesTable {
  batchId: number;
  depotId: number;
  materialId: number;
  onHand: number;
}

export interface StockLevelsTable {
  depotId: number;
  materialId: number;
  onHand: number;
  reserved: number;
}

export interface ReservationsTable {
  reservationId: Generated<number>;
  depotId: number;
  materialId: number;
  quantity: number;
  status: 'active' | 'released' | 'consumed';
  reference: string;
  createdAt: string;
  createdBy: number;
  closedAt: string | null;
}

export interface IncidentsTable {
  incidentId: Generated<number>;
  type: z.infer<typeof incidentType>;
  name: string;
  /** 1–4: Ⅰ级 (most severe) to Ⅳ级. */
  responseLevel: number;
  startedAt: string;
  status: 'active' | 'closed';
  closedAt: string | null;
  note: string | null;
  createdBy: number;
  createdAt: string;
  updatedAt: string;
}

export interface IncidentDepotsTable {
  incidentId: number;
  depotId: number;
}

export interface AllocationRequestsTable {
  requestId: Generated<number>;
  docNo: string;
  incidentId: number | null;
  /** A depot asks (its keeper files it), or an outside unit (entered by a coordinator or staff). */
  requesterDepotId: number | null;
  requesterUnit: string | null;
  requesterContact: string | null;
  requesterPhone: string | null;
  urgency: z.infer<typeof urgency>;
  deliverToDepotId: number | null;
  deliverAddress: string | null;
  deliverContact: string | null;
  deliverPhone: string | null;
  neededBy: string;
  status: RequestStatus;
  /** The district depot whose coordinators decide it; null: the city's coordinators. */
  approverDepotId: number | null;
  forwardedFromId: number | null;
  note: string | null;
  createdBy: number;
  createdAt: string;
  updatedAt: string;
}

export interface AllocationLinesTable {
  lineId: Generated<number>;
  requestId: number;
  lineNo: number;
  materialId: number;
  requested: number;
  /** Null until decided. */
  approved: number | null;
  purpose: string | null;
}

export interface AllocationSourcesTable {
  sourceId: Generated<number>;
  lineId: number;
  depotId: number;
  quantity: number;
  reservationId: number;
  overrideReason: string | null;
}

export interface AllocationEventsTable {
  eventId: Generated<number>;
  requestId: number;
  at: string;
  userId: number;
  fromStatus: RequestStatus | null;
  toStatus: RequestStatus;
  comment: string | null;
}

export interface DeliveryOrdersTable {
  deliveryId: Generated<number>;
  docNo: string;
  requestId: number;
  incidentId: number | null;
  deliverToDepotId: number | null;
  deliverAddress: string | null;
  deliverContact: string | null;
  deliverPhone: string | null;
  vehiclePlate: string;
  driverName: string;
  driverPhone: string;
  escortName: string | null;
  plannedDeparture: string;
  plannedArrival: string;
  status: DeliveryStatus;
  note: string | null;
  createdBy: number;
  createdAt: string;
  dispatchedBy: number | null;
  dispatchedAt: string | null;
  /** Who signed for the goods, and when they did. */
  receiverName: string | null;
  receivedAt: string | null;
  updatedAt: string;
}

export interface DeliveryLinesTable {
  lineId: Generated<number>;
  deliveryId: number;
  lineNo: number;
  /** The allocation source it carries (and whose reservation dispatch consumes). */
  sourceId: number;
  depotId: number;
  materialId: number;
  quantity: number;
}

/** One lot a line took at dispatch, and what became of it. */
export interface DeliveryItemsTable {
  itemId: Generated<number>;
  lineId: number;
  batchId: number;
  quantity: number;
  dispatchMovementId: number;
  received: number | null;
  shortfallKind: 'missing' | 'damaged' | null;
  shortfallReason: string | null;
  receiptMovementId: number | null;
  returned: Generated<number>;
  writtenOff: Generated<number>;
}

export interface RecoveriesTable {
  recoveryId: Generated<number>;
  itemId: number;
  kind: 'returned' | 'written_off';
  quantity: number;
  movementId: number | null;
  reason: string | null;
  at: string;
  userId: number;
}

export interface DeliveryEventsTable {
  eventId: Generated<number>;
  deliveryId: number;
  at: string;
  userId: number;
  fromStatus: DeliveryStatus | null;
  toStatus: DeliveryStatus;
  comment: string | null;
}

export interface DocSequencesTable {
  prefix: string;
  day: string;
  lastValue: number;
}

export interface UsersTable {
  userId: Generated<number>;
  username: string;
  displayName: string;
  role: 'admin' | 'coordinator' | 'keeper' | 'staff';
  passwordHash: string;
  active: number;
  /** A coordinator's jurisdiction: a district depot (its district), or null for the whole city. */
  jurisdictionDepotId: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface UserDepotsTable {
  userId: number;
  depotId: number;
}

export interface SessionsTable {
  tokenHash: string;
  userId: number;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
}

export interface StocktakesTable {
  stocktakeId: Generated<number>;
  docNo: string;
  depotId: number;
  status: 'open' | 'approved' | 'cancelled';
  note: string | null;
  openedAt: string;
  openedBy: number;
  closedAt: string | null;
  closedBy: number | null;
}

export interface StocktakeLinesTable {
  lineId: Generated<number>;
  stocktakeId: number;
  batchId: number;
  bookQuantity: number;
  countedQuantity: number | null;
  reason: string | null;
}

export interface SettingsTable {
  key: string;
  value: string;
  updatedAt: string;
}

export interface AuditLogTable {
  auditId: number;
  at: string;
  userId: number | null;
  action: string;
  entityType: string;
  entityId: string | null;
  beforeJson: string | null;
  afterJson: string | null;
  /** The movements the write posted and their digest (ledger-seal.ts); covered by the hash. */
  movementsJson: string | null;
  prevHash: string;
  hash: string;
}

export interface MovementTypesTable {
  type: string;
}

export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  procedure: string;
  /** SHA-256 of the procedure and its validated input. */
  requestHash: string;
  /** '' while the first request is still finishing; '-' when the reply was too large to keep. */
  responseJson: string;
  createdAt: string;
}

/** One sign-in throttle: a user name, a source address, or the two together (login-throttle.ts). */
export interface LoginTurnsTable {
  scope: 'name' | 'source' | 'pair';
  /** The user name as typed, lower-cased; '' for a source. */
  name: string;
  /** Where the attempt came from ('desktop' for the window, the peer address over HTTP); '' for a name. */
  source: string;
  /** Failed attempts since the last quarter of an hour without one (an attempt counts until it succeeds). */
  failures: number;
  lastFailureAt: string;
  /** No guess under this throttle is checked before this time. */
  nextAt: string;
  /** A pair only: it signed in successfully, and keeps a right of way until then. */
  trustedUntil: string | null;
}

export interface Database {
  depots: DepotsTable;
  materials: MaterialsTable;
  quotas: QuotasTable;
  batches: BatchesTable;
  movements: MovementsTable;
  batchBalances: BatchBalancesTable;
  stockLevels: StockLevelsTable;
  reservations: ReservationsTable;
  docSequences: DocSequencesTable;
  users: UsersTable;
  userDepots: UserDepotsTable;
  sessions: SessionsTable;
  stocktakes: StocktakesTable;
  stocktakeLines: StocktakeLinesTable;
  settings: SettingsTable;
  auditLog: AuditLogTable;
  movementTypes: MovementTypesTable;
  idempotencyKeys: IdempotencyKeysTable;
  loginTurns: LoginTurnsTable;
  incidents: IncidentsTable;
  incidentDepots: IncidentDepotsTable;
  allocationRequests: AllocationRequestsTable;
  allocationLines: AllocationLinesTable;
  allocationSources: AllocationSourcesTable;
  allocationEvents: AllocationEventsTable;
  deliveryOrders: DeliveryOrdersTable;
  deliveryLines: DeliveryLinesTable;
  deliveryItems: DeliveryItemsTable;
  recoveries: RecoveriesTable;
  deliveryEvents: DeliveryEventsTable;
}

export type Db = Kysely<Database>;
/** A write in progress: the connection `write()` opened its transaction on. */
export type Trx = Kysely<Database>;
/** Either: read helpers work both inside and outside a transaction. */
export type DbOrTrx = Kysely<Database>;

export type DepotRow = Selectable<DepotsTable>;
export type MaterialRow = Selectable<MaterialsTable>;
export type BatchRow = Selectable<BatchesTable>;
export type MovementRow = Selectable<MovementsTable>;
export type UserRow = Selectable<UsersTable>;
