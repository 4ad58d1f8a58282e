import type { ReactNode } from 'react';
import { createBrowserRouter, type RouteObject } from 'react-router';
import { RequireAuth } from './components/RequireAuth.tsx';
import { RequirePermission } from './components/RequirePermission.tsx';
import { NotFoundPage } from './components/StatusPages.tsx';
import { AccountPage } from './features/account/AccountPage.tsx';
import { AuditPage } from './features/audit/AuditPage.tsx';
import { CalendarPage } from './features/calendar/CalendarPage.tsx';
import { LoginPage } from './features/auth/LoginPage.tsx';
import { CaseDetailPage } from './features/cases/CaseDetailPage.tsx';
import { CasesPage } from './features/cases/CasesPage.tsx';
import { HotlinePage } from './features/cases/HotlinePage.tsx';
import { AutoDispatchPage } from './features/cases/AutoDispatchPage.tsx';
import { WebhooksPage } from './features/webhooks/WebhooksPage.tsx';
import { CoveragePage } from './features/coverage/CoveragePage.tsx';
import { AlarmsPage } from './features/alarms/AlarmsPage.tsx';
import { CategoriesPage } from './features/categories/CategoriesPage.tsx';
import { DepartmentsPage } from './features/departments/DepartmentsPage.tsx';
import { HomePage } from './features/home/HomePage.tsx';
import { RegionPage, RegionsIndex } from './features/regions/RegionPage.tsx';
import { residentRoutes } from './features/resident/residentRoutes.tsx';
import { UsersPage } from './features/users/UsersPage.tsx';
import { RulesPage } from './features/rules/RulesPage.tsx';
import { LedgerPage } from './features/ledger/LedgerPage.tsx';
import { ReportsPage } from './features/reports/ReportsPage.tsx';
import { MatchReview } from './features/ledger/MatchReview.tsx';
import { ServicesPage } from './features/services/ServicesPage.tsx';
import { WorklistPage } from './features/services/WorklistPage.tsx';
import type { Permission } from './types.ts';
import { DevicesPage } from './features/devices/DevicesPage.tsx';
import { DeviceDetailPage } from './features/devices/DeviceDetailPage.tsx';
import { PersonPage } from './features/ledger/PersonPage.tsx';
import { DwellingPage, HouseholdPage } from './features/ledger/HouseholdPage.tsx';
import { ConflictReviewPage } from './features/ledger/ConflictReview.tsx';
import { AuthorityPage } from './features/ledger/AuthorityPage.tsx';
import { NoticesPage } from './features/civic/NoticesPage.tsx';
import { ProposalsPage } from './features/civic/ProposalsPage.tsx';
import { VolunteersPage } from './features/civic/VolunteersPage.tsx';

/** A page only roles with `permission` may open (the server checks again on every request). */
function guarded(path: string, permission: Permission, page: ReactNode): RouteObject {
  return { path, element: <RequirePermission permission={permission}>{page}</RequirePermission> };
}

export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  residentRoutes,
  {
    element: <RequireAuth />,
    children: [
      { index: true, element: <HomePage /> },
      guarded('regions', 'region.read', <RegionsIndex />),
      guarded('regions/:code', 'region.read', <RegionPage />),
      guarded('cases', 'case.read', <CasesPage />),
      guarded('cases/:id', 'case.read', <CaseDetailPage />),
      guarded('hotline', 'case.hotline', <HotlinePage />),
      guarded('auto-dispatch', 'case.autoDispatch.read', <AutoDispatchPage />),
      guarded('webhooks', 'webhook.manage', <WebhooksPage />),
      guarded('coverage', 'coverage.read', <CoveragePage />),
      guarded('alarms', 'alarm.read', <AlarmsPage />),
      guarded('departments', 'department.read', <DepartmentsPage />),
      guarded('categories', 'category.readAll', <CategoriesPage />),
      guarded('calendar', 'calendar.read', <CalendarPage />),
      guarded('users', 'user.read', <UsersPage />),
      guarded('audit', 'audit.read', <AuditPage />),
      guarded('rules', 'rule.read', <RulesPage />),
      guarded('devices', 'device.read', <DevicesPage />),
      guarded('devices/:id', 'device.read', <DeviceDetailPage />),
      guarded('ledger', 'ledger.read', <LedgerPage />),
      guarded('ledger/persons/:id', 'ledger.read', <PersonPage />),
      guarded('ledger/households/:id', 'ledger.read', <HouseholdPage />),
      guarded('ledger/dwellings/:id', 'ledger.read', <DwellingPage />),
      guarded('ledger/conflicts', 'ledger.read', <ConflictReviewPage />),
      guarded('ledger/authority', 'ledger.read', <AuthorityPage />),
      guarded('notices', 'notice.publish', <NoticesPage />),
      guarded('proposals', 'proposal.manage', <ProposalsPage />),
      guarded('volunteers', 'volunteer.manage', <VolunteersPage />),
      guarded('reports', 'reports.read', <ReportsPage />),
      guarded('services', 'services.read', <ServicesPage />),
      guarded('worklist', 'services.worklist', <WorklistPage />),
      { path: 'account', element: <AccountPage /> },
      guarded('ledger/matches', 'ledger.match.review', <MatchReview />),
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
