import { useQuery } from '@tanstack/react-query';
import { createContext, useContext, type ReactNode } from 'react';
import { api } from './api.ts';
import type { Me, Permission } from './types.ts';

export const ME_QUERY_KEY = ['me'] as const;

let sessionLost = false;

/** The server answered 401 to a signed-in page: the login page says the session ended. */
export function markSessionLost(lost: boolean): void {
  sessionLost = lost;
}

export function wasSessionLost(): boolean {
  return sessionLost;
}

/** Who is signed in: `null` when nobody is (the API answered 401). */
export function useMeQuery() {
  return useQuery({ queryKey: ME_QUERY_KEY, queryFn: api.me, staleTime: 5 * 60_000 });
}

const SessionContext = createContext<Me | null>(null);

export function SessionProvider({ me, children }: { me: Me; children: ReactNode }) {
  return <SessionContext.Provider value={me}>{children}</SessionContext.Provider>;
}

/** The signed-in user inside the authenticated part of the app. */
export function useSession(): Me {
  const me = useContext(SessionContext);
  if (!me) throw new Error('useSession outside the signed-in area');
  return me;
}

/** Whether the active role has a permission; the server checks again on every request. */
export function useCan(): (permission: Permission) => boolean {
  const me = useSession();
  return (permission) => me.permissions.includes(permission);
}
