/**
 * Composition root: opens (and migrates) the store — the SQLite file in a data folder, or a
 * PostgreSQL server — and wires services and dispatch. Every transport and the CLI start here.
 */
import { resolveLocale } from '../shared/i18n';
import type { RpcRequest, RpcResponse } from '../shared/rpc';
import type { Db } from './db/database';
import { openStore, type Store, type StoreConfig } from './db/store';
import {
  DEFAULT_SECURITY,
  systemClock,
  type Clock,
  type SecurityConfig,
  type ServiceContext,
} from './services/context';
import { DEMO_ACCOUNTS, seedDemo } from './demo';
import { ExportJobs } from './excel/export-jobs';
import { Uploads } from './excel/import/uploads';
import { failureResponse } from './rpc/errors';
import { resolveSession } from './services/auth.service';
import { dispatch } from './rpc/dispatch';
import { startAnchoring } from './services/anchors';
import { sealLegacyLedger } from './services/ledger-seal';

export interface AppOptions {
  /** Where the data lives (db/store.ts `storeConfig` resolves --data and --database). */
  store: StoreConfig;
  clock?: Clock;
  security?: Partial<SecurityConfig>;
  logError?: (message: string, error: unknown) => void;
  /** The anchor file (anchors.ts): the audit chain's head is appended on opening and each minute it grew. */
  anchorFile?: string;
}

export interface App {
  readonly store: Store;
  readonly db: Db;
  readonly svc: ServiceContext;
  /** Export jobs the screens started; the HTTP transport serves their files. */
  readonly exports: ExportJobs;
  /** Files uploaded for import (`POST /upload`), for the signed-in user who sent them. */
  upload(token: string | undefined, fileName: string, bytes: Buffer, locale: string): Promise<RpcResponse>;
  /** `source`: where the request came from, as its transport knows it (sign-in throttling). */
  dispatch(request: RpcRequest, source?: string): Promise<RpcResponse>;
  close(): Promise<void>;
}

export async function createApp(options: AppOptions): Promise<App> {
  const store = await openStore(options.store);
  const security = { ...DEFAULT_SECURITY, ...options.security };
  const svc: ServiceContext = {
    db: store.db,
    dialect: store.dialect,
    snapshot: (reads) => store.snapshot(reads),
    clock: options.clock ?? systemClock,
    security,
  };
  await sealLegacyLedger(svc);
  const stopAnchoring = options.anchorFile
    ? await startAnchoring(
        store.db,
        options.anchorFile,
        () => svc.clock.now(),
        (error) => deps.logError('anchor', error),
      )
    : () => undefined;
  const logError = options.logError ?? ((message: string, error: unknown) => console.error(message, error));
  const exports = new ExportJobs(logError);
  const uploads = new Uploads();
  const app: App = {
    store,
    db: store.db,
    svc,
    exports,
    dispatch: (request, source) => dispatch(deps, request, source),
    upload: async (token, fileName, bytes, locale) => {
      try {
        const actor = await resolveSession(svc, token);
        return { ok: true, result: uploads.put(actor, fileName, bytes) };
      } catch (error) {
        return failureResponse(resolveLocale(locale), error, (e) => logError('upload', e));
      }
    },
    close: async () => {
      stopAnchoring();
      exports.close();
      await store.close();
    },
  };
  const deps = {
    svc,
    exports,
    uploads,
    demo: { accounts: DEMO_ACCOUNTS, load: async () => void (await seedDemo(app)) },
    logError,
  };
  return app;
}
