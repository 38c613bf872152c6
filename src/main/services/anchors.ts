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

/**
 * Appends the current head to the anchor file unless it is `last` (by default, the line the file
 * ends with); returns the head as written there, for the next call's `last`.
 */
export async function appendAnchor(
  db: DbOrTrx,
  file: string,
  now: Date,
  last: string | undefined = lastAnchor(file),
): Promise<string | undefined> {
  const head = await auditHead(db);
  if (!head) return last;
  const anchor = formatAnchor(head);
  if (anchor === last) return last;
  mkdirSync(path.dirname(file), { recursive: true });
  appendFileSync(file, `${now.toISOString()} ${anchor}\n`);
  return anchor;
}

function lastAnchor(file: string): string | undefined {
  const last = existsSync(file) ? parseAnchors(readFileSync(file, 'utf8')).at(-1) : undefined;
  return last && formatAnchor(last);
}

/**
 * A running app anchors the head when it opens and then every minute in which the chain grew,
 * so what a writer did is pinned outside the database within a minute. Returns stop().
 */
export async function startAnchoring(
  db: DbOrTrx,
  file: string,
  now: () => Date,
  onError: (error: unknown) => void,
): Promise<() => void> {
  let last = await appendAnchor(db, file, now());
  const timer = setInterval(() => {
    appendAnchor(db, file, now(), last).then((written) => (last = written), onError);
  }, ANCHOR_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}

const ANCHOR_EVERY_MS = 60_000;

export function readAnchorFile(file: string): Anchor[] {
  return existsSync(file) ? parseAnchors(readFileSync(file, 'utf8')) : [];
}

/** Each anchor's record still there with that hash (so, the chain being intact, all before it). */
export async function verifyAnchors(db: DbOrTrx, anchors: readonly Anchor[]): Promise<AnchorProblem[]> {
  const problems: AnchorProblem[] = [];
  const newest = (await auditHead(db))?.auditId ?? 0;
  for (let i = 0; i < anchors.length; i += 1000) {
    const chunk = anchors.slice(i, i + 1000);
    const rows = await db
      .selectFrom('auditLog')
      .select(['auditId', 'hash'])
      .where(
        'auditId',
        'in',
        chunk.map((a) => a.auditId),
      )
      .execute();
    const hashOf = new Map(rows.map((r) => [r.auditId, r.hash]));
    for (const anchor of chunk) {
      const hash = hashOf.get(anchor.auditId);
      if (hash === undefined) problems.push({ kind: 'missing', anchor, newest });
      else if (!hash.startsWith(anchor.hash)) problems.push({ kind: 'differs', anchor });
    }
  }
  return problems;
}
