/**
 * Starts the HTTP transport on the default port 4870 or, when that is taken, the next free one
 * (up to 20 further). A port asked for explicitly is used or fails: no surprises in scripts.
 */
import { startHttpServer, type HttpOptions, type HttpServer } from './rpc/http';
import type { RpcRequest, RpcResponse } from '../shared/rpc';

export const DEFAULT_PORT = 4870;
const MORE_PORTS = 20;

export async function startHttpOnFreePort(
  dispatch: (request: RpcRequest) => Promise<RpcResponse>,
  options: Omit<HttpOptions, 'port'> & { port?: number | undefined },
): Promise<HttpServer> {
  const first = options.port ?? DEFAULT_PORT;
  const last = options.port === undefined ? first + MORE_PORTS : first;
  for (let port = first; ; port += 1) {
    try {
      return await startHttpServer(dispatch, { ...options, port });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port >= last) throw error;
    }
  }
}
