/** The material catalogue (物资目录): searched by code, name or spec; deactivated, never deleted. */
import type { z } from 'zod';
import { AppError } from '../../shared/rpc';
import type {
  MaterialDto,
  materialCreateInput,
  materialListInput,
  materialUpdateInput,
} from '../../shared/schemas/material';
import type { MaterialRow, Trx } from '../db/database';
import { likeContains } from '../db/dialect';
import type { Actor, ServiceContext } from './context';
import { write } from './write';
import { requireMaterial } from './guards';

export function toMaterialDto(row: MaterialRow): MaterialDto {
  return { ...row, active: row.active === 1 };
}

export async function listMaterials(ctx: ServiceContext, input: z.output<typeof materialListInput>) {
  let q = ctx.db.selectFrom('materials').selectAll();
  if (!input.includeInactive) q = q.where('active', '=', 1);
  if (input.category !== undefined) q = q.where('category', '=', input.category);
  if (input.topClass !== undefined) q = q.where('topClass', '=', input.topClass);
  const text = input.text?.trim();
  if (text) {
    const pattern = likeContains(text);
    const { dialect } = ctx;
    q = q.where((eb) =>
      eb.or([
        dialect.like(eb.ref('code'), pattern),
        dialect.like(eb.ref('name'), pattern),
        dialect.like(eb.ref('spec'), pattern),
      ]),
    );
  }
  if (input.after !== undefined) q = q.where('code', '>', input.after);
  const rows = await q
    .orderBy('code')
    .limit(input.limit + 1)
    .execute();
  const more = rows.length > input.limit;
  const page = (more ? rows.slice(0, input.limit) : rows).map(toMaterialDto);
  return { rows: page, nextCursor: more ? page.at(-1)!.code : null };
}

export async function listCategories(ctx: ServiceContext): Promise<string[]> {
  const rows = await ctx.db
    .selectFrom('materials')
    .select('category')
    .distinct()
    .where('category', 'is not', null)
    .orderBy('category')
    .execute();
  return rows.map((r) => r.category!);
}

function codeTaken(code: string): AppError {
  return new AppError('CONFLICT', 'material.codeTaken', { code }, [
    { path: 'code', key: 'material.codeTaken', params: { code } },
  ]);
}

async function assertCodeFree(trx: Trx, code: string, exceptId?: number) {
  let q = trx.selectFrom('materials').select('materialId').where('code', '=', code);
  if (exceptId !== undefined) q = q.where('materialId', '<>', exceptId);
  if (await q.executeTakeFirst()) {
    throw codeTaken(code);
  }
}

export async function createMaterial(
  ctx: ServiceContext,
  actor: Actor,
  input: z.output<typeof materialCreateInput>,
): Promise<MaterialDto> {
  return write(
    ctx,
    actor,
    'material.create',
    async (trx, { iso: at }) => {
      const row = await insertMaterial(trx, input, at);
      return {
        result: toMaterialDto(row),
        audit: { entityType: 'material', entityId: row.materialId, after: row },
      };
    },
    { unique: { code: () => codeTaken(String(input.code)) } },
  );
}

/** A new catalogue entry inside a caller's write (`material.create`, an import). */
export async function insertMaterial(trx: Trx, input: z.output<typeof materialCreateInput>, at: string) {
  await assertCodeFree(trx, input.code);
  return trx
    .insertInto('materials')
    .values({
      code: input.code,
      name: input.name,
      spec: input.spec ?? null,
      unit: input.unit,
      topClass: input.topClass,
      gbCode: input.gbCode ?? null,
      category: input.category ?? null,
      shelfLifeMonths: input.shelfLifeMonths ?? null,
      warningDays: input.warningDays,
      referencePriceFen: input.referencePriceFen ?? null,
      active: 1,
      createdAt: at,
      updatedAt: at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateMaterial(
  ctx: ServiceContext,
  actor: Actor,
  input: z.output<typeof materialUpdateInput>,
): Promise<MaterialDto> {
  return write(
    ctx,
    actor,
    'material.update',
    async (trx, { iso: at }) => {
      const before = await requireMaterial(trx, input.materialId, { lock: 'update' });
      const { materialId, active, ...fields } = input;
      if (fields.code !== undefined) await assertCodeFree(trx, fields.code, materialId);
      const topClass = fields.topClass ?? before.topClass;
      const gbCode = fields.gbCode === undefined ? before.gbCode : fields.gbCode;
      if (gbCode && Number(gbCode[0]) !== topClass) {
        const params = { digit: gbCode[0]!, topClass };
        throw new AppError('BAD_INPUT', 'validation.gbCodeClass', params, [
          { path: 'gbCode', key: 'validation.gbCodeClass', params },
        ]);
      }
      const changes = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
      const row = await trx
        .updateTable('materials')
        .set({ ...changes, ...(active === undefined ? {} : { active: active ? 1 : 0 }), updatedAt: at })
        .where('materialId', '=', materialId)
        .returningAll()
        .executeTakeFirstOrThrow();
      return {
        result: toMaterialDto(row),
        audit: { entityType: 'material', entityId: materialId, before, after: row },
      };
    },
    { unique: { code: () => codeTaken(String(input.code)) } },
  );
}
