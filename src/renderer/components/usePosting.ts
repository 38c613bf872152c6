/**
 * Posting a stock document safely:
 * - one submission at a time (the button shows it is posting; a second click or Enter does nothing);
 * - every submission carries an idempotency key that stays the same while the form's values do,
 *   so a retry after a dropped connection, or a double click that slips through, is answered by
 *   the server with the first response instead of a second document. The key is renewed after
 *   any change, after success, and after a definite refusal (nothing was written);
 * - what the user typed is never cleared by a failure, and an unsent draft survives a reload
 *   (sessionStorage, per screen) until it is posted or discarded.
 */
import type { FormInstance } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useRef, useState } from 'react';
import { newIdempotencyKey, RpcFailure } from '../api';

/** Failures after which the server may or may not have written: keep the key for the retry. */
const UNCERTAIN = new Set(['NETWORK', 'INTERNAL', 'UNAUTHENTICATED']);

export interface Posting {
  posting: boolean;
  /** The message above the form (what no field shows), or null. */
  alert: string | null;
  setAlert(message: string | null): void;
  /** Call from the form's onValuesChange. */
  changed(): void;
  /** The key the next submission carries. */
  key(): string;
  /**
   * Runs one submission with the current key. Returns its result, or undefined when another is
   * running or it failed (then `onError` has put the problems on the form and returns the alert).
   */
  post<R>(
    run: (idempotencyKey: string) => Promise<R>,
    onError: (error: unknown) => string | null,
  ): Promise<R | undefined>;
}

export function usePosting(): Posting {
  const keyRef = useRef(newIdempotencyKey());
  const busy = useRef(false);
  const [posting, setPosting] = useState(false);
  const [alert, setAlert] = useState<string | null>(null);

  const changed = useCallback(() => {
    keyRef.current = newIdempotencyKey();
  }, []);

  const post = useCallback(
    async <R>(run: (key: string) => Promise<R>, onError: (error: unknown) => string | null) => {
      if (busy.current) return undefined;
      busy.current = true;
      setPosting(true);
      setAlert(null);
      try {
        const result = await run(keyRef.current);
        keyRef.current = newIdempotencyKey();
        return result;
      } catch (error) {
        if (!(error instanceof RpcFailure) || !UNCERTAIN.has(error.code))
          keyRef.current = newIdempotencyKey();
        setAlert(onError(error));
        return undefined;
      } finally {
        busy.current = false;
        setPosting(false);
      }
    },
    [],
  );

  return { posting, alert, setAlert, changed, key: () => keyRef.current, post };
}

// ---- Drafts ----------------------------------------------------------------------------------

const DRAFT_PREFIX = 'relief-depot.draft.';

function toJson(value: unknown): unknown {
  // A day stays a day; a moment (needed by 14:00) keeps its time.
  if (dayjs.isDayjs(value))
    return {
      $date: value.hour() === 0 && value.minute() === 0 ? value.format('YYYY-MM-DD') : value.toISOString(),
    };
  if (Array.isArray(value)) return value.map(toJson);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  return value;
}

function fromJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromJson);
  if (value && typeof value === 'object') {
    const date = (value as { $date?: unknown }).$date;
    if (typeof date === 'string') return dayjs(date) as Dayjs;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromJson(v)]));
  }
  return value;
}

/** The unsent values of a screen's form, kept for the session. */
export const drafts = {
  load<T>(screen: string): T | null {
    try {
      const raw = sessionStorage.getItem(DRAFT_PREFIX + screen);
      return raw ? (fromJson(JSON.parse(raw)) as T) : null;
    } catch {
      return null;
    }
  },
  save(screen: string, form: FormInstance): void {
    try {
      sessionStorage.setItem(DRAFT_PREFIX + screen, JSON.stringify(toJson(form.getFieldsValue(true))));
    } catch {
      // storage full or unavailable: the form itself still holds the values
    }
  },
  clear(screen: string): void {
    sessionStorage.removeItem(DRAFT_PREFIX + screen);
  },
};

/** The depot a user last worked in (a keeper starts in their first depot). */
export const lastDepot = {
  get(): number | undefined {
    const v = Number(sessionStorage.getItem('relief-depot.stock.depotId'));
    return Number.isSafeInteger(v) && v > 0 ? v : undefined;
  },
  set(depotId: number | undefined): void {
    if (depotId) sessionStorage.setItem('relief-depot.stock.depotId', String(depotId));
  },
};
