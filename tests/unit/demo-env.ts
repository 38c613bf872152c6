/**
 * An app for the demo seeders (demo.test.ts, demo-scale-sqlite.test.ts): a fresh database of this
 * jest project's store, a fixed clock and cheap password hashing (scrypt N=1024), and nothing else
 * in it (the seeders refuse a database that has data).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { InputOf, OutputOf, ProcedureName } from '../../src/shared/api';
import { createApp, type App } from '../../src/main/app';
import type { Database } from '../../src/main/db/database';
import { newStore, TestClock } from './harness';

export const NOW = '2026-11-30T02:00:00.000Z';

export async function demoEnv() {
  // A memory-backed folder where there is one (every service write is an fsync'ed commit).
  const dir = mkdtempSync(
    path.join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'relief-depot-demo-test-'),
  );
  const store = await newStore(dir);
  const errors: unknown[] = [];
  const app: App = await createApp({
    store: store.config,
    clock: new TestClock(new Date(NOW)),
    security: { scryptN: 1024 },
    logError: (_m, e) => errors.push(e),
  });
  return {
    app,
    async call<P extends ProcedureName>(
      token: string | undefined,
      procedure: P,
      input?: InputOf<P>,
    ): Promise<OutputOf<P>> {
      const response = await app.dispatch({ procedure, input, token });
      if (!response.ok)
        throw new Error(
          `${procedure} failed: ${JSON.stringify(response.error)} ${errors.map(String).join('\n')}`,
        );
      return response.result as OutputOf<P>;
    },
    async close() {
      await app.close();
      await store.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Rows counted in one table of an app's database. */
export async function countOf(app: App, table: keyof Database): Promise<number> {
  const row = await app.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
