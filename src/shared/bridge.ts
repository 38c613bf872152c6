/**
 * What the desktop shell's preload exposes to the page as `window.bridge` (preload.ts builds it,
 * the renderer's api.ts uses it). Three calls, each answering with the RPC envelope:
 * - `rpc`: every procedure, as `POST /rpc` carries it in a browser;
 * - `saveExport`: a finished export's file, saved where the user picks in the shell's own save
 *   dialog (the browser downloads `/download/<jobId>` instead);
 * - `upload`: a file chosen for import, its bytes (the browser sends them as `POST /upload`).
 * The page never names a path on disk.
 */
import type { RpcRequest, RpcResponse } from './rpc';

export interface SaveExportRequest {
  jobId: string;
  locale?: string;
}

export interface UploadRequest {
  token?: string;
  locale?: string;
  fileName: string;
  bytes: ArrayBuffer;
}

export interface DesktopBridge {
  rpc(request: RpcRequest): Promise<RpcResponse>;
  /** Result `{ saved: true, fileName }` (the name picked, not its folder) or `{ saved: false }` when the dialog was dismissed. */
  saveExport(request: SaveExportRequest): Promise<RpcResponse>;
  /** Result `{ uploadId, fileName, bytes }`, as `POST /upload` answers. */
  upload(request: UploadRequest): Promise<RpcResponse>;
}
