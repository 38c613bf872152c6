/**
 * Live screens: one poll of `changes.version` for the whole window (every 5 s while the window
 * is visible and some screen listens), so a new request or a status change shows within seconds
 * without reloading each list. The number grows with every write anywhere; screens reload when
 * it moves. Polling does not count as activity on the server: an idle session still ends.
 */
import { useEffect, useSyncExternalStore } from 'react';
import { rpc } from '../api';

const EVERY_MS = 5_000;

let version: number | null = null;
let listeners = 0;
let timer: ReturnType<typeof setInterval> | undefined;
const subscribers = new Set<() => void>();

async function poll(): Promise<void> {
  if (typeof document !== 'undefined' && document.hidden) return;
  try {
    const next = (await rpc('changes.version', {}, { background: true })).version;
    if (next !== version) {
      version = next;
      for (const notify of subscribers) notify();
    }
  } catch {
    // Offline or signed out: the next tick tries again; the session screens handle sign-out.
  }
}

function subscribe(notify: () => void): () => void {
  subscribers.add(notify);
  return () => subscribers.delete(notify);
}

/** The current version while `enabled` (null before the first answer, and when not listening). */
export function useChangesVersion(enabled: boolean): number | null {
  useEffect(() => {
    if (!enabled) return;
    listeners += 1;
    if (listeners === 1) {
      void poll();
      timer = setInterval(() => void poll(), EVERY_MS);
    }
    return () => {
      listeners -= 1;
      if (listeners === 0) clearInterval(timer);
    };
  }, [enabled]);
  const current = useSyncExternalStore(subscribe, () => version);
  return enabled ? current : null;
}
