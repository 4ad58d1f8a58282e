import type { RouteObject } from 'react-router';
import { NotFoundPage } from '../../components/StatusPages.tsx';
import { NoticeScreen, NoticesScreen, PointsScreen, ProposalScreen, ProposalsScreen, ProposeScreen } from '../civic/ResidentCivic.tsx';
import { Messages } from './Messages.tsx';
import { MyReports } from './MyReports.tsx';
import { ReportDetail } from './ReportDetail.tsx';
import { ReportDone } from './ReportDone.tsx';
import { ReportFlow } from './ReportFlow.tsx';
import { ResidentHome } from './ResidentHome.tsx';
import { ResidentRoot } from './ResidentRoot.tsx';
import { ServiceMenu } from './ServiceMenu.tsx';

/** The resident app's route tree, mounted at /m next to the console's. */
export const residentRoutes: RouteObject = {
  path: '/m',
  element: <ResidentRoot />,
  children: [
    { index: true, element: <ResidentHome /> },
    { path: 'report', element: <ReportFlow /> },
    { path: 'report/done', element: <ReportDone /> },
    { path: 'reports', element: <MyReports /> },
    { path: 'reports/:id', element: <ReportDetail /> },
    { path: 'messages', element: <Messages /> },
    { path: 'notices', element: <NoticesScreen /> },
    { path: 'notices/:id', element: <NoticeScreen /> },
    { path: 'proposals', element: <ProposalsScreen /> },
    { path: 'proposals/new', element: <ProposeScreen /> },
    { path: 'proposals/:id', element: <ProposalScreen /> },
    { path: 'points', element: <PointsScreen /> },
    { path: 'services', element: <ServiceMenu /> },
    { path: '*', element: <NotFoundPage /> },
  ],
};
