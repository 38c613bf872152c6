/**
 * The desktop shell's IPC, run in plain Node: 'electron' is replaced at its boundary (ipcMain
 * records the handlers, the save dialog answers what the test says the user picked), and
 * everything behind it is real: ipc.ts, the preload, transfers.ts, and the app with its store.
 * Only frames showing app://relief-depot are answered; a finished export is saved where the user
 * picked, whole or not at all; a chosen file reaches the same uploads `POST /upload` fills.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type * as IpcModule from '../../src/main/electron/ipc';
import type { DesktopBridge } from '../../src/shared/bridge';
import type { RpcResponse } from '../../src/shared/rpc';
import type { ReportJobDto } from '../../src/shared/schemas/report';
import { createTestEnv, createWorld, type TestEnv } from './harness';

type Handler = (event: unknown, raw: unknown) => Promise<RpcResponse>;
const handlers = new Map<string, Handler>();
const saveDialog = jest.fn<Promise<{ canceled: boolean; filePath?: string }>, [unknown]>();
const exposed = new Map<string, unknown>();
const invoked: [string, unknown][] = [];

jest.mock('electron', () => ({
  ipcMain: { handle: (channel: string, handler: Handler) => handlers.set(channel, handler) },
  dialog: { showSaveDialog: (options: unknown) => saveDialog(options) },
  BrowserWindow: { fromWebContents: () => null },
  app: { getPath: (name: string) => `/home/keeper/${name === 'documents' ? 'Documents' : ''}` },
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer: {
    invoke: (channel: string, request: unknown) => {
      invoked.push([channel, request]);
      return Promise.resolve({ ok: true, result: channel });
    },
  },
}));

// Loaded after the mock, as the shell loads them.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { handleIpc } = require('../../src/main/electron/ipc') as typeof IpcModule;

let env: TestEnv;
let w: Awaited<ReturnType<typeof createWorld>>;
let folder: string;
let token: string;

const APP_FRAME = { senderFrame: { url: 'app://relief-depot/index.html#/stock' }, sender: {} };

async function call(channel: string, raw: unknown, event: unknown = APP_FRAME): Promise<RpcResponse> {
  const handler = handlers.get(channel);
  if (!handler) throw new Error(`no handler on ${channel}`);
  return handler(event, raw);
}

async function rpc<T>(procedure: string, input: unknown): Promise<T> {
  const response = await call('rpc', { procedure, input, token });
  if (!response.ok) throw new Error(JSON.stringify(response.error));
  return response.result as T;
}

async function finishedExport(): Promise<ReportJobDto> {
  let job = await rpc<ReportJobDto>('report.export', { report: 'inventory' });
  for (let i = 0; i < 200 && job.state === 'running'; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    job = await rpc<ReportJobDto>('report.job', { jobId: job.jobId });
  }
  expect(job.state).toBe('done');
  return job;
}

beforeEach(async () => {
  handlers.clear();
  saveDialog.mockReset();
  env = await createTestEnv();
  w = await createWorld(env);
  handleIpc(env.app);
  folder = mkdtempSync(path.join(tmpdir(), 'relief-depot-save-'));
  token = (await env.user('keeper', [w.shinan.depotId])).token;
  await env.call(token, 'stock.receive', {
    depotId: w.shinan.depotId,
    source: 'procurement',
    lines: [{ materialId: w.tent.materialId, quantity: 40, lotNo: 'T-1', unitPriceFen: 132000 }],
  });
});
afterEach(async () => {
  await env.close();
  rmSync(folder, { recursive: true, force: true });
});

test('the shell answers exactly three channels, and none for a frame that is not the app', async () => {
  expect([...handlers.keys()].sort()).toEqual(['export.save', 'import.upload', 'rpc']);
  const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const job = await finishedExport();
  for (const url of ['https://evil.example/', 'app://evil/index.html', 'file:///tmp/x.html', undefined]) {
    const event = { senderFrame: url === undefined ? null : { url }, sender: {} };
    for (const [channel, raw] of [
      ['rpc', { procedure: 'auth.me', token }],
      ['export.save', { jobId: job.jobId }],
      ['import.upload', { token, fileName: 'a.csv', bytes: new ArrayBuffer(4) }],
    ] as const) {
      const response = await call(channel, raw, event);
      expect([channel, url, response]).toEqual([
        channel,
        url,
        { ok: false, error: { code: 'FORBIDDEN', message: expect.any(String) } },
      ]);
    }
  }
  expect(saveDialog).not.toHaveBeenCalled();
  expect(logged).toHaveBeenCalledWith('ipc: refused a call on export.save from https://evil.example/');
  logged.mockRestore();
});

test('a finished export is saved where the user picked, under the name picked, and nothing else is left there', async () => {
  const job = await finishedExport();
  const target = path.join(folder, '库存台账.xlsx');
  saveDialog.mockResolvedValue({ canceled: false, filePath: target });

  const response = await call('export.save', { jobId: job.jobId, locale: 'zh-CN' });

  expect(response).toEqual({ ok: true, result: { saved: true, fileName: '库存台账.xlsx' } });
  expect(saveDialog).toHaveBeenCalledWith(
    expect.objectContaining({
      title: '保存导出文件',
      defaultPath: path.join('/home/keeper/Documents', job.fileName),
      filters: [{ name: 'Excel', extensions: ['xlsx'] }],
    }),
  );
  const served = env.app.exports.download(job.jobId)!;
  expect(readFileSync(target).equals(readFileSync(served.file))).toBe(true);
  expect(readdirSync(folder)).toEqual(['库存台账.xlsx']);
});

test('a name typed without .xlsx gets it, and the dialog asks again before that replaces a file; a dismissed dialog saves nothing', async () => {
  const job = await finishedExport();
  for (const typed of ['stock', '台账.v2'])
    saveDialog.mockResolvedValueOnce({ canceled: false, filePath: path.join(folder, typed) });
  for (const saved of ['stock.xlsx', '台账.v2.xlsx'])
    expect(await call('export.save', { jobId: job.jobId })).toEqual({
      ok: true,
      result: { saved: true, fileName: saved },
    });

  // "stock" again: stock.xlsx exists, so the dialog opens once more on that very file.
  writeFileSync(path.join(folder, 'stock.xlsx'), 'mine');
  saveDialog.mockResolvedValueOnce({ canceled: false, filePath: path.join(folder, 'stock') });
  saveDialog.mockResolvedValueOnce({ canceled: true, filePath: '' });
  expect(await call('export.save', { jobId: job.jobId })).toEqual({ ok: true, result: { saved: false } });
  expect(saveDialog).toHaveBeenLastCalledWith(
    expect.objectContaining({ defaultPath: path.join(folder, 'stock.xlsx') }),
  );
  expect(readFileSync(path.join(folder, 'stock.xlsx'), 'utf8')).toBe('mine');
  expect(readdirSync(folder).sort()).toEqual(['stock.xlsx', '台账.v2.xlsx'].sort());
});

test('a target that cannot be written is named in the user’s language, and no partial file is left', async () => {
  const job = await finishedExport();
  // A folder that does not exist: nothing can be copied. A folder standing where the file
  // should go: the copy is written beside it, and the rename into place fails.
  const occupied = path.join(folder, 'x.xlsx');
  mkdirSync(occupied);
  writeFileSync(path.join(occupied, 'keep'), 'mine');
  for (const [target, reason] of [
    [path.join(folder, 'gone', 'x.xlsx'), 'ENOENT'],
    [occupied, 'EISDIR'],
  ] as const) {
    saveDialog.mockResolvedValueOnce({ canceled: false, filePath: target });
    const response = await call('export.save', { jobId: job.jobId, locale: 'en' });
    expect(response).toEqual({
      ok: false,
      error: expect.objectContaining({
        code: 'BAD_INPUT',
        message: `Cannot write ${target} (${reason}): check that the folder exists, that it may be written to, the free disk space, and that the file is not open in Excel or another program`,
      }),
    });
  }
  expect(readdirSync(folder)).toEqual(['x.xlsx']);
  expect(readdirSync(occupied)).toEqual(['keep']);
});

test('an unknown or malformed job id is refused before any dialog opens', async () => {
  const unknown = await call('export.save', { jobId: '0'.repeat(32), locale: 'en' });
  expect(unknown).toEqual({
    ok: false,
    error: expect.objectContaining({
      code: 'NOT_FOUND',
      message: 'No such export (it may have expired: export again)',
    }),
  });
  for (const raw of [{ jobId: '../../etc/passwd' }, { jobId: 42 }, null, 'x'])
    expect(await call('export.save', raw)).toEqual({
      ok: false,
      error: { code: 'BAD_INPUT', message: expect.any(String) },
    });
  expect(saveDialog).not.toHaveBeenCalled();
});

test('a chosen file’s bytes become an upload the import previews, for the signed-in user only', async () => {
  const csv = new TextEncoder().encode('品名,单位,数量\n棉被,床,30\n');
  const response = await call('import.upload', {
    token,
    locale: 'zh-CN',
    fileName: '期初.csv',
    bytes: csv.buffer.slice(0),
  });
  expect(response).toEqual({
    ok: true,
    result: { uploadId: expect.stringMatching(/^[0-9a-f]{32}$/), fileName: '期初.csv', bytes: csv.length },
  });
  const { uploadId } = (response as { result: { uploadId: string } }).result;
  const preview = await rpc<{ rows: { row: number; status: string; quantity: number | null }[] }>(
    'import.preview',
    { uploadId, kind: 'opening-stock', depotId: w.shinan.depotId },
  );
  expect(preview.rows).toEqual([expect.objectContaining({ row: 2, status: 'ok', quantity: 30 })]);

  // A typed array is taken as well as an ArrayBuffer; no session, no upload.
  expect(await call('import.upload', { fileName: 'a.csv', bytes: csv })).toEqual({
    ok: false,
    error: expect.objectContaining({ code: 'UNAUTHENTICATED' }),
  });
  const tooBig = await call('import.upload', {
    token,
    locale: 'en',
    fileName: 'big.xlsx',
    bytes: new ArrayBuffer(20 * 1024 * 1024 + 1),
  });
  expect(tooBig).toEqual({
    ok: false,
    error: expect.objectContaining({
      code: 'BAD_INPUT',
      message: 'The file is larger than 20 MB: split it and import the parts',
    }),
  });
  for (const raw of [
    { token, fileName: 'a.csv' },
    { token, fileName: 'a.csv', bytes: 'AAAA' },
    { token, bytes: csv },
  ])
    expect(await call('import.upload', raw)).toEqual({
      ok: false,
      error: { code: 'BAD_INPUT', message: expect.any(String) },
    });
});

test('the preload exposes exactly rpc, saveExport and upload, frozen, each on its own channel', async () => {
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('../../src/main/electron/preload');
  });
  expect([...exposed.keys()]).toEqual(['bridge']);
  const bridge = exposed.get('bridge') as DesktopBridge;
  expect(Object.isFrozen(bridge)).toBe(true);
  expect(Object.keys(bridge).sort()).toEqual(['rpc', 'saveExport', 'upload']);
  await bridge.rpc({ procedure: 'auth.me' });
  await bridge.saveExport({ jobId: 'j' });
  await bridge.upload({ fileName: 'f', bytes: new ArrayBuffer(1) });
  expect(invoked.map(([channel]) => channel)).toEqual(['rpc', 'export.save', 'import.upload']);
});
