/**
 * Allocation requests and tiered approval (issue 9, §2–3), on both stores: a town's request goes
 * to its district's coordinators, who approve from their own depots and forward the rest to the
 * city; approval reserves, cancellation releases; every refusal names its field and changes nothing.
 */
import { checkLedger } from '../../src/main/services/ledger-check.service';
import { createTestEnv, createWorld, failsCleanly, levelOf, type TestEnv } from './harness';

let env: TestEnv;
let w: Awaited<ReturnType<typeof createWorld>>;
/** A town under 市南区, its keeper, the city's coordinator and 市南区's. */
let town: { depotId: number };
let townKeeper: { token: string; userId: number };
let cityCoordinator: { token: string; userId: number };
let districtCoordinator: { token: string; userId: number };

beforeEach(async () => {
  env = await createTestEnv();
  w = await createWorld(env);
  town = await env.call(w.admin.token, 'depot.create', {
    code: 'QD-SN-BJ',
    name: '八大湖街道储备点',
    level: 'town',
    parentId: w.shinan.depotId,
  });
  townKeeper = await env.user('keeper', [town.depotId]);
  cityCoordinator = await env.user('coordinator');
  districtCoordinator = await env.user('coordinator');
  await env.app.db
    .updateTable('users')
    .set({ jurisdictionDepotId: w.shinan.depotId })
    .where('userId', '=', districtCoordinator.userId)
    .execute();
  const keeper = await env.user('keeper', [w.city.depotId, w.shinan.depotId, w.laoshan.depotId]);
  for (const [depotId, quantity] of [
    [w.city.depotId, 500],
    [w.shinan.depotId, 100],
    [w.laoshan.depotId, 80],
  ] as const)
    await env.call(keeper.token, 'stock.receive', {
      depotId,
      source: 'procurement',
      lines: [{ materialId: w.tent.materialId, quantity, lotNo: `T-${depotId}` }],
    });
});
afterEach(() => env.close());

const NEEDED_BY = '2026-11-30T10:00:00.000Z';

function townRequest(quantity = 150) {
  return env.call(townKeeper.token, 'allocation.create', {
    requesterDepotId: town.depotId,
    urgency: 'extra_urgent',
    deliverToDepotId: town.depotId,
    neededBy: NEEDED_BY,
    lines: [{ materialId: w.tent.materialId, quantity, purpose: '台风临时安置' }],
    submit: true,
  });
}

test("a town's request: its district approves what it holds and forwards the rest, which the city approves; stock is reserved", async () => {
  const request = await townRequest();
  expect(request).toMatchObject({
    docNo: 'DB-20261130-0001',
    status: 'submitted',
    approverDepotId: w.shinan.depotId,
    requesterName: '八大湖街道储备点',
  });
  // Not the city's to decide, and it is in the district coordinator's queue.
  expect(
    (await env.fail(cityCoordinator.token, 'allocation.approve', { requestId: request.requestId, lines: [] }))
      .code,
  ).toBe('FORBIDDEN');
  const queue = await env.call(districtCoordinator.token, 'allocation.list', { awaitingMe: true });
  expect(queue.map((r) => r.docNo)).toEqual(['DB-20261130-0001']);

  const [proposal] = await env.call(districtCoordinator.token, 'allocation.suggestSources', {
    requestId: request.requestId,
  });
  // Only 市南区 is in the district's jurisdiction: its 100, and 50 left to find.
  expect(proposal!.depots.map((d) => [d.depotName, d.available, d.proposed])).toEqual([
    ['市南区储备库', 100, 100],
  ]);
  expect(proposal!.remaining).toBe(50);

  const line = request.lines[0]!;
  const decided = await env.call(districtCoordinator.token, 'allocation.approve', {
    requestId: request.requestId,
    lines: [{ lineId: line.lineId, sources: [{ depotId: w.shinan.depotId, quantity: 100 }] }],
    comment: '区库先行调拨 100 顶，余数上报',
    forwardRemainder: true,
  });
  expect(decided).toMatchObject({ status: 'partly_approved', forwardedToId: expect.any(Number) });
  expect(decided.lines[0]).toMatchObject({ requested: 150, approved: 100 });
  expect(decided.events.map((e) => e.toStatus)).toEqual(['draft', 'submitted', 'partly_approved']);
  expect(await levelOf(env, w.shinan.depotId, w.tent.materialId)).toMatchObject({
    onHand: 100,
    reserved: 100,
  });

  const forwarded = await env.call(cityCoordinator.token, 'allocation.get', {
    requestId: decided.forwardedToId!,
  });
  expect(forwarded).toMatchObject({
    docNo: 'DB-20261130-0002',
    status: 'submitted',
    approverDepotId: null,
    forwardedFromId: request.requestId,
    lines: [expect.objectContaining({ requested: 50 })],
  });
  const [cityProposal] = await env.call(cityCoordinator.token, 'allocation.suggestSources', {
    requestId: forwarded.requestId,
  });
  // The requester's district first (nothing left there), then the city depot, then other districts.
  expect(cityProposal!.depots.map((d) => [d.depotName, d.available, d.proposed])).toEqual([
    ['市南区储备库', 0, 0],
    ['青岛市级救灾物资储备库', 500, 50],
    ['崂山区储备库', 80, 0],
  ]);
  const approved = await env.call(cityCoordinator.token, 'allocation.approve', {
    requestId: forwarded.requestId,
    lines: [{ lineId: forwarded.lines[0]!.lineId, sources: [{ depotId: w.city.depotId, quantity: 50 }] }],
  });
  expect(approved.status).toBe('approved');
  expect(await levelOf(env, w.city.depotId, w.tent.materialId)).toMatchObject({ onHand: 500, reserved: 50 });
  // Reserved stock is not available to an issue; the ledger check agrees with the reservations.
  const keeper = await env.user('keeper', [w.shinan.depotId]);
  expect(
    (
      await env.fail(keeper.token, 'stock.issue', {
        depotId: w.shinan.depotId,
        recipient: '某单位',
        lines: [{ materialId: w.tent.materialId, quantity: 1 }],
      })
    ).code,
  ).toBe('INSUFFICIENT_STOCK');
  expect((await checkLedger(env.app.store)).ok).toBe(true);
});

test('cancelling an approved request releases its reservations; it cannot be approved or cancelled again', async () => {
  const request = await townRequest(60);
  await env.call(districtCoordinator.token, 'allocation.approve', {
    requestId: request.requestId,
    lines: [{ lineId: request.lines[0]!.lineId, sources: [{ depotId: w.shinan.depotId, quantity: 60 }] }],
  });
  expect(await levelOf(env, w.shinan.depotId, w.tent.materialId)).toMatchObject({ reserved: 60 });
  const cancelled = await env.call(townKeeper.token, 'allocation.cancel', {
    requestId: request.requestId,
    comment: '灾情解除',
  });
  expect(cancelled.status).toBe('cancelled');
  expect(await levelOf(env, w.shinan.depotId, w.tent.materialId)).toMatchObject({ onHand: 100, reserved: 0 });
  for (const [procedure, input] of [
    ['allocation.cancel', { requestId: request.requestId }],
    ['allocation.approve', { requestId: request.requestId, lines: [] }],
  ] as const) {
    const error = await failsCleanly(env, districtCoordinator.token, procedure, input);
    expect(error).toEqual({
      code: 'CONFLICT',
      message: `调拨申请 ${request.docNo} 当前为「已取消」，不能变为「${procedure === 'allocation.cancel' ? '已取消' : '已批准'}」`,
    });
  }
  expect((await checkLedger(env.app.store)).ok).toBe(true);
});

test('each bad approval is refused naming the field, and changes nothing', async () => {
  const request = await townRequest(90);
  const lineId = request.lines[0]!.lineId;
  await env.call(w.admin.token, 'quota.set', {
    depotId: w.shinan.depotId,
    materialId: w.tent.materialId,
    quantity: 30,
  });
  const approve = (sources: { depotId: number; quantity: number; overrideReason?: string }[]) =>
    failsCleanly(env, districtCoordinator.token, 'allocation.approve', {
      requestId: request.requestId,
      lines: [{ lineId, sources }],
    });
  expect(await approve([{ depotId: w.shinan.depotId, quantity: 91 }])).toMatchObject({
    code: 'BAD_INPUT',
    fields: [
      expect.objectContaining({ path: 'lines.0.sources', message: '批准数量合计 91 超过申请数量 90' }),
    ],
  });
  expect(await approve([{ depotId: w.laoshan.depotId, quantity: 10 }])).toMatchObject({
    code: 'FORBIDDEN',
    fields: [expect.objectContaining({ path: 'lines.0.sources.0.depotId' })],
  });
  expect(await approve([{ depotId: w.shinan.depotId, quantity: 80 }])).toMatchObject({
    code: 'BAD_INPUT',
    fields: [
      expect.objectContaining({
        path: 'lines.0.sources.0.overrideReason',
        message: '市南区储备库 调出后可用量将为 20，低于储备定额 30：请填写突破定额的理由',
      }),
    ],
  });
  expect(await approve([{ depotId: town.depotId, quantity: 1 }])).toMatchObject({
    code: 'BAD_INPUT',
    fields: [expect.objectContaining({ path: 'lines.0.sources.0.depotId' })],
  });
  expect(await approve([])).toMatchObject({
    code: 'BAD_INPUT',
    fields: [expect.objectContaining({ path: 'lines' })],
  });
  // With a recorded reason the quota may be broken (what is available still bounds it: see the race).
  const ok = await env.call(districtCoordinator.token, 'allocation.approve', {
    requestId: request.requestId,
    lines: [{ lineId, sources: [{ depotId: w.shinan.depotId, quantity: 80, overrideReason: '台风特急' }] }],
  });
  expect(ok.lines[0]!.sources).toEqual([
    {
      sourceId: expect.any(Number),
      depotId: w.shinan.depotId,
      depotName: '市南区储备库',
      quantity: 80,
      overrideReason: '台风特急',
      reservation: 'active',
      deliveryId: null,
      deliveryDocNo: null,
    },
  ]);
});

test('a keeper files only for their own depot; an outside unit needs a coordinator or staff, with a valid phone', async () => {
  const base = {
    urgency: 'urgent' as const,
    neededBy: NEEDED_BY,
    lines: [{ materialId: w.tent.materialId, quantity: 5 }],
  };
  expect(
    (
      await failsCleanly(env, townKeeper.token, 'allocation.create', {
        ...base,
        requesterDepotId: w.city.depotId,
        deliverToDepotId: town.depotId,
      })
    ).code,
  ).toBe('FORBIDDEN');
  const unit = { name: '市南区应急指挥部', contact: '王主任', phone: '0532-8888666' };
  expect(
    await failsCleanly(env, cityCoordinator.token, 'allocation.create', {
      ...base,
      requesterUnit: { ...unit, phone: '12345' },
      deliverTo: { address: '香港中路 1 号', contact: '王主任', phone: '13812345678' },
    }),
  ).toMatchObject({ code: 'BAD_INPUT', fields: [expect.objectContaining({ path: 'requesterUnit.phone' })] });
  const outside = await env.call(cityCoordinator.token, 'allocation.create', {
    ...base,
    requesterUnit: unit,
    deliverTo: { address: '香港中路 1 号', contact: '王主任', phone: '13812345678' },
  });
  // An outside unit's request is the city's to decide.
  expect(outside).toMatchObject({
    status: 'draft',
    approverDepotId: null,
    requesterName: '市南区应急指挥部',
  });
});

test('two approvals racing for the same stock: one wins, the other is told what is left', async () => {
  const [a, b] = [await townRequest(70), await townRequest(70)];
  const approve = (request: typeof a) =>
    env.raw({
      procedure: 'allocation.approve',
      token: districtCoordinator.token,
      input: {
        requestId: request.requestId,
        lines: [
          {
            lineId: request.lines[0]!.lineId,
            sources: [{ depotId: w.shinan.depotId, quantity: 70, overrideReason: '演练' }],
          },
        ],
      },
    });
  const results = await Promise.all([approve(a), approve(b)]);
  expect(results.filter((r) => r.ok)).toHaveLength(1);
  const lost = results.find((r) => !r.ok)!;
  expect(lost).toMatchObject({ ok: false, error: { code: 'INSUFFICIENT_STOCK' } });
  expect(!lost.ok && lost.error.message).toContain('可用 30');
  expect(await levelOf(env, w.shinan.depotId, w.tent.materialId)).toMatchObject({
    onHand: 100,
    reserved: 70,
  });
});

test('an incident names its area and closes; a closed incident takes no new request; only the filer withdraws', async () => {
  const incident = await env.call(cityCoordinator.token, 'incident.create', {
    type: 'typhoon',
    name: '台风“海葵”',
    responseLevel: 2,
    startedAt: '2026-11-29T20:00:00+08:00',
    areaDepotIds: [w.shinan.depotId, town.depotId],
  });
  expect(incident).toMatchObject({ status: 'active', startedAt: '2026-11-29T12:00:00.000Z' });
  expect(incident.areaDepotIds).toEqual([w.shinan.depotId, town.depotId].sort((a, b) => a - b));
  const request = await env.call(townKeeper.token, 'allocation.create', {
    incidentId: incident.incidentId,
    requesterDepotId: town.depotId,
    urgency: 'urgent',
    deliverToDepotId: town.depotId,
    neededBy: NEEDED_BY,
    lines: [{ materialId: w.tent.materialId, quantity: 5 }],
  });
  expect(request).toMatchObject({ status: 'draft', incidentName: '台风“海葵”' });
  const staff = await env.user('staff');
  expect(
    (await failsCleanly(env, staff.token, 'allocation.cancel', { requestId: request.requestId })).code,
  ).toBe('FORBIDDEN');
  expect(
    (await env.call(cityCoordinator.token, 'allocation.list', { incidentId: incident.incidentId })).map(
      (r) => r.docNo,
    ),
  ).toEqual([request.docNo]);
  await env.call(cityCoordinator.token, 'incident.close', {
    incidentId: incident.incidentId,
    note: '响应结束',
  });
  const refused = await failsCleanly(env, townKeeper.token, 'allocation.create', {
    incidentId: incident.incidentId,
    requesterDepotId: town.depotId,
    urgency: 'urgent',
    deliverToDepotId: town.depotId,
    neededBy: NEEDED_BY,
    lines: [{ materialId: w.tent.materialId, quantity: 5 }],
  });
  expect(refused).toMatchObject({
    code: 'CONFLICT',
    fields: [expect.objectContaining({ path: 'incidentId' })],
  });
  expect(
    (
      await env.fail(townKeeper.token, 'incident.create', {
        type: 'flood',
        name: 'x',
        responseLevel: 1,
        startedAt: NEEDED_BY,
      })
    ).code,
  ).toBe('FORBIDDEN');
});

test('review findings: shortage before quota, keepers see only their requests, the queue keeps the oldest, real dates, parents wait for their forwarded remainder', async () => {
  // More than is there, with no override given: the shortage is what is said.
  const big = await townRequest(150);
  const short = await failsCleanly(env, districtCoordinator.token, 'allocation.approve', {
    requestId: big.requestId,
    lines: [{ lineId: big.lines[0]!.lineId, sources: [{ depotId: w.shinan.depotId, quantity: 150 }] }],
  });
  expect(short).toMatchObject({
    code: 'INSUFFICIENT_STOCK',
    fields: [expect.objectContaining({ path: 'lines.0.sources.0.quantity' })],
  });
  // A keeper of another district's depot does not see this town's request.
  const other = await env.user('keeper', [w.laoshan.depotId]);
  expect((await env.fail(other.token, 'allocation.get', { requestId: big.requestId })).code).toBe(
    'NOT_FOUND',
  );
  expect((await env.call(townKeeper.token, 'allocation.get', { requestId: big.requestId })).docNo).toBe(
    big.docNo,
  );
  // The queue is most urgent first, then oldest, before the limit.
  const later = await env.call(townKeeper.token, 'allocation.create', {
    requesterDepotId: town.depotId,
    urgency: 'normal',
    deliverToDepotId: town.depotId,
    neededBy: NEEDED_BY,
    lines: [{ materialId: w.tent.materialId, quantity: 1 }],
    submit: true,
  });
  const newest = await townRequest(1);
  expect(
    (await env.call(districtCoordinator.token, 'allocation.list', { awaitingMe: true, limit: 2 })).map(
      (r) => r.docNo,
    ),
  ).toEqual([big.docNo, newest.docNo]);
  expect(later.status).toBe('submitted');
  // 31 February is not a day.
  expect(
    (
      await failsCleanly(env, townKeeper.token, 'allocation.create', {
        requesterDepotId: town.depotId,
        urgency: 'normal',
        deliverToDepotId: town.depotId,
        neededBy: '2026-02-31T10:00:00Z',
        lines: [{ materialId: w.tent.materialId, quantity: 1 }],
      })
    ).fields,
  ).toEqual([expect.objectContaining({ path: 'neededBy' })]);
  // Forwarded whole: the parent says so; it cannot be cancelled while the city's request is open,
  // and the requester (its filer) may withdraw the forwarded one.
  const forwarded = await env.call(districtCoordinator.token, 'allocation.forward', {
    requestId: big.requestId,
    comment: '区库不足，整单上报',
  });
  expect(forwarded).toMatchObject({ status: 'forwarded', forwardedToId: expect.any(Number) });
  expect(
    (await failsCleanly(env, townKeeper.token, 'allocation.cancel', { requestId: big.requestId })).code,
  ).toBe('CONFLICT');
  expect(
    (await env.call(townKeeper.token, 'allocation.cancel', { requestId: forwarded.forwardedToId! })).status,
  ).toBe('cancelled');
  expect((await env.call(townKeeper.token, 'allocation.cancel', { requestId: big.requestId })).status).toBe(
    'cancelled',
  );
  expect(
    (await failsCleanly(env, districtCoordinator.token, 'allocation.forward', { requestId: big.requestId }))
      .message,
  ).toBe(`调拨申请 ${big.docNo} 当前为「已取消」，只有已提交的申请可以上报`);
});

test('the filer changes a draft (lines replaced); once submitted it can no longer be changed', async () => {
  const draft = await env.call(townKeeper.token, 'allocation.create', {
    requesterDepotId: town.depotId,
    urgency: 'normal',
    deliverToDepotId: town.depotId,
    neededBy: NEEDED_BY,
    lines: [{ materialId: w.tent.materialId, quantity: 5 }],
  });
  const changed = await env.call(townKeeper.token, 'allocation.update', {
    requestId: draft.requestId,
    urgency: 'extra_urgent',
    lines: [
      { materialId: w.quilt.materialId, quantity: 40, purpose: '安置点' },
      { materialId: w.tent.materialId, quantity: 8 },
    ],
  });
  expect(changed).toMatchObject({ urgency: 'extra_urgent', status: 'draft' });
  expect(changed.lines.map((l) => [l.lineNo, l.materialName, l.requested])).toEqual([
    [1, '棉被', 40],
    [2, '救灾专用单帐篷', 8],
  ]);
  const staff = await env.user('staff');
  expect(
    (
      await failsCleanly(env, staff.token, 'allocation.update', {
        requestId: draft.requestId,
        urgency: 'normal',
      })
    ).code,
  ).toBe('FORBIDDEN');
  await env.call(townKeeper.token, 'allocation.submit', { requestId: draft.requestId });
  expect(
    await failsCleanly(env, townKeeper.token, 'allocation.update', {
      requestId: draft.requestId,
      urgency: 'normal',
    }),
  ).toEqual({ code: 'CONFLICT', message: `调拨申请 ${draft.docNo} 当前为「已提交」，只有草稿可以修改` });
});

test('sources are proposed only for a request awaiting its decision; a closing note follows the incident note', async () => {
  const request = await townRequest(10);
  await env.call(townKeeper.token, 'allocation.cancel', { requestId: request.requestId });
  expect(
    (await env.fail(districtCoordinator.token, 'allocation.suggestSources', { requestId: request.requestId }))
      .code,
  ).toBe('CONFLICT');
  const incident = await env.call(cityCoordinator.token, 'incident.create', {
    type: 'flood',
    name: '7·20 洪涝',
    responseLevel: 3,
    startedAt: '2026-07-20T08:00:00+08:00',
    note: '崂山区山洪',
  });
  const closed = await env.call(cityCoordinator.token, 'incident.close', {
    incidentId: incident.incidentId,
    note: '响应结束',
  });
  expect(closed).toMatchObject({ status: 'closed', note: '崂山区山洪\n响应结束' });
});

test('the ledger check holds reservations to the approvals: a released one under an open approval is found', async () => {
  const request = await townRequest(20);
  await env.call(districtCoordinator.token, 'allocation.approve', {
    requestId: request.requestId,
    lines: [{ lineId: request.lines[0]!.lineId, sources: [{ depotId: w.shinan.depotId, quantity: 20 }] }],
  });
  expect(await checkLedger(env.app.store)).toMatchObject({ ok: true, unreserved: 0 });
  // Released behind the approval's back, with the depot's reserved figure put right too.
  await env.app.db.updateTable('reservations').set({ status: 'released' }).execute();
  await env.app.db.updateTable('stockLevels').set({ reserved: 0 }).execute();
  expect(await checkLedger(env.app.store)).toMatchObject({ ok: false, unreserved: 1, differences: [] });
});

test('the list filters by requester and by the caller’s level, in any state', async () => {
  const mine = await townRequest(5);
  const city = await env.call(cityCoordinator.token, 'allocation.create', {
    requesterDepotId: w.laoshan.depotId,
    urgency: 'normal',
    deliverToDepotId: w.laoshan.depotId,
    neededBy: NEEDED_BY,
    lines: [{ materialId: w.tent.materialId, quantity: 5 }],
    submit: true,
  });
  const list = (token: string, input: object) =>
    env.call(token, 'allocation.list', input).then((rows) => rows.map((r) => r.docNo));
  expect(await list(cityCoordinator.token, { requesterDepotId: town.depotId })).toEqual([mine.docNo]);
  expect(await list(districtCoordinator.token, { myJurisdiction: true })).toEqual([mine.docNo]);
  expect(await list(cityCoordinator.token, { myJurisdiction: true })).toEqual([city.docNo]);
  expect(await list(townKeeper.token, { myJurisdiction: true })).toEqual([]);
});
