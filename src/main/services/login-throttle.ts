/**
 * Slows password guessing: after `maxFailures` failed sign-ins for a user name within 15
 * minutes, that name is locked for a minute, doubling with each further failure up to 15
 * minutes. Kept in memory: the desktop app is one process, and a restart needs local access.
 */
const WINDOW_MS = 15 * 60_000;
const FIRST_LOCK_MS = 60_000;
const MAX_LOCK_MS = 15 * 60_000;

interface Entry {
  failures: number[];
  lockedUntil: number;
  locks: number;
}

export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxFailures: number) {}

  /** Seconds until this name may try again, or 0. */
  retryAfterSeconds(username: string, now: number): number {
    const entry = this.entries.get(username.toLowerCase());
    return entry && entry.lockedUntil > now ? Math.ceil((entry.lockedUntil - now) / 1000) : 0;
  }

  recordFailure(username: string, now: number): void {
    const key = username.toLowerCase();
    const entry = this.entries.get(key) ?? { failures: [], lockedUntil: 0, locks: 0 };
    entry.failures = [...entry.failures.filter((t) => now - t < WINDOW_MS), now];
    if (entry.failures.length >= this.maxFailures) {
      entry.lockedUntil = now + Math.min(FIRST_LOCK_MS * 2 ** entry.locks, MAX_LOCK_MS);
      entry.locks += 1;
    }
    this.entries.set(key, entry);
  }

  recordSuccess(username: string): void {
    this.entries.delete(username.toLowerCase());
  }
}
