/**
 * Who is signed in, and what the app knows at start: setup state, demo flag, settings, depots.
 * The token lives in sessionStorage (kept across a reload, gone with the window). When the
 * server says a session ended, the login screen appears over the current route, so signing
 * in again returns the user to the same screen with what they typed.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, type OutputOf, type ProcedureName } from '../shared/api';
import type { DepotDto } from '../shared/schemas/depot';
import type { UserDto } from '../shared/schemas/user';
import { configureClient, rpc } from './api';

const TOKEN_KEY = 'relief-depot.token';

export type SetupStatus = OutputOf<'setup.status'>;

export interface SessionState {
  status: SetupStatus;
  user: UserDto | null;
  /** True when the server ended the session (expired): the login screen shows over the page. */
  expired: boolean;
  depots: DepotDto[];
  refreshStatus(): Promise<void>;
  refreshDepots(): Promise<void>;
  signedIn(result: OutputOf<'auth.login'>): Promise<void>;
  signOut(): Promise<void>;
  can(roles: readonly string[]): boolean;
  /** May the user call this procedure at all (its roles in the contract)? Depot scope is the server's to judge. */
  canCall(procedure: ProcedureName): boolean;
}

const SessionContext = createContext<SessionState | null>(null);

export function useSession(): SessionState {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

export function SessionProvider({
  status: initialStatus,
  children,
}: {
  status: SetupStatus;
  children: ReactNode;
}) {
  const [status, setStatus] = useState(initialStatus);
  const [user, setUser] = useState<UserDto | null>(null);
  const [expired, setExpired] = useState(false);
  const [depots, setDepots] = useState<DepotDto[]>([]);

  const refreshDepots = useCallback(
    async () => setDepots(await rpc('depot.list', { includeInactive: true })),
    [],
  );
  const refreshStatus = useCallback(async () => setStatus(await rpc('setup.status')), []);

  useEffect(() => {
    configureClient({
      onUnauthenticated: () => {
        sessionStorage.removeItem(TOKEN_KEY);
        configureClient({ token: null });
        setExpired(true);
      },
    });
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (!token) return;
    configureClient({ token });
    rpc('auth.me')
      .then(async (me) => {
        setUser(me);
        await refreshDepots();
      })
      .catch(() => {
        sessionStorage.removeItem(TOKEN_KEY);
        configureClient({ token: null });
        setExpired(false);
      });
  }, [refreshDepots]);

  const signedIn = useCallback(
    async (result: OutputOf<'auth.login'>) => {
      sessionStorage.setItem(TOKEN_KEY, result.token);
      configureClient({ token: result.token });
      setUser(result.user);
      setExpired(false);
      await refreshDepots();
    },
    [refreshDepots],
  );

  const signOut = useCallback(async () => {
    await rpc('auth.logout').catch(() => undefined);
    sessionStorage.removeItem(TOKEN_KEY);
    configureClient({ token: null });
    setUser(null);
    setExpired(false);
    window.location.hash = '#/';
  }, []);

  const value = useMemo<SessionState>(
    () => ({
      status,
      user,
      expired,
      depots,
      refreshStatus,
      refreshDepots,
      signedIn,
      signOut,
      can: (roles) => user !== null && roles.includes(user.role),
      canCall: (procedure) => {
        const access = api[procedure].access;
        return access === 'public' || (user !== null && (access as readonly string[]).includes(user.role));
      },
    }),
    [status, user, expired, depots, refreshStatus, refreshDepots, signedIn, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
