/** Keyset cursors: `after` is the last row's key, numbers joined by ':' (e.g. "12:3"). */
import { AppError } from '../../shared/rpc';

/** The cursor's numbers, or null without one; anything not ours is BAD_INPUT on "after". */
export function parseCursor(after: string | undefined, parts: number): number[] | null {
  if (after === undefined) return null;
  const values = after.split(':').map(Number);
  // Cursors hold ids, which are 32-bit on PostgreSQL: anything larger is not one of ours.
  if (values.length !== parts || values.some((v) => !Number.isInteger(v) || v < 0 || v > 2_147_483_647)) {
    throw new AppError('BAD_INPUT', 'validation.format', {}, [{ path: 'after', key: 'validation.format' }]);
  }
  return values;
}
