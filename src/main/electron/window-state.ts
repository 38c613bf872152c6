/**
 * The main window's remembered bounds: a small JSON file in the data folder. No electron import
 * (unit-tested in plain Node); window.ts passes in the displays' work areas.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { WINDOW_DEFAULT_SIZE, WINDOW_MIN_SIZE } from './security';

export const WINDOW_STATE_FILE = 'window-state.json';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  /** The normal (not maximised) bounds; undefined x/y: let the system centre the window. */
  bounds: { x?: number; y?: number; width: number; height: number };
  maximized: boolean;
}

const int = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 100_000;

/** The saved state, or null when the file is missing, unreadable or not what we wrote. */
export function readWindowState(file: string): WindowState | null {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  if (!int(r.x) || !int(r.y) || !int(r.width) || !int(r.height)) return null;
  return { bounds: { x: r.x, y: r.y, width: r.width, height: r.height }, maximized: r.maximized === true };
}

/** Written to a temp file and renamed, so a crash never leaves half a file. Errors are ignored. */
export function writeWindowState(file: string, bounds: Rect, maximized: boolean): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const temp = `${file}.tmp`;
    writeFileSync(temp, `${JSON.stringify({ ...bounds, maximized })}\n`);
    renameSync(temp, file);
  } catch {
    // Remembering the window's size is a convenience, never a reason to fail.
  }
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * Where to open the window: the saved bounds when enough of them (a quarter, and the title bar)
 * is still on a connected display, shrunk to fit it; else the default size, centred by the system
 * and no larger than the biggest display.
 */
export function initialWindowState(saved: WindowState | null, workAreas: readonly Rect[]): WindowState {
  const largest = [...workAreas].sort((a, b) => b.width * b.height - a.width * a.height)[0];
  const fallback: WindowState = {
    bounds: {
      width: Math.max(WINDOW_MIN_SIZE.width, Math.min(WINDOW_DEFAULT_SIZE.width, largest?.width ?? Infinity)),
      height: Math.max(
        WINDOW_MIN_SIZE.height,
        Math.min(WINDOW_DEFAULT_SIZE.height, largest?.height ?? Infinity),
      ),
    },
    maximized: false,
  };
  const b = saved?.bounds;
  if (!saved || !b || b.x === undefined || b.y === undefined) return fallback;
  const rect: Rect = { x: b.x, y: b.y, width: b.width, height: b.height };
  const titleBar: Rect = { x: rect.x, y: rect.y, width: rect.width, height: 32 };
  const home = workAreas.find(
    (a) => overlap(rect, a) >= (rect.width * rect.height) / 4 && overlap(titleBar, a) > 0,
  );
  if (!home) return { ...fallback, maximized: saved.maximized };
  const width = Math.max(WINDOW_MIN_SIZE.width, Math.min(rect.width, home.width));
  const height = Math.max(WINDOW_MIN_SIZE.height, Math.min(rect.height, home.height));
  const x = Math.min(Math.max(rect.x, home.x), home.x + Math.max(0, home.width - width));
  const y = Math.min(Math.max(rect.y, home.y), home.y + Math.max(0, home.height - height));
  return { bounds: { x, y, width, height }, maximized: saved.maximized };
}
