/** Depots (储备库): three levels under one another; deactivated, never deleted. */
import type { z } from 'zod';
import { AppError } from '../../shared/rpc';
import type {
  DepotDto,
  DepotLevel,
  depotCreateInput,
  depotListInput,
  depotUpdateInput,
} from '../../shared/schemas/depot';
import type { DepotRow, Trx } from '../db/database';
import { likeContains } from '../db/dialect';
import type { Actor, ServiceContext } from './context';
import { write } from './write';
import { requireDepot } from './guards';

const LEVEL_RANK: Record<DepotLevel, number> = { city: 0, district: 1, town: 2 };

export function toDepotDto(row: DepotRow): DepotDto {
  return { ...row, active: row.active === 1 };
}

export async function listDepots(
  ctx: ServiceContext,
  input: z.output<typeof depotListInput>,
): Promise<DepotDto[]> {
  let q = ctx.db.selectFrom('depots').selectAll();
  if (!input.includeInactive) q = q.where('active', '=', 1);
  if (input.level) q = q.where('level', '=', input.level);
  const text = input.text?.trim();
  if (text) {
    const pattern = likeContains(text);
    const { dialect } = ctx;
    q = q.where((eb) =>
      eb.or([dialect.like(eb.ref('code'), pattern), dialect.like(eb.ref('name'), pattern)]),
    );
  }
  const rows = await q.orderBy('code').execute();
  return rows.map(toDepotDto);
}

function codeTaken(code: string): AppError {
  return new AppError('CONFLICT', 'depot.codeTaken', { code }, [
    { path: 'code', key: 'depot.codeTaken', params: { code } },
  ]);
}

async function assertCodeFree(trx: Trx, code: string, exceptId?: number) {
  let q = trx.selectFrom('depots').select('depotId').where('code', '=', code);
  if (exceptId !== undefined) q = q.where('depotId', '<>', exceptId);
  if (await q.executeTakeFirst()) {
    throw codeTaken(code);
  }
}

/** The parent must exist and be of a higher level; a depot is never its own ancestor. */
async function assertParent(
  trx: Trx,
  parentId: number | null | undefined,
  level: DepotLevel,
  selfId?: number,
) {
  if (parentId === null || parentId === undefined) return;
  const parent = await requireDepot(trx, parentId, { path: 'parentId' });
  if (LEVEL_RANK[parent.level] >= LEVEL_RANK[level]) {
    throw new AppError('BAD_INPUT', 'validation.parentLevel', {}, [
      { path: 'parentId', key: 'validation.parentLevel' },
    ]);
  }
  for (let cursor: DepotRow | undefined = parent; cursor;) {
    if (cursor.depotId === selfId) {
      throw new AppError('BAD_INPUT', 'depot.parentCycle', {}, [
        { path: 'parentId', key: 'depot.parentCycle' },
      ]);
    }
    cursor = cursor.parentId === null ? undefined : await requireDepot(trx, cursor.parentId);
  }
}

export async function createDepot(
  ctx: ServiceContext,
  actor: Actor,
  input: z.output<typeof depotCreateInput>,
): Promise<DepotDto> {
  return write(
    ctx,
    actor,
    'depot.create',
    async (trx, { iso: at }) => {
      await assertCodeFree(trx, input.code);
      await assertParent(trx, input.parentId, input.level);
      const row = await trx
        .insertInto('depots')
        .values({
          code: input.code,
          name: input.name,
          level: input.level,
          parentId: input.parentId ?? null,
          address: input.address ?? null,
          keeperName: input.keeperName ?? null,
          phone: input.phone ?? null,
          capacityNote: input.capacityNote ?? null,
          latitude: input.latitude ?? null,
          longitude: input.longitude ?? null,
          active: 1,
          createdAt: at,
          updatedAt: at,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return { result: toDepotDto(row), audit: { entityType: 'depot', entityId: row.depotId, after: row } };
    },
    { unique: { code: () => codeTaken(String(input.code)) } },
  );
}

export async function updateDepot(
  ctx: ServiceContext,
  actor: Actor,
  input: z.output<typeof depotUpdateInput>,
): Promise<DepotDto> {
  return write(
    ctx,
    actor,
    'depot.update',
    async (trx, { iso: at }) => {
      const before = await requireDepot(trx, input.depotId, { lock: 'update' });
      const { depotId, active, ...fields } = input;
      if (fields.code !== undefined) await assertCodeFree(trx, fields.code, depotId);
      const level = fields.level ?? before.level;
      const parentId = fields.parentId === undefined ? before.parentId : fields.parentId;
      if (fields.level !== undefined || fields.parentId !== undefined)
        await assertParent(trx, parentId, level, depotId);
      // Its own children must stay below it too.
      if (fields.level !== undefined && fields.level !== before.level) {
        const children = await trx
          .selectFrom('depots')
          .select('level')
          .where('parentId', '=', depotId)
          .execute();
        if (children.some((c) => LEVEL_RANK[c.level] <= LEVEL_RANK[level])) {
          throw new AppError('BAD_INPUT', 'validation.parentLevel', {}, [
            { path: 'level', key: 'validation.parentLevel' },
          ]);
        }
      }
      const changes = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
      const row = await trx
        .updateTable('depots')
        .set({ ...changes, ...(active === undefined ? {} : { active: active ? 1 : 0 }), updatedAt: at })
        .where('depotId', '=', depotId)
        .returningAll()
        .executeTakeFirstOrThrow();
      return {
        result: toDepotDto(row),
        audit: { entityType: 'depot', entityId: depotId, before, after: row },
      };
    },
    { unique: { code: () => codeTaken(String(input.code)) } },
  );
}
