/** Static, ordered list of migrations: no folder scan, so it works in bundles and in jest. */
import type { Migration } from 'kysely/migration';
import * as m0001 from './0001_create_core';
import * as m0002 from './0002_add_covering_indexes';
import * as m0003 from './0003_cover_expiry_index';
import * as m0004 from './0004_portable_ledger';
import * as m0005 from './0005_receipt_terms';
import * as m0006 from './0006_ledger_seals_and_turns';
import * as m0007 from './0007_trusted_sign_in';
import * as m0008 from './0008_allocation_requests';
import * as m0009 from './0009_delivery_orders';
import * as m0010 from './0010_import_once';

export const migrations: Record<string, Migration> = {
  '0001_create_core': m0001,
  '0002_add_covering_indexes': m0002,
  '0003_cover_expiry_index': m0003,
  '0004_portable_ledger': m0004,
  '0005_receipt_terms': m0005,
  '0006_ledger_seals_and_turns': m0006,
  '0007_trusted_sign_in': m0007,
  '0008_allocation_requests': m0008,
  '0009_delivery_orders': m0009,
  '0010_import_once': m0010,
};
