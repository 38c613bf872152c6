/**
 * Allocation and delivery at --scale size, on each store (the figures go through dispatch(),
 * as the screens call them):
 * - decide: `allocation.suggestSources` then `allocation.approve` of a 50-line request from an
 *   outside unit (the city decides), taking what was proposed;
 * - dispatch: `delivery.dispatch` of a 50-line order (50 reservations consumed, 50+ lots picked
 *   first-expiry-first-out, the movements posted);
 * - and, for the browser, a board of 1,000 open orders (half planned, half on the road).
 * Requests and orders are made through the same services first (untimed).
 */
import { createApp, type App } from '../src/main/app';
import type { StoreConfig } from '../src/main/db/store';
import { call, login } from './rpc';

export interface AllocationFigure {
  scenario: string;
  store: 'sqlite' | 'postgres';
  p50Ms: number;
  runs: number;
  limitMs: number;
}

const RUNS = 11;
const LINES = 50;
export const OPEN_ORDERS = 1_000;

const now = () => Number(process.hrtime.bigint()) / 1e6;
const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Materials the city depot holds a few hundred of in lots still good (approvals here may dip below quota, with a reason). */
async function stockedAtCity(app: App, depotId: number, n: number): Promise<number[]> {
  const rows = await app.db
    .selectFrom('stockLevels as sl')
    .innerJoin('materials as m', 'm.materialId', 'sl.materialId')
    .select(['sl.materialId'])
    .where('sl.depotId', '=', depotId)
    .where('m.active', '=', 1)
    .where((eb) => eb(eb('sl.onHand', '-', eb.ref('sl.reserved')), '>', 200))
    .orderBy('sl.materialId')
    .execute();
  // Dispatch takes no expired lot on its own: the stock must be in lots still good.
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const fresh = await app.db
    .selectFrom('batches as b')
    .innerJoin('batchBalances as bb', 'bb.batchId', 'b.batchId')
    .select((eb) => ['b.materialId', eb.fn.sum<number | string>('bb.onHand').as('n')])
    .where('b.depotId', '=', depotId)
    .where((eb) => eb.or([eb('b.expiresOn', 'is', null), eb('b.expiresOn', '>=', today)]))
    .groupBy('b.materialId')
    .execute();
  const good = new Set(fresh.filter((r) => Number(r.n) > 200).map((r) => r.materialId));
  const chosen = rows.map((r) => r.materialId).filter((id) => good.has(id));
  if (chosen.length < n)
    throw new Error(`the city depot has only ${chosen.length} well-stocked materials, ${n} needed`);
  return chosen.slice(0, n);
}

const REQUESTER = {
  requesterUnit: { name: '演练街道办事处', contact: '赵主任', phone: '13900001111' },
  deliverTo: { address: '演练安置点', contact: '赵主任', phone: '13900001111' },
};

async function fileRequest(app: App, token: string, materials: number[]) {
  return call(app, token, 'allocation.create', {
    ...REQUESTER,
    urgency: 'urgent',
    neededBy: new Date(Date.now() + 6 * 3_600_000).toISOString(),
    lines: materials.map((materialId) => ({ materialId, quantity: 1 })),
    submit: true,
  });
}

/** Approves every line from the city depot (one each; a reason in case it dips below quota). */
async function approveFromCity(
  app: App,
  token: string,
  request: Awaited<ReturnType<typeof fileRequest>>,
  depotId: number,
) {
  return call(app, token, 'allocation.approve', {
    requestId: request.requestId,
    lines: request.lines.map((l) => ({
      lineId: l.lineId,
      sources: [{ depotId, quantity: 1, overrideReason: '演练' }],
    })),
  });
}

async function planOrder(app: App, token: string, approved: Awaited<ReturnType<typeof approveFromCity>>) {
  const t = Date.now();
  return call(app, token, 'delivery.create', {
    requestId: approved.requestId,
    sourceIds: approved.lines.flatMap((l) => l.sources.map((s) => s.sourceId)),
    vehiclePlate: '鲁B12345',
    driverName: '演练司机',
    driverPhone: '13812345678',
    plannedDeparture: new Date(t).toISOString(),
    plannedArrival: new Date(t + 2 * 3_600_000).toISOString(),
  });
}

export async function allocationScenarios(
  kind: 'sqlite' | 'postgres',
  store: StoreConfig,
  options: { openOrders: boolean },
): Promise<{ figures: AllocationFigure[]; openOrders: { planned: number; inTransit: number } | null }> {
  const app = await createApp({ store, logError: (m, e) => console.error(m, e) });
  try {
    const token = await login(app, 'coordinator');
    const city = (await call(app, token, 'depot.list', { level: 'city' }))[0]!.depotId;
    const materials = await stockedAtCity(app, city, LINES);

    const decide: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      const request = await fileRequest(app, token, materials);
      const t0 = now();
      const proposals = await call(app, token, 'allocation.suggestSources', { requestId: request.requestId });
      await call(app, token, 'allocation.approve', {
        requestId: request.requestId,
        lines: proposals.map((p) => ({
          lineId: p.lineId,
          sources: p.depots
            .filter((d) => d.proposed > 0)
            .map((d) => ({ depotId: d.depotId, quantity: d.proposed })),
        })),
      });
      decide.push(now() - t0);
    }

    const dispatch: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      const order = await planOrder(
        app,
        token,
        await approveFromCity(app, token, await fileRequest(app, token, materials), city),
      );
      const t0 = now();
      await call(app, token, 'delivery.dispatch', { deliveryId: order.deliveryId });
      dispatch.push(now() - t0);
    }

    let open: { planned: number; inTransit: number } | null = null;
    if (options.openOrders) {
      open = { planned: 0, inTransit: 0 };
      for (let i = 0; i < OPEN_ORDERS; i += 1) {
        const one = materials[i % materials.length]!;
        const order = await planOrder(
          app,
          token,
          await approveFromCity(app, token, await fileRequest(app, token, [one]), city),
        );
        if (i % 2 === 0) {
          await call(app, token, 'delivery.dispatch', { deliveryId: order.deliveryId });
          open.inTransit += 1;
        } else open.planned += 1;
      }
    }
    return {
      figures: [
        {
          scenario: `suggestSources + approve, ${LINES}-line request`,
          store: kind,
          p50Ms: p50(decide),
          runs: RUNS,
          limitMs: 100,
        },
        {
          scenario: `dispatch, ${LINES}-line delivery order`,
          store: kind,
          p50Ms: p50(dispatch),
          runs: RUNS,
          limitMs: 50,
        },
      ],
      openOrders: open,
    };
  } finally {
    await app.close();
  }
}
