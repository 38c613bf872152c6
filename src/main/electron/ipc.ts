/**
 * The one IPC channel: 'rpc'. Answers only frames showing the app itself (app://relief-depot),
 * passes a sanitised envelope to the same dispatch the HTTP transport uses, and returns its
 * JSON-safe response.
 */
import { ipcMain } from 'electron';
import { resolveLocale, t } from '../../shared/i18n';
import type { RpcRequest, RpcResponse } from '../../shared/rpc';
import { RPC_CHANNEL } from './channels';
import { isAppUrl, toRpcRequest } from './security';

export function handleRpc(dispatch: (request: RpcRequest, source: string) => Promise<RpcResponse>): void {
  ipcMain.handle(RPC_CHANNEL, async (event, raw: unknown): Promise<RpcResponse> => {
    const request = toRpcRequest(raw);
    const locale = resolveLocale(request?.locale);
    const frameUrl = event.senderFrame?.url;
    if (!isAppUrl(frameUrl)) {
      console.error(`ipc: refused an rpc call from ${frameUrl ?? 'a destroyed frame'}`);
      return { ok: false, error: { code: 'FORBIDDEN', message: t(locale, 'error.FORBIDDEN') } };
    }
    if (!request) return { ok: false, error: { code: 'BAD_INPUT', message: t(locale, 'rpc.badJson') } };
    return dispatch(request, 'desktop');
  });
}
