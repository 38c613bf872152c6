/**
 * The renderer inside the desktop shell, minus Electron (whose binary cannot run here): the page
 * gets a `window.bridge` whose three calls reach the shell's own main-side code in this process
 * (dispatch, transfers.ts saveExportFile, the app's uploads) through Playwright bindings instead
 * of IPC, after the same sanitising (security.ts). The 导出 button saves through the save
 * dialog's choice, the import wizard uploads over the bridge, and the page never calls /rpc,
 * /upload or /download.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { toRpcRequest, toSaveExportRequest, toUploadRequest } from '../../src/main/electron/security';
import { saveExportFile } from '../../src/main/electron/transfers';
import type { RpcResponse } from '../../src/shared/rpc';
import { expect, test } from './fixtures';
import { clickMenuLink } from './pages/antdHelpers';

test('in the desktop shell, exports are saved where the dialog says and imports upload over the bridge', async ({
  page,
  demoServer,
  signIn,
}) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'relief-depot-e2e-desktop-'));
  const core = demoServer.app;
  const refused: RpcResponse = { ok: false, error: { code: 'BAD_INPUT', message: 'bad request' } };
  const suggested: string[] = [];
  await page.exposeFunction('__desktopRpc', (raw: unknown) => {
    const request = toRpcRequest(raw);
    return request ? core.dispatch(request, 'desktop') : refused;
  });
  await page.exposeFunction('__desktopSave', (raw: unknown) => {
    const request = toSaveExportRequest(raw);
    return request
      ? saveExportFile(core.exports, request, async (name) => {
          suggested.push(name);
          return path.join(dir, name);
        })
      : refused;
  });
  // Bindings carry JSON: the bytes cross as base64 here, as a structured clone over IPC.
  let uploads = 0;
  await page.exposeFunction('__desktopUpload', (raw: { bytes: string } & Record<string, unknown>) => {
    uploads += 1;
    const request = toUploadRequest({ ...raw, bytes: Buffer.from(raw.bytes, 'base64') });
    return request
      ? core.upload(request.token, request.fileName, request.bytes, request.locale ?? '')
      : refused;
  });
  await page.addInitScript(() => {
    const w = window as unknown as Record<string, (r: unknown) => Promise<RpcResponse>>;
    const base64 = (bytes: ArrayBuffer) => {
      let text = '';
      for (const b of new Uint8Array(bytes)) text += String.fromCharCode(b);
      return btoa(text);
    };
    Object.defineProperty(window, 'bridge', {
      value: Object.freeze({
        rpc: (r: unknown) => w.__desktopRpc!(r),
        saveExport: (r: unknown) => w.__desktopSave!(r),
        upload: (r: { bytes: ArrayBuffer }) => w.__desktopUpload!({ ...r, bytes: base64(r.bytes) }),
      }),
    });
  });
  const overHttp: string[] = [];
  page.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (/^\/(rpc|upload|download)/.test(pathname)) overHttp.push(pathname);
  });

  try {
    await signIn('keeper');
    await clickMenuLink(page, '库存');
    await page.getByTestId('export-button').first().click();
    await expect(page.getByText(/已导出 [\d,]+ 行：库存台账-\d{8}\.xlsx/)).toBeVisible();
    expect(suggested).toHaveLength(1);
    const saved = path.join(dir, suggested[0]!);
    expect(existsSync(saved)).toBe(true);
    expect(XLSX.readFile(saved).SheetNames).toEqual(['库存台账', '批次明细', '说明']);

    const file = path.join(dir, '期初.xlsx');
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(
      wb,
      XLSX.utils.aoa_to_sheet([
        ['品名', '单位', '数量'],
        ['棉被', '床', 40],
      ]),
      '期初',
    );
    XLSX.writeFile(wb, file);
    await clickMenuLink(page, '导入');
    await page.getByLabel('导入到储备库').click();
    await page.keyboard.press('Enter');
    // Too big: refused before a byte crosses the bridge.
    await page.locator('input[type=file]').setInputFiles({
      name: '大.xlsx',
      mimeType: 'application/octet-stream',
      buffer: Buffer.alloc(20 * 1024 * 1024 + 1),
    });
    await page.getByRole('button', { name: '下一步' }).click();
    await expect(page.getByTestId('import-error')).toHaveText('文件超过 20 MB：请拆分后再导入');
    expect(uploads).toBe(0);

    await page.locator('input[type=file]').setInputFiles(file);
    await page.getByRole('button', { name: '下一步' }).click();
    await expect(page.getByText('表头在第 1 行')).toBeVisible();
    expect(uploads).toBe(1);
    expect(overHttp).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
