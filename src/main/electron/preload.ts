/**
 * The preload (sandboxed, context-isolated): exposes exactly one function to the page,
 * window.bridge.rpc(request), over ipcRenderer.invoke('rpc'). Nothing else of Electron or Node
 * reaches the renderer. Bundled alone into out/main/preload.cjs; it may require only 'electron'
 * (scripts/build-main.mjs checks).
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { RpcRequest, RpcResponse } from '../../shared/rpc';
import { RPC_CHANNEL } from './channels';

const bridge = Object.freeze({
  rpc: (request: RpcRequest): Promise<RpcResponse> =>
    ipcRenderer.invoke(RPC_CHANNEL, request) as Promise<RpcResponse>,
});

contextBridge.exposeInMainWorld('bridge', bridge);
