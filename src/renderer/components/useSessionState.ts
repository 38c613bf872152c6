/**
 * State that outlives the screen for the rest of the session (filters that stay, UI.md): kept
 * in sessionStorage under one key per screen, gone when the window closes.
 */
import { useCallback, useState } from 'react';

const PREFIX = 'relief-depot.screen.';

function read<T>(key: string, initial: T): T {
  try {
    const raw = sessionStorage.getItem(PREFIX + key);
    return raw === null ? initial : { ...initial, ...(JSON.parse(raw) as T) };
  } catch {
    return initial;
  }
}

function write(key: string, value: unknown): void {
  try {
    sessionStorage.setItem(PREFIX + key, JSON.stringify(value));
  } catch {
    // Storage full or disabled: the filter still works for this visit.
  }
}

/**
 * Like useState for a plain object, remembered under `key` for the session. Missing fields take
 * `initial`'s. `override`, when given, turns the remembered value into the starting one (a link
 * that names filters replaces the remembered ones) and is remembered in turn.
 */
export function useSessionState<T extends object>(
  key: string,
  initial: T,
  override?: ((stored: T) => T) | null,
): [T, (next: T | ((prev: T) => T)) => void] {
  const [value, setValue] = useState<T>(() => {
    const stored = read(key, initial);
    if (!override) return stored;
    const next = override(stored);
    write(key, next);
    return next;
  });
  const update = useCallback(
    (next: T | ((prev: T) => T)) =>
      setValue((prev) => {
        const value = typeof next === 'function' ? (next as (prev: T) => T)(prev) : next;
        write(key, value);
        return value;
      }),
    [key],
  );
  return [value, update];
}
