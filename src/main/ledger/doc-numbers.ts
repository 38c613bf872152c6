/**
 * Document numbers people can read out on the phone: PREFIX-YYYYMMDD-NNNN (local date).
 * The sequence row is bumped inside the writing transaction: a posted number is never used
 * twice, and a write that rolls back takes its number back with it. The upsert is one atomic
 * statement on both stores: concurrent writers each get their own number.
 */
import { localDate } from '../../shared/dates';
import type { Trx } from '../db/database';
import { prepared } from '../db/prepared';

export const DOC_PREFIXES = {
  receipt: 'RK',
  issue: 'CK',
  /** 移库. Transfers made before allocations existed are numbered DB- and keep those numbers. */
  transfer: 'YK',
  allocation: 'DB',
  delivery: 'PS',
  stocktake: 'PD',
  contract: 'XY',
  callUp: 'DY',
  scrap: 'BF',
  reversal: 'HC',
} as const;
export type DocKind = keyof typeof DOC_PREFIXES;

const bump = prepared((db, p: { prefix: string; day: string }) =>
  db
    .insertInto('docSequences')
    .values({ prefix: p.prefix, day: p.day, lastValue: 1 })
    .onConflict((oc) =>
      oc
        .columns(['prefix', 'day'])
        .doUpdateSet((eb) => ({ lastValue: eb('docSequences.lastValue', '+', 1) })),
    )
    .returning('lastValue'),
);

export async function nextDocNo(trx: Trx, kind: DocKind, instant: Date): Promise<string> {
  const prefix = DOC_PREFIXES[kind];
  const day = localDate(instant).replaceAll('-', '');
  const row = (await bump.first(trx, { prefix, day }))!;
  return `${prefix}-${day}-${String(row.lastValue).padStart(4, '0')}`;
}
