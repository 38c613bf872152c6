/**
 * How an audit chain head is written down outside the database: `N:HASH`, the full hash in files,
 * its first 16 hex digits on paper (enough that no rewrite of the chain matches it by chance).
 */
export interface Anchor {
  auditId: number;
  /** The full hash, or the first 16 or more hex digits of it. */
  hash: string;
}

export const formatAnchor = (a: Anchor) => `${a.auditId}:${a.hash}`;
export const shortAnchor = (a: Anchor) => `${a.auditId}:${a.hash.slice(0, 16)}`;
