/**
 * The shell's IPC channels (channels.ts). Each answers only frames showing the app itself
 * (app://relief-depot) and takes a sanitised request (security.ts):
 * - 'rpc' passes the envelope to the same dispatch the HTTP transport uses;
 * - 'export.save' saves a finished export where the user picks in the save dialog (transfers.ts);
 * - 'import.upload' hands a chosen file's bytes to the same upload store `POST /upload` fills.
 * Every answer is the JSON-safe RPC envelope.
 */
import path from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  type IpcMainInvokeEvent,
  type SaveDialogOptions,
} from 'electron';
import { resolveLocale, t, type Locale } from '../../shared/i18n';
import type { RpcResponse } from '../../shared/rpc';
import type { App } from '../app';
import { RPC_CHANNEL, SAVE_EXPORT_CHANNEL, UPLOAD_CHANNEL } from './channels';
import { isAppUrl, toRpcRequest, toSaveExportRequest, toUploadRequest } from './security';
import { saveExportFile } from './transfers';

export function handleIpc(core: Pick<App, 'dispatch' | 'exports' | 'upload'>): void {
  answer(RPC_CHANNEL, toRpcRequest, (request) => core.dispatch(request, 'desktop'));
  answer(SAVE_EXPORT_CHANNEL, toSaveExportRequest, (request, event, locale) =>
    saveExportFile(core.exports, request, (name) => chooseSaveTarget(event, name, locale)),
  );
  answer(UPLOAD_CHANNEL, toUploadRequest, (request, _event, locale) =>
    core.upload(request.token, request.fileName, request.bytes, locale),
  );
}

function answer<R extends { locale?: string }>(
  channel: string,
  parse: (raw: unknown) => R | null,
  handle: (request: R, event: IpcMainInvokeEvent, locale: Locale) => Promise<RpcResponse>,
): void {
  ipcMain.handle(channel, async (event, raw: unknown): Promise<RpcResponse> => {
    const request = parse(raw);
    const locale = resolveLocale(request?.locale);
    const frameUrl = event.senderFrame?.url;
    if (!isAppUrl(frameUrl)) {
      console.error(`ipc: refused a call on ${channel} from ${frameUrl ?? 'a destroyed frame'}`);
      return { ok: false, error: { code: 'FORBIDDEN', message: t(locale, 'error.FORBIDDEN') } };
    }
    if (!request) return { ok: false, error: { code: 'BAD_INPUT', message: t(locale, 'rpc.badJson') } };
    return handle(request, event, locale);
  });
}

/** Where Documents is; some Linux desktops have none, and home is the next best start. */
function documentsFolder(): string {
  try {
    return app.getPath('documents');
  } catch {
    return app.getPath('home');
  }
}

/** The save dialog, over the window that asked, starting in Documents with the export's name (or where it was told). */
async function chooseSaveTarget(
  event: IpcMainInvokeEvent,
  suggested: string,
  locale: Locale,
): Promise<string | null> {
  const options: SaveDialogOptions = {
    title: t(locale, 'export.saveTitle'),
    defaultPath: path.isAbsolute(suggested) ? suggested : path.join(documentsFolder(), suggested),
    filters: [{ name: 'Excel', extensions: ['xlsx'] }],
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  };
  const window = BrowserWindow.fromWebContents(event.sender);
  const { canceled, filePath } = window
    ? await dialog.showSaveDialog(window, options)
    : await dialog.showSaveDialog(options);
  return canceled || !filePath ? null : filePath;
}
