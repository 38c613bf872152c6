/**
 * IPC channel names shared by the main process (ipc.ts) and the preload (preload.ts).
 * Imports nothing: the sandboxed preload may only require 'electron'.
 */
export const RPC_CHANNEL = 'rpc';
export const SAVE_EXPORT_CHANNEL = 'export.save';
export const UPLOAD_CHANNEL = 'import.upload';
