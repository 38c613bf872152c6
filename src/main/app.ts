/**
 * Composition root: opens (and migrates) the store in a data folder and wires services,
 * dispatch and the login throttle. Every transport and the CLI start here.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { RpcRequest, RpcResponse } from '../shared/rpc';
import { createKysely, openSqlite } from './db/connect';
import type { Db } from './db/database';
import { migrateToLatest } from './db/migrate';
import { DEFAULT_SECURITY, systemClock, type Clock, type SecurityConfig, type ServiceContext } from './services/context';
import { LoginThrottle } from './services/login-throttle';
import { DEMO_ACCOUNTS, seedDemo } from './demo';
import { dispatch } from './rpc/dispatch';
import { IdempotencyCache } from './rpc/idempotency';

export const DATABASE_FILE = 'relief-depot.sqlite';

export interface AppOptions {
  /** Folder holding the database; created if missing. */
  dataDir: string;
  clock?: Clock;
  security?: Partial<SecurityConfig>;
  logError?: (message: string, error: unknown) => void;
}

export interface App {
  readonly databaseFile: string;
  readonly sqlite: BetterSqlite3.Database;
  readonly db: Db;
  readonly svc: ServiceContext;
  dispatch(request: RpcRequest): Promise<RpcResponse>;
  close(): Promise<void>;
}

export async function createApp(options: AppOptions): Promise<App> {
  mkdirSync(options.dataDir, { recursive: true });
  const databaseFile = path.join(options.dataDir, DATABASE_FILE);
  const sqlite = openSqlite(databaseFile);
  await migrateToLatest(sqlite);
  const db = createKysely(sqlite);
  const security = { ...DEFAULT_SECURITY, ...options.security };
  const svc: ServiceContext = { db, clock: options.clock ?? systemClock, security };
  const app: App = {
    databaseFile,
    sqlite,
    db,
    svc,
    dispatch: (request) => dispatch(deps, request),
    close: () => db.destroy(),
  };
  const deps = {
    svc,
    throttle: new LoginThrottle(security.maxLoginFailures),
    idempotency: new IdempotencyCache(),
    demo: { accounts: DEMO_ACCOUNTS, load: async () => void (await seedDemo(app)) },
    logError: options.logError ?? ((message: string, error: unknown) => console.error(message, error)),
  };
  return app;
}
