/** Calling the app as a transport does, for the benchmarks: through dispatch(), failing loudly. */
import type { App } from '../src/main/app';
import type { InputOf, OutputOf, ProcedureName } from '../src/shared/api';

export async function call<P extends ProcedureName>(
  app: App,
  token: string | undefined,
  procedure: P,
  input?: InputOf<P>,
): Promise<OutputOf<P>> {
  const response = await app.dispatch({ procedure, input, token });
  if (!response.ok) throw new Error(`${procedure}: ${JSON.stringify(response.error)}`);
  return response.result as OutputOf<P>;
}

/** A demo account's session token (the demo and --scale data sets share the accounts). */
export const login = async (app: App, username: string) =>
  (await call(app, undefined, 'auth.login', { username, password: 'Demo1234' })).token;
