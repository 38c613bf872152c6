/**
 * Exports started from the screens: a job that runs in the background, reports its rows, can be
 * cancelled, and whose file is downloaded once from the HTTP transport; another user's job is
 * as unknown as a made-up one.
 */
import { readdirSync } from 'node:fs';
import * as XLSX from 'xlsx';
import { startHttpServer, type HttpServer } from '../../src/main/rpc/http';
import type { ReportJobDto } from '../../src/shared/schemas/report';
import { jobView, MAX_RUNNING } from '../../src/main/excel/export-jobs';
import { resolveSession } from '../../src/main/services/auth.service';
import type { Actor } from '../../src/main/services/context';
import { createTestEnv, createWorld, type TestEnv } from './harness';

let env: TestEnv;
let w: Awaited<ReturnType<typeof createWorld>>;
let http: HttpServer;

beforeEach(async () => {
  env = await createTestEnv();
  w = await createWorld(env);
  http = await startHttpServer(env.app.dispatch, { downloads: env.app.exports });
  await env.call(w.keeper.token, 'stock.receive', {
    depotId: w.city.depotId,
    source: 'procurement',
    lines: [{ materialId: w.tent.materialId, quantity: 40, lotNo: 'T-1', unitPriceFen: 132000 }],
  });
});
afterEach(async () => {
  await http.close();
  await env.close();
});

async function finished(token: string, job: ReportJobDto): Promise<ReportJobDto> {
  for (let i = 0; i < 200 && job.state === 'running'; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    job = await env.call(token, 'report.job', { jobId: job.jobId });
  }
  return job;
}

test('a staff member exports the inventory: the job finishes and the file downloads with its name, in the UI’s language', async () => {
  const staff = await env.user('staff');
  const started = await env.call(staff.token, 'report.export', { report: 'inventory', lang: 'en' });
  expect(started).toMatchObject({ state: 'running', rows: 0, error: null });
  expect(started.jobId).toMatch(/^[0-9a-f]{32}$/);
  const done = await finished(staff.token, started);
  expect(done).toMatchObject({ state: 'done', rows: 2, fileName: 'Inventory ledger-20261130.xlsx' });

  const response = await fetch(`${http.url}/download/${done.jobId}`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe(
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  );
  expect(response.headers.get('content-disposition')).toContain(
    "filename*=UTF-8''Inventory%20ledger-20261130.xlsx",
  );
  const wb = XLSX.read(Buffer.from(await response.arrayBuffer()));
  expect(wb.SheetNames).toEqual(['Inventory', 'Lots', 'About']);
  const about = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets['About']!, { header: 1 });
  const { displayName } = await env.app.db
    .selectFrom('users')
    .select('displayName')
    .where('userId', '=', staff.userId)
    .executeTakeFirstOrThrow();
  expect(about[2]).toEqual(['Exported by', displayName]);
});

test('a keeper’s export of the deliveries is narrowed to their depots, as their delivery board is', async () => {
  const keeper = await env.user('keeper', [w.shinan.depotId]);
  const done = await finished(
    keeper.token,
    await env.call(keeper.token, 'report.export', { report: 'deliveries', lang: 'en' }),
  );
  expect(done.state).toBe('done');
  const wb = XLSX.read(Buffer.from(await (await fetch(`${http.url}/download/${done.jobId}`)).arrayBuffer()));
  const about = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets['About']!, { header: 1 });
  expect(about).toContainEqual([
    'Filters',
    `Keeper's scope: ${w.shinan.name} (only the requests and orders of these depots, as their screens show)`,
  ]);
});

test('another user cannot follow, cancel or guess a job; a bad filter fails the job with the reason', async () => {
  const staff = await env.user('staff');
  const other = await env.user('staff');
  const job = await env.call(staff.token, 'report.export', { report: 'movements', from: '2026-11-30' });
  for (const procedure of ['report.job', 'report.cancel'] as const)
    expect((await env.fail(other.token, procedure, { jobId: job.jobId })).code).toBe('NOT_FOUND');
  expect((await fetch(`${http.url}/download/${'0'.repeat(32)}`)).status).toBe(404);
  expect((await fetch(`${http.url}/download/not-a-job`)).status).toBe(404);
  expect((await finished(staff.token, job)).state).toBe('done');

  const failed = await finished(
    staff.token,
    await env.call(staff.token, 'report.export', {
      report: 'movements',
      from: '2026-12-02',
      to: '2026-12-01',
    }),
  );
  expect(failed).toMatchObject({ state: 'failed', error: '开始日期 2026-12-02 晚于结束日期 2026-12-01' });
  expect((await fetch(`${http.url}/download/${failed.jobId}`)).status).toBe(404);
  // Signed out: no exports at all.
  expect((await env.fail(undefined, 'report.export', { report: 'inventory' })).code).toBe('UNAUTHENTICATED');
});

test('a cancelled export stops, and leaves no file to download', async () => {
  // 2,600 movements: the writer looks at the cancel every 1,000 rows.
  for (let r = 0; r < 13; r += 1)
    await env.call(w.keeper.token, 'stock.receive', {
      depotId: w.city.depotId,
      source: 'procurement',
      lines: Array.from({ length: 200 }, (_, i) => ({
        materialId: w.jacket.materialId,
        quantity: 1,
        lotNo: `J-${r}-${i}`,
      })),
    });
  const staff = await env.user('staff');
  const job = await env.call(staff.token, 'report.export', { report: 'movements' });
  const cancelled = await env.call(staff.token, 'report.cancel', { jobId: job.jobId });
  expect(cancelled.state).toBe('cancelled');
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(await env.call(staff.token, 'report.job', { jobId: job.jobId })).toMatchObject({
    state: 'cancelled',
    error: null,
  });
  expect((await fetch(`${http.url}/download/${job.jobId}`)).status).toBe(404);
  // Nothing of it is left in the exports folder, once the writer has seen the cancel (at its next
  // thousand rows).
  const folder = (env.app.exports as unknown as { folder: string | null }).folder!;
  for (let waited = 0; readdirSync(folder).length > 0 && waited < 10_000; waited += 50)
    await new Promise((resolve) => setTimeout(resolve, 50));
  expect(readdirSync(folder)).toEqual([]);
});

test('a few exports run at once in all: the next user is told to wait a moment', async () => {
  const users: { token: string; actor: Actor }[] = [];
  for (let k = 0; k <= MAX_RUNNING; k += 1) {
    const { token } = await env.user('staff');
    users.push({ token, actor: await resolveSession(env.app.svc, token) });
  }
  // Started together (no await between): each job is running until its export ends.
  const start = (k: number) =>
    env.app.exports.start(env.app.svc, users[k]!.actor, { report: 'inventory', lang: 'zh-CN' });
  const jobs = users.slice(0, MAX_RUNNING).map((_, k) => start(k));
  expect(() => start(MAX_RUNNING)).toThrow(expect.objectContaining({ code: 'CONFLICT', key: 'export.busy' }));
  for (const [k, job] of jobs.entries())
    expect((await finished(users[k]!.token, jobView(job, String))).state).toBe('done');
  expect(start(MAX_RUNNING).state).toBe('running');
});
