/**
 * jest globalSetup of the PostgreSQL project: starts the test server and migrates the template
 * database. When PostgreSQL is missing, it says so loudly and every test of the project fails
 * (the harness throws the reason): the PostgreSQL half never counts as passed without a server.
 */
import pg from 'pg';
import { openStore } from '../../src/main/db/store';
import { startPgServer, TEMPLATE_DATABASE } from './server';

export default async function globalSetup(): Promise<void> {
  try {
    const server = await startPgServer();
    const admin = new pg.Client({ connectionString: `${server.url}/postgres` });
    await admin.connect();
    await admin.query(`create database ${TEMPLATE_DATABASE}`);
    await admin.end();
    const store = await openStore({ kind: 'postgres', url: `${server.url}/${TEMPLATE_DATABASE}` });
    await store.close();
    // A closed client's server process ends a moment later; until then the template is "in use" and cannot be cloned.
    const watcher = new pg.Client({ connectionString: `${server.url}/postgres` });
    await watcher.connect();
    for (let i = 0; i < 200; i += 1) {
      const { rows } = await watcher.query<{ n: string }>(
        'select count(*) as n from pg_stat_activity where datname = $1',
        [TEMPLATE_DATABASE],
      );
      if (Number(rows[0]!.n) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await watcher.end();
    process.env.RELIEF_DEPOT_TEST_PG = JSON.stringify(server);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    process.env.RELIEF_DEPOT_TEST_PG_MISSING = reason;
    console.error(`\n\n*** PostgreSQL tests cannot run: ${reason}\n*** Every PostgreSQL test will fail.\n`);
  }
}
