/**
 * The preload (sandboxed, context-isolated): exposes exactly the DesktopBridge to the page
 * (window.bridge: rpc, saveExport, upload), each over ipcRenderer.invoke on its own channel.
 * Nothing else of Electron or Node reaches the renderer. Bundled alone into out/main/preload.cjs;
 * it may require only 'electron' (scripts/build-main.mjs checks).
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { DesktopBridge } from '../../shared/bridge';
import type { RpcResponse } from '../../shared/rpc';
import { RPC_CHANNEL, SAVE_EXPORT_CHANNEL, UPLOAD_CHANNEL } from './channels';

const invoke = (channel: string, request: unknown) =>
  ipcRenderer.invoke(channel, request) as Promise<RpcResponse>;

const bridge: DesktopBridge = {
  rpc: (request) => invoke(RPC_CHANNEL, request),
  saveExport: (request) => invoke(SAVE_EXPORT_CHANNEL, request),
  upload: (request) => invoke(UPLOAD_CHANNEL, request),
};

contextBridge.exposeInMainWorld('bridge', Object.freeze(bridge));
