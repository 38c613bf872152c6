/** Incidents (突发事件): what requests, deliveries and movements are for; active until closed. */
import type { z } from 'zod';
import { AppError } from '../../shared/rpc';
import type {
  IncidentDto,
  incidentCloseInput,
  incidentCreateInput,
  incidentListInput,
  incidentUpdateInput,
} from '../../shared/schemas/allocation';
import type { DbOrTrx, Trx } from '../db/database';
import type { Dialect } from '../db/dialect';
import type { Actor, ServiceContext } from './context';
import { settleIncidentDeliveries } from './delivery.service';
import { requireDepot } from './guards';
import { write } from './write';

async function depotIdsOf(db: DbOrTrx, incidentId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('incidentDepots')
    .select('depotId')
    .where('incidentId', '=', incidentId)
    .orderBy('depotId')
    .execute();
  return rows.map((r) => r.depotId);
}

export async function getIncident(db: DbOrTrx, incidentId: number): Promise<IncidentDto> {
  const row = await db
    .selectFrom('incidents')
    .select([
      'incidentId',
      'type',
      'name',
      'responseLevel',
      'startedAt',
      'status',
      'closedAt',
      'note',
      'createdAt',
    ])
    .where('incidentId', '=', incidentId)
    .executeTakeFirst();
  if (!row) {
    const params = { id: String(incidentId) };
    throw new AppError('NOT_FOUND', 'incident.notFound', params, [
      { path: 'incidentId', key: 'incident.notFound', params },
    ]);
  }
  return { ...row, areaDepotIds: await depotIdsOf(db, incidentId) };
}

export async function listIncidents(
  db: DbOrTrx,
  input: z.output<typeof incidentListInput>,
): Promise<IncidentDto[]> {
  let query = db.selectFrom('incidents').select('incidentId').orderBy('startedAt', 'desc');
  if (input.status) query = query.where('status', '=', input.status);
  const ids = await query.execute();
  const out: IncidentDto[] = [];
  for (const { incidentId } of ids) out.push(await getIncident(db, incidentId));
  return out;
}

async function setArea(trx: Trx, incidentId: number, depotIds: readonly number[]): Promise<void> {
  await trx.deleteFrom('incidentDepots').where('incidentId', '=', incidentId).execute();
  for (const [i, depotId] of depotIds.entries())
    await requireDepot(trx, depotId, { path: `areaDepotIds.${i}` });
  const unique = [...new Set(depotIds)];
  if (unique.length > 0)
    await trx
      .insertInto('incidentDepots')
      .values(unique.map((depotId) => ({ incidentId, depotId })))
      .execute();
}

/**
 * An incident open for requests: NOT_FOUND, or CONFLICT once closed. Inside a write pass the
 * dialect: the row is then share-locked (PostgreSQL) until the write ends, so the incident cannot
 * close under a request or an order being filed for it (closing takes the row for update).
 */
export async function requireActiveIncident(
  db: DbOrTrx,
  incidentId: number,
  lock?: { dialect: Dialect; mode: 'share' | 'update' },
): Promise<IncidentDto> {
  if (lock) {
    const row = db.selectFrom('incidents').select('incidentId').where('incidentId', '=', incidentId);
    await (lock.mode === 'update' ? lock.dialect.forUpdate(row) : lock.dialect.forShare(row)).execute();
  }
  const incident = await getIncident(db, incidentId);
  if (incident.status !== 'active')
    throw new AppError('CONFLICT', 'incident.closed', { name: incident.name }, [
      { path: 'incidentId', key: 'incident.closed', params: { name: incident.name } },
    ]);
  return incident;
}

export function createIncident(
  ctx: ServiceContext,
  actor: Actor,
  input: z.output<typeof incidentCreateInput>,
): Promise<IncidentDto> {
  return write(ctx, actor, 'incident.create', async (trx, { iso }) => {
    const { incidentId } = await trx
      .insertInto('incidents')
      .values({
        type: input.type,
        name: input.name,
        responseLevel: input.responseLevel,
        startedAt: input.startedAt,
        status: 'active',
        closedAt: null,
        note: input.note ?? null,
        createdBy: actor.userId,
        createdAt: iso,
        updatedAt: iso,
      })
      .returning('incidentId')
      .executeTakeFirstOrThrow();
    await setArea(trx, incidentId, input.areaDepotIds);
    const after = await getIncident(trx, incidentId);
    return { result: after, audit: { entityType: 'incident', entityId: incidentId, after } };
  });
}

export function updateIncident(
  ctx: ServiceContext,
  actor: Actor,
  input: z.output<typeof incidentUpdateInput>,
): Promise<IncidentDto> {
  return write(ctx, actor, 'incident.update', async (trx, { iso }) => {
    const before = await requireActiveIncident(trx, input.incidentId);
    const { incidentId, areaDepotIds, ...fields } = input;
    await trx
      .updateTable('incidents')
      .set({ ...fields, note: input.note === undefined ? before.note : input.note, updatedAt: iso })
      .where('incidentId', '=', incidentId)
      .execute();
    if (areaDepotIds) await setArea(trx, incidentId, areaDepotIds);
    const after = await getIncident(trx, incidentId);
    return { result: after, audit: { entityType: 'incident', entityId: incidentId, before, after } };
  });
}

export function closeIncident(
  ctx: ServiceContext,
  actor: Actor,
  input: z.output<typeof incidentCloseInput>,
): Promise<IncidentDto> {
  return write(ctx, actor, 'incident.close', async (trx, { iso }) => {
    const before = await requireActiveIncident(trx, input.incidentId, {
      dialect: ctx.dialect,
      mode: 'update',
    });
    const open = await trx
      .selectFrom('allocationRequests')
      .select('docNo')
      .where('incidentId', '=', input.incidentId)
      .where('status', 'in', ['submitted', 'approved', 'partly_approved', 'dispatching'])
      .orderBy('requestId')
      .executeTakeFirst();
    if (open) throw new AppError('CONFLICT', 'incident.requestOpen', { docNo: open.docNo });
    const settled = await settleIncidentDeliveries(
      ctx,
      trx,
      input.incidentId,
      input.writeOffReason,
      actor,
      iso,
    );
    await trx
      .updateTable('incidents')
      // The closing note follows the incident's own, never replaces it.
      .set({
        status: 'closed',
        closedAt: iso,
        note: [before.note, input.note].filter(Boolean).join('\n') || null,
        updatedAt: iso,
      })
      .where('incidentId', '=', input.incidentId)
      .execute();
    const after = await getIncident(trx, input.incidentId);
    return {
      result: after,
      audit: { entityType: 'incident', entityId: input.incidentId, before, after: { ...after, ...settled } },
    };
  });
}
