/** What every service receives: the database, its dialect and the clock (tests move the clock). */
import type { ZodType } from 'zod';
import type { Role } from '../../shared/schemas/user';
import type { Db } from '../db/database';
import type { Dialect } from '../db/dialect';
import type { RequestKey } from './idempotency';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Security settings; tests lower the password cost, production keeps the defaults. */
export interface SecurityConfig {
  /** scrypt cost N (2^17 in production). Stored with each hash, so changing it never locks anyone out. */
  scryptN: number;
  /** A session ends after this long without a request. */
  sessionIdleMinutes: number;
  /** Failed sign-ins for one user name within the window before it is locked for a while. */
  maxLoginFailures: number;
}

export const DEFAULT_SECURITY: SecurityConfig = {
  scryptN: 2 ** 17,
  sessionIdleMinutes: 8 * 60,
  maxLoginFailures: 5,
};

export interface ServiceContext {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  security: SecurityConfig;
  /** Per request (dispatch sets it). */
  request?: RequestContext;
}

export interface RequestContext {
  /** The idempotency key the request's first write claims. */
  idempotency?: RequestKey;
  /**
   * The procedure's reply schema: the write named after the procedure (its audit action) checks
   * its result with it before committing, so a reply the contract cannot carry rolls the write
   * back instead of reporting failure for what was saved.
   */
  reply?: { procedure: string; schema: ZodType };
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
