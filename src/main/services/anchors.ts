/**
 * Anchors: the audit chain's head (record number and hash) kept outside the database — appended
 * to a file in the data folder on every start and daily, written beside each backup, printed on
 * every document. Anyone can recompute SHA-256, so a chain rewritten from some record on is
 * consistent in itself; an anchor taken before shows it: that record is gone, or its hash differs.
 * Written as src/shared/anchor.ts says.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { formatAnchor, type Anchor } from '../../shared/anchor';
import type { DbOrTrx } from '../db/database';
import { auditHead } from './audit.service';

export const ANCHOR_FILE = 'audit-anchors.txt';

export type AnchorProblem =
  { kind: 'missing'; anchor: Anchor; newest: number } | { kind: 'differs'; anchor: Anchor };

const ANCHOR = /\b(\d{1,10}):([0-9a-f]{16,64})\b/g;

/** Every `N:HASH` in a text (an anchor file, a backup's side file, a typed-in anchor). */
export function parseAnchors(text: string): Anchor[] {
  return [...text.toLowerCase().matchAll(ANCHOR)].map((m) => ({ auditId: Number(m[1]), hash: m[2]! }));
}

/** `--anchor N:HASH` or `--anchor FILE`; null when it is neither. */
export function anchorsFrom(arg: string): Anchor[] | null {
  const typed = parseAnchors(arg);
  if (typed.length === 1 && formatAnchor(typed[0]!) === arg.trim().toLowerCase()) return typed;
  if (!existsSync(arg)) return null;
  const found = parseAnchors(readFileSync(arg, 'utf8'));
  return found.length > 0 ? found : null;
}

/** Appends the current head to the anchor file, unless it is the one the file ends with. */
export async function appendAnchor(db: DbOrTrx, file: string, now: Date): Promise<void> {
  const head = await auditHead(db);
  if (!head) return;
  const last = existsSync(file) ? parseAnchors(readFileSync(file, 'utf8')).at(-1) : undefined;
  if (last && formatAnchor(last) === formatAnchor(head)) return;
  mkdirSync(path.dirname(file), { recursive: true });
  appendFileSync(file, `${now.toISOString()} ${formatAnchor(head)}\n`);
}

export function readAnchorFile(file: string): Anchor[] {
  return existsSync(file) ? parseAnchors(readFileSync(file, 'utf8')) : [];
}

/** Each anchor's record still there with that hash (so, the chain being intact, all before it). */
export async function verifyAnchors(db: DbOrTrx, anchors: readonly Anchor[]): Promise<AnchorProblem[]> {
  const problems: AnchorProblem[] = [];
  const newest = (await auditHead(db))?.auditId ?? 0;
  for (const anchor of anchors) {
    const row = await db
      .selectFrom('auditLog')
      .select('hash')
      .where('auditId', '=', anchor.auditId)
      .executeTakeFirst();
    if (!row) problems.push({ kind: 'missing', anchor, newest });
    else if (!row.hash.startsWith(anchor.hash)) problems.push({ kind: 'differs', anchor });
  }
  return problems;
}
