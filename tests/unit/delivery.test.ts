/**
 * Urgent delivery orders (issue 9, §4), on both stores: approved sources go on a vehicle, dispatch
 * consumes the reservations and issues FEFO, the goods are in transit until signed for, the
 * receipt enters the destination's ledger in lots of the same number with any shortfall recorded;
 * goods delivered outside are returned or written off, and an incident settles on closing. Every
 * refusal names its field and changes nothing.
 */
import { checkLedger } from '../../src/main/services/ledger-check.service';
import { createTestEnv, createWorld, failsCleanly, levelOf, tableRows, type TestEnv } from './harness';

let env: TestEnv;
let w: Awaited<ReturnType<typeof createWorld>>;
let coordinator: { token: string; userId: number };
/** Holds the city depot and 崂山区 (the two sources); 市南区's keeper receives. */
let sourceKeeper: { token: string; userId: number };
let shinanKeeper: { token: string; userId: number };
let incidentId: number;

beforeEach(async () => {
  env = await createTestEnv();
  w = await createWorld(env);
  coordinator = await env.user('coordinator');
  sourceKeeper = await env.user('keeper', [w.city.depotId, w.laoshan.depotId]);
  shinanKeeper = await env.user('keeper', [w.shinan.depotId]);
  // Two lots of quilts at the city depot: the one expiring first leaves first.
  await env.call(sourceKeeper.token, 'stock.receive', {
    depotId: w.city.depotId,
    source: 'procurement',
    lines: [
      { materialId: w.quilt.materialId, quantity: 40, lotNo: 'Q-LATE', producedOn: '2026-06-01' },
      { materialId: w.quilt.materialId, quantity: 30, lotNo: 'Q-EARLY', producedOn: '2025-01-01' },
      { materialId: w.tent.materialId, quantity: 200, lotNo: 'T-CITY' },
    ],
  });
  await env.call(sourceKeeper.token, 'stock.receive', {
    depotId: w.laoshan.depotId,
    source: 'procurement',
    lines: [{ materialId: w.tent.materialId, quantity: 50, lotNo: 'T-LS' }],
  });
  ({ incidentId } = await env.call(coordinator.token, 'incident.create', {
    type: 'typhoon',
    name: '台风“海葵”',
    responseLevel: 2,
    startedAt: '2026-11-29T20:00:00+08:00',
  }));
});
afterEach(() => env.close());

const VEHICLE = {
  vehiclePlate: '鲁B·12345',
  driverName: '王师傅',
  driverPhone: '13812345678',
  escortName: '李押运',
  plannedDeparture: '2026-11-30T11:00:00+08:00',
  plannedArrival: '2026-11-30T13:00:00+08:00',
};

/** A request the city decides (市南区 asks, or an outside unit), approved from the city depot and 崂山区. */
async function approvedRequest(destination: 'shinan' | 'outside' = 'shinan') {
  const requester =
    destination === 'shinan'
      ? { requesterDepotId: w.shinan.depotId, deliverToDepotId: w.shinan.depotId }
      : {
          requesterUnit: { name: '八大湖街道办事处', contact: '赵主任', phone: '0532-88886666' },
          deliverTo: {
            address: '八大湖街道安置点（第一中学体育馆）',
            contact: '赵主任',
            phone: '13900001111',
          },
        };
  const request = await env.call(coordinator.token, 'allocation.create', {
    incidentId,
    ...requester,
    urgency: 'extra_urgent',
    neededBy: '2026-11-30T14:00:00+08:00',
    lines: [
      { materialId: w.quilt.materialId, quantity: 60 },
      { materialId: w.tent.materialId, quantity: 120 },
    ],
    submit: true,
  });
  const [quilts, tents] = request.lines;
  env.clock.advanceMinutes(30);
  const approved = await env.call(coordinator.token, 'allocation.approve', {
    requestId: request.requestId,
    lines: [
      { lineId: quilts!.lineId, sources: [{ depotId: w.city.depotId, quantity: 60 }] },
      {
        lineId: tents!.lineId,
        sources: [
          { depotId: w.city.depotId, quantity: 80 },
          { depotId: w.laoshan.depotId, quantity: 40 },
        ],
      },
    ],
  });
  const sourceIds = (depotId: number) =>
    approved.lines.flatMap((l) => l.sources.filter((s) => s.depotId === depotId).map((s) => s.sourceId));
  return { request: approved, city: sourceIds(w.city.depotId), laoshan: sourceIds(w.laoshan.depotId) };
}

test('dispatch consumes the reservation FEFO, the goods are in transit, the signed receipt enters lots of the same number and records the shortfall', async () => {
  const { request, city, laoshan } = await approvedRequest();
  expect(await levelOf(env, w.city.depotId, w.quilt.materialId)).toMatchObject({ onHand: 70, reserved: 60 });

  // One order per source depot.
  const fromCity = await env.call(coordinator.token, 'delivery.create', {
    requestId: request.requestId,
    sourceIds: city,
    ...VEHICLE,
  });
  expect(fromCity).toMatchObject({
    docNo: 'PS-20261130-0001',
    status: 'planned',
    vehiclePlate: '鲁B12345',
    sourceDepotNames: ['青岛市级救灾物资储备库'],
    deliverToName: '市南区储备库',
    incidentName: '台风“海葵”',
    lineCount: 2,
    overdue: false,
  });
  const fromLaoshan = await env.call(coordinator.token, 'delivery.create', {
    requestId: request.requestId,
    sourceIds: laoshan,
    ...VEHICLE,
    vehiclePlate: '鲁BD12345',
    escortName: undefined,
  });

  env.clock.advanceMinutes(20);
  const dispatched = await env.call(sourceKeeper.token, 'delivery.dispatch', {
    deliveryId: fromCity.deliveryId,
  });
  expect(dispatched.status).toBe('dispatched');
  const quiltLine = dispatched.lines.find((l) => l.materialId === w.quilt.materialId)!;
  // 30 from the lot made first (it expires first), the other 30 from the later one.
  expect(quiltLine.items.map((i) => [i.lotNo, i.quantity])).toEqual([
    ['Q-EARLY', 30],
    ['Q-LATE', 30],
  ]);
  expect(await levelOf(env, w.city.depotId, w.quilt.materialId)).toMatchObject({ onHand: 10, reserved: 0 });
  expect(await levelOf(env, w.city.depotId, w.tent.materialId)).toMatchObject({ onHand: 120, reserved: 0 });
  const afterDispatch = await env.call(coordinator.token, 'allocation.get', { requestId: request.requestId });
  expect(afterDispatch.status).toBe('dispatching');
  expect(afterDispatch.events.at(-1)).toMatchObject({ toStatus: 'dispatching', comment: 'PS-20261130-0001' });
  const movements = await env.call(coordinator.token, 'stock.movements', { docNo: 'PS-20261130-0001' });
  expect(movements.rows.map((m) => [m.type, m.quantity])).toEqual(
    expect.arrayContaining([
      ['dispatch', -30],
      ['dispatch', -30],
      ['dispatch', -80],
    ]),
  );
  expect((await checkLedger(env.app.svc)).ok).toBe(true);

  // Dispatching twice, cancelling once on the road: refused, nothing changed.
  expect(
    (await failsCleanly(env, sourceKeeper.token, 'delivery.dispatch', { deliveryId: fromCity.deliveryId }))
      .code,
  ).toBe('CONFLICT');
  expect(
    (
      await failsCleanly(env, coordinator.token, 'delivery.cancel', {
        deliveryId: fromCity.deliveryId,
        comment: '改派',
      })
    ).code,
  ).toBe('CONFLICT');

  // 市南区's keeper signs: 3 quilts of the early lot arrived damaged.
  env.clock.advanceMinutes(120);
  const early = quiltLine.items[0]!;
  const signed = await env.call(shinanKeeper.token, 'delivery.deliver', {
    deliveryId: fromCity.deliveryId,
    receiverName: '市南区保管员',
    receivedAt: '2026-11-30T12:45:00+08:00',
    items: [{ itemId: early.itemId, received: 27, shortfallKind: 'damaged', reason: '雨淋受潮 3 床' }],
  });
  expect(signed.status).toBe('delivered');
  expect(signed.lines.find((l) => l.materialId === w.quilt.materialId)!.items[0]).toMatchObject({
    received: 27,
    shortfallKind: 'damaged',
    shortfallReason: '雨淋受潮 3 床',
  });
  expect(await levelOf(env, w.shinan.depotId, w.quilt.materialId)).toMatchObject({ onHand: 57 });
  expect(await levelOf(env, w.shinan.depotId, w.tent.materialId)).toMatchObject({ onHand: 80 });
  const lots = (await tableRows(env, 'batches')).filter((b) => b.depotId === w.shinan.depotId);
  expect(lots.map((b) => [b.lotNo, b.producedOn, b.source]).sort()).toEqual([
    ['Q-EARLY', '2025-01-01', 'allocation'],
    ['Q-LATE', '2026-06-01', 'allocation'],
    ['T-CITY', null, 'allocation'],
  ]);
  const early_ = lots.find((b) => b.lotNo === 'Q-EARLY')!;
  // The shelf life (60 months) came with the lot, not recomputed from the arrival.
  expect(early_.expiresOn).toBe('2029-12-31');
  expect(signed).toMatchObject({ receiverName: '市南区保管员', receivedAt: '2026-11-30T04:45:00.000Z' });
  expect(signed.dispatchedAt).toBe('2026-11-30T02:50:00.000Z');
  expect(signed.requestSubmittedAt).toBe('2026-11-30T02:00:00.000Z');
  expect(signed.approvedAt).toBe('2026-11-30T02:30:00.000Z');
  // The other order still holds its reservation: the request is not complete.
  expect((await env.call(coordinator.token, 'allocation.get', { requestId: request.requestId })).status).toBe(
    'dispatching',
  );
  expect(await levelOf(env, w.laoshan.depotId, w.tent.materialId)).toMatchObject({
    onHand: 50,
    reserved: 40,
  });

  await env.call(sourceKeeper.token, 'delivery.dispatch', { deliveryId: fromLaoshan.deliveryId });
  // On the road: 40 tents bound for 市南区.
  expect(await env.call(coordinator.token, 'delivery.inTransit', { depotId: w.shinan.depotId })).toEqual([
    expect.objectContaining({
      deliverToName: '市南区储备库',
      materialCode: 'M0001',
      quantity: 40,
      orders: 1,
    }),
  ]);
  env.clock.advanceMinutes(60);
  await env.call(shinanKeeper.token, 'delivery.deliver', {
    deliveryId: fromLaoshan.deliveryId,
    receiverName: '市南区保管员',
    receivedAt: '2026-11-30T13:40:00+08:00',
  });
  const done = await env.call(coordinator.token, 'allocation.get', { requestId: request.requestId });
  expect(done.status).toBe('completed');
  expect(await levelOf(env, w.shinan.depotId, w.tent.materialId)).toMatchObject({ onHand: 120 });
  const check = await checkLedger(env.app.svc);
  expect(check).toMatchObject({ ok: true, unreserved: 0 });
  expect(await env.call(coordinator.token, 'delivery.inTransit', {})).toEqual([]);

  // The incident page: per material, and the timers over its orders.
  const summary = await env.call(coordinator.token, 'incident.summary', { incidentId });
  expect(
    summary.materials.map((m) => [m.code, m.requested, m.approved, m.dispatched, m.delivered, m.shortfall]),
  ).toEqual([
    ['M0001', 120, 120, 120, 120, 0],
    ['M0002', 60, 60, 60, 57, 3],
  ]);
  expect(summary.requestsByStatus).toEqual({ completed: 1 });
  expect(summary.deliveriesByStatus).toEqual({ delivered: 2 });
  // Submitted 02:00, approved 02:30; dispatched 02:50 and 04:50; signed for at 04:45 and 05:40.
  expect(summary.timers.toApproval).toEqual({ count: 1, medianSeconds: 1800, worstSeconds: 1800 });
  expect(summary.timers.toDispatch).toEqual({ count: 2, medianSeconds: 4800, worstSeconds: 8400 });
  expect(summary.timers.toDelivery).toEqual({ count: 2, medianSeconds: 4950, worstSeconds: 6900 });

  // The incident links every movement of its deliveries.
  const linked = (await tableRows(env, 'movements')).filter((m) => m.incidentId === incidentId);
  expect(linked.map((m) => m.type).sort()).toEqual([
    'delivery_in',
    'delivery_in',
    'delivery_in',
    'delivery_in',
    'dispatch',
    'dispatch',
    'dispatch',
    'dispatch',
  ]);
  // A delivery's movements are corrected on the order, not reversed by hand.
  const dispatchMovement = movements.rows.find((m) => m.type === 'dispatch')!;
  expect(
    (
      await failsCleanly(env, sourceKeeper.token, 'stock.reverse', {
        movementId: dispatchMovement.movementId,
        reason: '错发',
      })
    ).code,
  ).toBe('CONFLICT');
});

test('refusals name their field and change nothing', async () => {
  const { request, city, laoshan } = await approvedRequest();
  const create = (patch: Record<string, unknown>) => ({
    requestId: request.requestId,
    sourceIds: city,
    ...VEHICLE,
    ...patch,
  });
  const fieldOf = async (token: string, procedure: string, input: unknown) => {
    const error = await failsCleanly(env, token, procedure, input);
    return [error.code, error.fields?.[0]?.path];
  };
  expect(await fieldOf(coordinator.token, 'delivery.create', create({ vehiclePlate: '鲁I12345' }))).toEqual([
    'BAD_INPUT',
    'vehiclePlate',
  ]);
  expect(await fieldOf(coordinator.token, 'delivery.create', create({ vehiclePlate: 'AB12345' }))).toEqual([
    'BAD_INPUT',
    'vehiclePlate',
  ]);
  expect(await fieldOf(coordinator.token, 'delivery.create', create({ driverPhone: '12345' }))).toEqual([
    'BAD_INPUT',
    'driverPhone',
  ]);
  expect(
    await fieldOf(
      coordinator.token,
      'delivery.create',
      create({ plannedArrival: '2026-11-30T10:00:00+08:00' }),
    ),
  ).toEqual(['BAD_INPUT', 'plannedArrival']);
  expect(await fieldOf(coordinator.token, 'delivery.create', create({ sourceIds: [99999] }))).toEqual([
    'BAD_INPUT',
    'sourceIds.0',
  ]);
  expect(await fieldOf(sourceKeeper.token, 'delivery.create', create({}))).toEqual(['FORBIDDEN', undefined]);

  const order = await env.call(coordinator.token, 'delivery.create', create({}));
  expect(await fieldOf(coordinator.token, 'delivery.create', create({ sourceIds: [city[0]] }))).toEqual([
    'CONFLICT',
    'sourceIds.0',
  ]);
  // Merged: a keeper must hold every depot the vehicle loads at.
  const merged = await env.call(coordinator.token, 'delivery.create', create({ sourceIds: laoshan }));
  expect(
    (await failsCleanly(env, shinanKeeper.token, 'delivery.dispatch', { deliveryId: merged.deliveryId }))
      .code,
  ).toBe('FORBIDDEN');

  // Signing before dispatch; then after dispatch: the wrong keeper, a coordinator for a depot, too many, no reason.
  const deliver = (token: string, patch: Record<string, unknown> = {}) =>
    fieldOf(token, 'delivery.deliver', {
      deliveryId: order.deliveryId,
      receiverName: '签收人',
      receivedAt: '2026-11-30T12:00:00+08:00',
      ...patch,
    });
  expect(await deliver(shinanKeeper.token)).toEqual(['CONFLICT', undefined]);
  await env.call(sourceKeeper.token, 'delivery.dispatch', { deliveryId: order.deliveryId });
  // Dispatched once: a second dispatch is a conflict, and takes nothing more.
  expect(await fieldOf(sourceKeeper.token, 'delivery.dispatch', { deliveryId: order.deliveryId })).toEqual([
    'CONFLICT',
    undefined,
  ]);
  env.clock.set('2026-11-30T05:00:00.000Z');
  const item = (await env.call(coordinator.token, 'delivery.get', { deliveryId: order.deliveryId })).lines[0]!
    .items[0]!;
  expect(await deliver(sourceKeeper.token)).toEqual(['FORBIDDEN', undefined]);
  expect(await deliver(coordinator.token)).toEqual(['FORBIDDEN', undefined]);
  expect(
    await deliver(shinanKeeper.token, { items: [{ itemId: item.itemId, received: item.quantity + 1 }] }),
  ).toEqual(['BAD_INPUT', 'items.0.received']);
  expect(await deliver(shinanKeeper.token, { items: [{ itemId: item.itemId, received: 1 }] })).toEqual([
    'BAD_INPUT',
    'items.0.reason',
  ]);
  expect(await deliver(shinanKeeper.token, { items: [{ itemId: 99999, received: 1 }] })).toEqual([
    'BAD_INPUT',
    'items.0.itemId',
  ]);
  expect(await deliver(shinanKeeper.token, { receivedAt: '2026-11-30T09:00:00+08:00' })).toEqual([
    'BAD_INPUT',
    'receivedAt',
  ]);
  expect(await deliver(shinanKeeper.token, { receivedAt: '2026-12-01T09:00:00+08:00' })).toEqual([
    'BAD_INPUT',
    'receivedAt',
  ]);
  // Returns are for goods delivered outside; a depot's goods go back by transfer.
  expect(
    await fieldOf(coordinator.token, 'recovery.return', {
      deliveryId: order.deliveryId,
      depotId: w.city.depotId,
      lines: [{ itemId: item.itemId, quantity: 1 }],
    }),
  ).toEqual(['BAD_INPUT', 'deliveryId']);
  expect((await checkLedger(env.app.svc)).ok).toBe(true);
});

test('cancelling a planned order releases its reservations for good; cancelling the request takes its planned orders', async () => {
  const { request, city, laoshan } = await approvedRequest();
  const order = await env.call(coordinator.token, 'delivery.create', {
    requestId: request.requestId,
    sourceIds: laoshan,
    ...VEHICLE,
  });
  // Another vehicle before it leaves.
  const changed = await env.call(coordinator.token, 'delivery.update', {
    deliveryId: order.deliveryId,
    vehiclePlate: '鲁B54321',
    driverName: '张师傅',
  });
  expect(changed).toMatchObject({ vehiclePlate: '鲁B54321', driverName: '张师傅', status: 'planned' });
  const cancelled = await env.call(coordinator.token, 'delivery.cancel', {
    deliveryId: order.deliveryId,
    comment: '需求已由其他渠道满足',
  });
  expect(cancelled.status).toBe('cancelled');
  expect(cancelled.events.map((e) => e.toStatus)).toEqual(['planned', 'cancelled']);
  expect(await levelOf(env, w.laoshan.depotId, w.tent.materialId)).toMatchObject({ onHand: 50, reserved: 0 });
  const again = await failsCleanly(env, coordinator.token, 'delivery.create', {
    requestId: request.requestId,
    sourceIds: laoshan,
    ...VEHICLE,
  });
  expect(again.code).toBe('CONFLICT');
  expect((await checkLedger(env.app.svc)).ok).toBe(true);

  const planned = await env.call(coordinator.token, 'delivery.create', {
    requestId: request.requestId,
    sourceIds: city,
    ...VEHICLE,
  });
  const withdrawn = await env.call(coordinator.token, 'allocation.cancel', {
    requestId: request.requestId,
    comment: '需求已由其他渠道满足',
  });
  expect(withdrawn.status).toBe('cancelled');
  expect((await env.call(coordinator.token, 'delivery.get', { deliveryId: planned.deliveryId })).status).toBe(
    'cancelled',
  );
  expect(await levelOf(env, w.city.depotId, w.quilt.materialId)).toMatchObject({ onHand: 70, reserved: 0 });
  expect(await levelOf(env, w.city.depotId, w.tent.materialId)).toMatchObject({ onHand: 200, reserved: 0 });
  expect((await checkLedger(env.app.svc)).ok).toBe(true);
});

test('goods delivered to an outside unit are returned into a depot or written off; the incident settles on closing', async () => {
  const { request, city, laoshan } = await approvedRequest('outside');
  const order = await env.call(coordinator.token, 'delivery.create', {
    requestId: request.requestId,
    sourceIds: [...city, ...laoshan],
    ...VEHICLE,
  });
  expect(order.sourceDepotNames).toEqual(['青岛市级救灾物资储备库', '崂山区储备库']);
  // One vehicle loading at two depots: the keeper holding both dispatches it.
  await env.call(sourceKeeper.token, 'delivery.dispatch', { deliveryId: order.deliveryId });
  // An outside unit signs on paper; the coordinator records it.
  expect(
    (
      await failsCleanly(env, sourceKeeper.token, 'delivery.deliver', {
        deliveryId: order.deliveryId,
        receiverName: '赵主任',
        receivedAt: '2026-11-30T10:30:00+08:00',
      })
    ).code,
  ).toBe('FORBIDDEN');
  const delivered = await env.call(coordinator.token, 'delivery.deliver', {
    deliveryId: order.deliveryId,
    receiverName: '赵主任',
    receivedAt: '2026-11-30T10:30:00+08:00',
  });
  expect(delivered.status).toBe('delivered');
  expect((await env.call(coordinator.token, 'allocation.get', { requestId: request.requestId })).status).toBe(
    'completed',
  );
  // Nothing entered any depot.
  expect(await levelOf(env, w.city.depotId, w.tent.materialId)).toMatchObject({ onHand: 120 });

  const cityTents = delivered.lines.find(
    (l) => l.depotId === w.city.depotId && l.materialId === w.tent.materialId,
  )!.items[0]!;
  // Still out there: the incident cannot close without a write-off reason.
  const closing = await failsCleanly(env, coordinator.token, 'incident.close', { incidentId });
  expect([closing.code, closing.fields?.[0]?.path]).toEqual(['BAD_INPUT', 'writeOffReason']);
  expect(
    (await failsCleanly(env, coordinator.token, 'delivery.close', { deliveryId: order.deliveryId })).code,
  ).toBe('CONFLICT');

  // 70 tents come back to 崂山区 (its keeper receives them), 10 are written off.
  const laoshanKeeper = await env.user('keeper', [w.laoshan.depotId]);
  const back = await env.call(laoshanKeeper.token, 'recovery.return', {
    deliveryId: order.deliveryId,
    depotId: w.laoshan.depotId,
    lines: [{ itemId: cityTents.itemId, quantity: 70 }],
    note: '安置点撤除',
  });
  expect(back.docNo).toBe('RK-20261130-0003');
  expect(back.movements[0]).toMatchObject({ type: 'receipt', quantity: 70, source: 'recovered' });
  expect(await levelOf(env, w.laoshan.depotId, w.tent.materialId)).toMatchObject({ onHand: 80 });
  const more = await failsCleanly(env, coordinator.token, 'recovery.writeOff', {
    deliveryId: order.deliveryId,
    lines: [{ itemId: cityTents.itemId, quantity: 11 }],
    reason: '损耗',
  });
  expect([more.code, more.fields?.[0]?.path]).toEqual(['BAD_INPUT', 'lines.0.quantity']);
  expect(
    (
      await failsCleanly(env, laoshanKeeper.token, 'recovery.writeOff', {
        deliveryId: order.deliveryId,
        lines: [{ itemId: cityTents.itemId, quantity: 1 }],
        reason: '损耗',
      })
    ).code,
  ).toBe('FORBIDDEN');
  const settled = await env.call(coordinator.token, 'recovery.writeOff', {
    deliveryId: order.deliveryId,
    lines: [{ itemId: cityTents.itemId, quantity: 10 }],
    reason: '安置使用中损坏',
  });
  expect(settled.lines.flatMap((l) => l.items).find((i) => i.itemId === cityTents.itemId)).toMatchObject({
    received: 80,
    returned: 70,
    writtenOff: 10,
  });

  // Closing writes off the rest (quilts used up, 崂山's tents not returned) and closes the order.
  const closed = await env.call(coordinator.token, 'incident.close', {
    incidentId,
    writeOffReason: '安置期间消耗',
  });
  expect(closed.status).toBe('closed');
  const final = await env.call(coordinator.token, 'delivery.get', { deliveryId: order.deliveryId });
  expect(final.status).toBe('closed');
  const summary = await env.call(coordinator.token, 'incident.summary', { incidentId });
  expect(summary.materials.map((m) => [m.code, m.delivered, m.returned, m.consumed])).toEqual([
    ['M0001', 120, 70, 50],
    ['M0002', 60, 0, 60],
  ]);
  expect(final.lines.flatMap((l) => l.items).every((i) => i.returned + i.writtenOff === i.received)).toBe(
    true,
  );
  const recoveries = await tableRows(env, 'recoveries');
  expect(
    recoveries
      .filter((r) => r.kind === 'written_off')
      .map((r) => Number(r.quantity))
      .sort((a, b) => a - b),
  ).toEqual([10, 30, 30, 40]);
  expect((await checkLedger(env.app.svc)).ok).toBe(true);
});

test('an incident cannot close while a request or delivery of it is open', async () => {
  const { request, city } = await approvedRequest();
  expect((await failsCleanly(env, coordinator.token, 'incident.close', { incidentId })).code).toBe(
    'CONFLICT',
  );
  const order = await env.call(coordinator.token, 'delivery.create', {
    requestId: request.requestId,
    sourceIds: city,
    ...VEHICLE,
  });
  await env.call(sourceKeeper.token, 'delivery.dispatch', { deliveryId: order.deliveryId });
  const refused = await failsCleanly(env, coordinator.token, 'incident.close', { incidentId });
  expect(refused).toMatchObject({ code: 'CONFLICT' });
});

test('overdue: planned or on the road past the planned arrival, flagged on the list and filtered', async () => {
  const { request, city, laoshan } = await approvedRequest();
  const late = await env.call(coordinator.token, 'delivery.create', {
    requestId: request.requestId,
    sourceIds: city,
    ...VEHICLE,
  });
  await env.call(coordinator.token, 'delivery.create', {
    requestId: request.requestId,
    sourceIds: laoshan,
    ...VEHICLE,
    plannedArrival: '2026-11-30T20:00:00+08:00',
  });
  await env.call(sourceKeeper.token, 'delivery.dispatch', { deliveryId: late.deliveryId });
  env.clock.set('2026-11-30T06:00:00.000Z'); // 14:00 in Qingdao: past 13:00, before 20:00
  const board = await env.call(coordinator.token, 'delivery.list', { board: true });
  expect(board.map((d) => [d.docNo, d.status, d.overdue])).toEqual([
    ['PS-20261130-0002', 'planned', false],
    ['PS-20261130-0001', 'dispatched', true],
  ]);
  expect(
    (await env.call(coordinator.token, 'delivery.list', { status: 'overdue' })).map((d) => d.docNo),
  ).toEqual(['PS-20261130-0001']);
  // The dashboard counts them (the coordinator's queue is empty: everything was decided).
  expect((await env.call(coordinator.token, 'dashboard.summary', {})).flow).toEqual({
    awaitingMe: 0,
    planned: 1,
    inTransit: 1,
    overdue: 1,
  });
  expect(
    (await env.call(coordinator.token, 'dashboard.summary', { depotIds: [w.laoshan.depotId] })).flow,
  ).toMatchObject({ planned: 1, inTransit: 0, overdue: 0 });
  expect(
    (await env.call(coordinator.token, 'delivery.list', { incidentId, depotId: w.laoshan.depotId })).map(
      (d) => d.docNo,
    ),
  ).toEqual(['PS-20261130-0002']);
  // A keeper sees the orders loading at or bound for their depots only.
  const receiving = await env.user('keeper', [w.shinan.depotId]);
  expect((await env.call(receiving.token, 'delivery.list', {})).length).toBe(2);
  const elsewhere = await env.user('keeper', [w.laoshan.depotId]);
  expect((await env.call(elsewhere.token, 'delivery.list', {})).map((d) => d.docNo)).toEqual([
    'PS-20261130-0002',
  ]);
  expect((await env.fail(elsewhere.token, 'delivery.get', { deliveryId: late.deliveryId })).code).toBe(
    'NOT_FOUND',
  );
});

test('ledger check sees a reservation that outlived its dispatch', async () => {
  const { request, city } = await approvedRequest();
  const order = await env.call(coordinator.token, 'delivery.create', {
    requestId: request.requestId,
    sourceIds: city,
    ...VEHICLE,
  });
  await env.call(sourceKeeper.token, 'delivery.dispatch', { deliveryId: order.deliveryId });
  const source = request.lines[0]!.sources[0]!;
  const reservationId = (await tableRows(env, 'allocation_sources')).find(
    (s) => s.sourceId === source.sourceId,
  )!.reservationId as number;
  await env.app.db
    .updateTable('reservations')
    .set({ status: 'active', closedAt: null })
    .where('reservationId', '=', reservationId)
    .execute();
  expect(await checkLedger(env.app.svc)).toMatchObject({ ok: false, unreserved: 1 });
});

test('whoever issued the goods takes them back: not a keeper of an unrelated depot, not into a depot outside the jurisdiction', async () => {
  const { request, city } = await approvedRequest('outside');
  const order = await env.call(coordinator.token, 'delivery.create', {
    requestId: request.requestId,
    sourceIds: city,
    ...VEHICLE,
  });
  await env.call(sourceKeeper.token, 'delivery.dispatch', { deliveryId: order.deliveryId });
  const delivered = await env.call(coordinator.token, 'delivery.deliver', {
    deliveryId: order.deliveryId,
    receiverName: '赵主任',
    receivedAt: '2026-11-30T10:30:00+08:00',
  });
  const item = delivered.lines[0]!.items[0]!;
  // 市南区's keeper had nothing to do with this order.
  const stranger = await failsCleanly(env, shinanKeeper.token, 'recovery.return', {
    deliveryId: order.deliveryId,
    depotId: w.shinan.depotId,
    lines: [{ itemId: item.itemId, quantity: 1 }],
  });
  expect(stranger.code).toBe('FORBIDDEN');
  // A district coordinator of this request? It is the city's: a 崂山区 coordinator may not touch it at all.
  const district = await env.user('coordinator');
  await env.app.db
    .updateTable('users')
    .set({ jurisdictionDepotId: w.laoshan.depotId })
    .where('userId', '=', district.userId)
    .execute();
  expect(
    (
      await failsCleanly(env, district.token, 'recovery.return', {
        deliveryId: order.deliveryId,
        depotId: w.laoshan.depotId,
        lines: [{ itemId: item.itemId, quantity: 1 }],
      })
    ).code,
  ).toBe('FORBIDDEN');
  // The city depot's keeper (it issued them) takes some back into it.
  const back = await env.call(sourceKeeper.token, 'recovery.return', {
    deliveryId: order.deliveryId,
    depotId: w.city.depotId,
    lines: [{ itemId: item.itemId, quantity: 5 }],
  });
  expect(back.movements[0]).toMatchObject({ quantity: 5, lotNo: item.lotNo, source: 'recovered' });
});

test('an incident that has ended takes no more requests: a draft filed before cannot be submitted after', async () => {
  const draft = await env.call(coordinator.token, 'allocation.create', {
    incidentId,
    requesterDepotId: w.shinan.depotId,
    urgency: 'normal',
    deliverToDepotId: w.shinan.depotId,
    neededBy: '2026-11-30T14:00:00+08:00',
    lines: [{ materialId: w.tent.materialId, quantity: 5 }],
  });
  await env.call(coordinator.token, 'incident.close', { incidentId });
  const refused = await failsCleanly(env, coordinator.token, 'allocation.submit', {
    requestId: draft.requestId,
  });
  expect(refused.code).toBe('CONFLICT');
});

test('dispatch takes no expired lot on its own: refused, the reservation still held', async () => {
  await env.call(sourceKeeper.token, 'stock.receive', {
    depotId: w.laoshan.depotId,
    source: 'procurement',
    lines: [{ materialId: w.quilt.materialId, quantity: 10, lotNo: 'Q-OLD', expiresOn: '2026-11-29' }],
  });
  const request = await env.call(coordinator.token, 'allocation.create', {
    requesterDepotId: w.shinan.depotId,
    urgency: 'urgent',
    deliverToDepotId: w.shinan.depotId,
    neededBy: '2026-11-30T14:00:00+08:00',
    lines: [{ materialId: w.quilt.materialId, quantity: 10 }],
    submit: true,
  });
  const approved = await env.call(coordinator.token, 'allocation.approve', {
    requestId: request.requestId,
    lines: [{ lineId: request.lines[0]!.lineId, sources: [{ depotId: w.laoshan.depotId, quantity: 10 }] }],
  });
  const order = await env.call(coordinator.token, 'delivery.create', {
    requestId: request.requestId,
    sourceIds: approved.lines[0]!.sources.map((s) => s.sourceId),
    ...VEHICLE,
  });
  const refused = await failsCleanly(env, sourceKeeper.token, 'delivery.dispatch', {
    deliveryId: order.deliveryId,
  });
  expect(refused.code).toBe('INSUFFICIENT_STOCK');
  expect(refused.message).toBe('「棉被」在「崂山区储备库」可用库存不足：需要 10，可用 0');
  expect(refused.fields?.[0]?.path).toBe('lines.0.quantity');
  expect(await levelOf(env, w.laoshan.depotId, w.quilt.materialId)).toMatchObject({
    onHand: 10,
    reserved: 10,
  });
});

test('a lot number the destination already holds with other dates arrives marked with the order; a lot may arrive as 0', async () => {
  // 市南区 has its own lot numbered Q-EARLY, made on another day.
  await env.call(shinanKeeper.token, 'stock.receive', {
    depotId: w.shinan.depotId,
    source: 'procurement',
    lines: [{ materialId: w.quilt.materialId, quantity: 5, lotNo: 'Q-EARLY', producedOn: '2024-03-01' }],
  });
  const { request, city } = await approvedRequest();
  const order = await env.call(coordinator.token, 'delivery.create', {
    requestId: request.requestId,
    sourceIds: city,
    ...VEHICLE,
  });
  const sent = await env.call(sourceKeeper.token, 'delivery.dispatch', { deliveryId: order.deliveryId });
  env.clock.advanceMinutes(120);
  const late = sent.lines.find((l) => l.materialId === w.quilt.materialId)!.items[1]!;
  await env.call(shinanKeeper.token, 'delivery.deliver', {
    deliveryId: order.deliveryId,
    receiverName: '市南区保管员',
    receivedAt: env.clock.now().toISOString(),
    items: [{ itemId: late.itemId, received: 0, shortfallKind: 'missing', reason: '整批未装车' }],
  });
  const lots = (await tableRows(env, 'batches')).filter(
    (b) => b.depotId === w.shinan.depotId && b.materialId === w.quilt.materialId,
  );
  expect(lots.map((b) => [b.lotNo, b.producedOn]).sort()).toEqual([
    ['Q-EARLY', '2024-03-01'],
    ['Q-EARLY·PS-20261130-0001', '2025-01-01'],
  ]);
  expect(await levelOf(env, w.shinan.depotId, w.quilt.materialId)).toMatchObject({ onHand: 35 });
  expect((await checkLedger(env.app.svc)).ok).toBe(true);
});
