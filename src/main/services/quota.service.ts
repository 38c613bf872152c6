/** Reserve quotas (储备定额): the minimum a depot should hold of a material. */
import type { z } from 'zod';
import type { quotaListInput, quotaSetInput } from '../../shared/schemas/material';
import type { Actor, ServiceContext } from './context';
import { requireDepot, requireMaterial } from './guards';
import { write } from './write';

export async function setQuota(ctx: ServiceContext, actor: Actor, input: z.output<typeof quotaSetInput>) {
  return write(ctx, actor, 'quota.set', async (trx, { iso: at }) => {
    await requireDepot(trx, input.depotId);
    await requireMaterial(trx, input.materialId);
    const before = await trx
      .selectFrom('quotas')
      .selectAll()
      .where('depotId', '=', input.depotId)
      .where('materialId', '=', input.materialId)
      .executeTakeFirst();
    if (input.quantity === 0) {
      await trx
        .deleteFrom('quotas')
        .where('depotId', '=', input.depotId)
        .where('materialId', '=', input.materialId)
        .execute();
    } else {
      await trx
        .insertInto('quotas')
        .values({ ...input, updatedAt: at })
        .onConflict((oc) =>
          oc.columns(['depotId', 'materialId']).doUpdateSet({ quantity: input.quantity, updatedAt: at }),
        )
        .execute();
    }
    const after = { ...input, updatedAt: at };
    return {
      result: after,
      audit: {
        entityType: 'quota',
        entityId: `${input.depotId}:${input.materialId}`,
        before: before ?? null,
        after,
      },
    };
  });
}

export async function listQuotas(ctx: ServiceContext, input: z.output<typeof quotaListInput>) {
  let q = ctx.db.selectFrom('quotas').selectAll();
  if (input.depotId !== undefined) q = q.where('depotId', '=', input.depotId);
  if (input.materialId !== undefined) q = q.where('materialId', '=', input.materialId);
  return q.orderBy('depotId').orderBy('materialId').execute();
}
