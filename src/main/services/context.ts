/** What every service receives: the database, its dialect and the clock (tests move the clock). */
import type { ZodType } from 'zod';
import type { Role } from '../../shared/schemas/user';
import type { Db } from '../db/database';
import type { Dialect } from '../db/dialect';
import type { RequestKey } from './idempotency';

export interface Clock {
  now(): Date;
  /** Waits (sign-in turns); a test clock returns at once, its time being the test's to move. */
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** A clock its owner sets (demo seeding, tests): waiting returns at once, time moves only when set. */
export class FixedClock implements Clock {
  constructor(public current: Date) {}
  now = () => this.current;
  sleep = () => Promise.resolve();
}

/** Security settings; tests lower the password cost, production keeps the defaults. */
export interface SecurityConfig {
  /** scrypt cost N (2^17 in production). Stored with each hash, so changing it never locks anyone out. */
  scryptN: number;
  /** A session ends after this long without a request. */
  sessionIdleMinutes: number;
}

export const DEFAULT_SECURITY: SecurityConfig = {
  scryptN: 2 ** 17,
  sessionIdleMinutes: 8 * 60,
};

export interface ServiceContext {
  db: Db;
  dialect: Dialect;
  /** Long reads on one snapshot that hold up no writer (Store.snapshot): exports. */
  snapshot<T>(reads: (db: Db) => Promise<T>): Promise<T>;
  clock: Clock;
  security: SecurityConfig;
  /** Per request (dispatch sets it). */
  request?: RequestContext;
}

export interface RequestContext {
  /** Where the request came from: 'desktop' for the app's own window, the peer address over HTTP. */
  source?: string;
  /** The idempotency key the request's first write claims. */
  idempotency?: RequestKey;
  /**
   * The procedure's reply schema: the write named after the procedure (its audit action) checks
   * its result with it before committing, so a reply the contract cannot carry rolls the write
   * back instead of reporting failure for what was saved.
   */
  reply?: {
    procedure: string;
    schema: ZodType;
    /** What that write returned and its parse: dispatch answers with it instead of parsing again. */
    checked?: { value: unknown; parsed: unknown };
  };
}

/** The signed-in user on whose behalf a service acts. */
export interface Actor {
  userId: number;
  username: string;
  displayName: string;
  role: Role;
  /** Depots a keeper may move stock in; empty for other roles (they are not depot-scoped). */
  depotIds: number[];
}
