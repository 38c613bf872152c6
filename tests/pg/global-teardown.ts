/** jest globalTeardown of the PostgreSQL project: stops and removes the test server. */
import { stopPgServer, type PgServer } from './server';

export default async function globalTeardown(): Promise<void> {
  const json = process.env.RELIEF_DEPOT_TEST_PG;
  if (json) stopPgServer(JSON.parse(json) as PgServer);
}
