import { createBrowserRouter } from 'react-router';
import { RequireAuth } from './components/RequireAuth.tsx';
import { RequirePermission } from './components/RequirePermission.tsx';
import { NotFoundPage } from './components/StatusPages.tsx';
import { AccountPage } from './features/account/AccountPage.tsx';
import { AuditPage } from './features/audit/AuditPage.tsx';
import { LoginPage } from './features/auth/LoginPage.tsx';
import { DepartmentsPage } from './features/departments/DepartmentsPage.tsx';
import { HomePage } from './features/home/HomePage.tsx';
import { RegionPage, RegionsIndex } from './features/regions/RegionPage.tsx';
import { UsersPage } from './features/users/UsersPage.tsx';

export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  {
    element: <RequireAuth />,
    children: [
      { index: true, element: <HomePage /> },
      {
        path: 'regions',
        element: (
          <RequirePermission permission="region.read">
            <RegionsIndex />
          </RequirePermission>
        ),
      },
      {
        path: 'regions/:code',
        element: (
          <RequirePermission permission="region.read">
            <RegionPage />
          </RequirePermission>
        ),
      },
      {
        path: 'departments',
        element: (
          <RequirePermission permission="department.read">
            <DepartmentsPage />
          </RequirePermission>
        ),
      },
      {
        path: 'users',
        element: (
          <RequirePermission permission="user.read">
            <UsersPage />
          </RequirePermission>
        ),
      },
      {
        path: 'audit',
        element: (
          <RequirePermission permission="audit.read">
            <AuditPage />
          </RequirePermission>
        ),
      },
      { path: 'account', element: <AccountPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
