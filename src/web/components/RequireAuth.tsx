import { Navigate, useLocation } from 'react-router';
import { SessionProvider, useMeQuery, wasSessionLost } from '../session.tsx';
import { AppShell } from './AppShell.tsx';
import { ErrorResult, FullPageSpin } from './StatusPages.tsx';

/** The signed-in area: asks the server who we are, and sends everyone else to the login page. */
export function RequireAuth() {
  const me = useMeQuery();
  const location = useLocation();
  if (me.isPending) return <FullPageSpin />;
  if (me.isError) return <ErrorResult error={me.error} onRetry={() => void me.refetch()} />;
  if (!me.data) return <Navigate to="/login" replace state={{ from: location.pathname + location.search, expired: wasSessionLost() }} />;
  return (
    <SessionProvider me={me.data}>
      <AppShell />
    </SessionProvider>
  );
}
