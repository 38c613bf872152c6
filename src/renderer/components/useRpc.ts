/**
 * A read for a screen: loading, error and reload, with answers to an older input dropped (the
 * last input typed wins). `live`: reloads quietly whenever anything is written anywhere
 * (liveChanges), so lists keep themselves current. `null` input: nothing to load yet.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { InputOf, OutputOf, ProcedureName } from '../../shared/api';
import { rpc, RpcFailure } from '../api';
import { useChangesVersion } from './liveChanges';

export interface RpcState<T> {
  data: T | undefined;
  loading: boolean;
  error: string | null;
  reload(): Promise<void>;
}

export function useRpc<P extends ProcedureName>(
  procedure: P,
  input: InputOf<P> | null,
  options: { live?: boolean } = {},
): RpcState<OutputOf<P>> {
  const key = input === null ? null : JSON.stringify(input);
  const [state, setState] = useState<{
    data: OutputOf<P> | undefined;
    loading: boolean;
    error: string | null;
  }>({
    data: undefined,
    loading: key !== null,
    error: null,
  });
  const latest = useRef(0);

  const load = useCallback(
    async (quiet: boolean) => {
      if (key === null) return;
      const mine = ++latest.current;
      if (!quiet) setState((s) => ({ ...s, loading: true, error: null }));
      try {
        // A quiet reload follows someone else's write: it is not this user at work.
        const data = await rpc(procedure, JSON.parse(key) as InputOf<P>, { background: quiet });
        if (mine === latest.current) setState({ data, loading: false, error: null });
      } catch (e) {
        if (mine === latest.current)
          setState((s) => ({ ...s, loading: false, error: e instanceof RpcFailure ? e.message : String(e) }));
      }
    },
    [procedure, key],
  );
  useEffect(() => {
    void load(false);
  }, [load]);

  const version = useChangesVersion(options.live ?? false);
  const seen = useRef<number | null>(null);
  useEffect(() => {
    if (version === null) return;
    // The first answer only tells where the count stands; later ones mean someone wrote.
    if (seen.current !== null && seen.current !== version) void load(true);
    seen.current = version;
  }, [version, load]);

  const reload = useCallback(() => load(false), [load]);
  return { ...state, reload };
}
