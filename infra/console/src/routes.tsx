/**
 * Every screen of the console, in one registry: its path (a hash route), who may open it,
 * and whether the navigation lists it. The header's navigation and the router both read
 * this list, so a screen added here appears for its roles and nowhere else.
 */
import type { JSX } from 'preact';
import type { Role } from './session.ts';
import { CommunityHome } from './pages/CommunityHome.tsx';
import { NeedsPage } from './pages/Needs.tsx';
import { EditProjectPage, NewProjectPage } from './pages/NewProject.tsx';
import { ProjectPage } from './pages/Project.tsx';
import { ProjectsPage } from './pages/Projects.tsx';
import { StreetHome } from './pages/StreetHome.tsx';
import { AllocationsPage } from './pages/Allocations.tsx';
import { AuditorHome } from './pages/AuditorHome.tsx';
import { CalendarsPage } from './pages/Calendars.tsx';
import { ChangeRequestsPage } from './pages/ChangeRequests.tsx';
import { DistrictHome } from './pages/DistrictHome.tsx';
import { DossierPage } from './pages/Dossier.tsx';
import { UndertakersPage } from './pages/Undertakers.tsx';
import { YearEndPage } from './pages/YearEnd.tsx';

export interface RouteProps {
  params: Record<string, string>;
  query: URLSearchParams;
}

export interface RouteEntry {
  /** The hash path, with `:name` parameters. */
  path: string;
  /** The page's title (the document title and, when `nav`, the nav label). */
  title: string;
  roles: Role[];
  /** Listed in the header's navigation for these roles. */
  nav?: boolean;
  component: (props: RouteProps) => JSX.Element;
}

const STAFF: Role[] = ['district', 'street', 'community', 'auditor'];

/** Home is the role's work queue; `/` resolves to the first home entry the role may open. */
export const ROUTES: RouteEntry[] = [
  { path: '/', title: '待办工作', roles: ['street'], nav: true, component: StreetHome },
  { path: '/', title: '本社区项目', roles: ['community'], nav: true, component: CommunityHome },
  { path: '/', title: '区级工作台', roles: ['district'], nav: true, component: DistrictHome },
  { path: '/', title: '审计工作台', roles: ['auditor'], nav: true, component: AuditorHome },
  { path: '/projects', title: '全部项目', roles: STAFF, nav: true, component: ProjectsPage },
  { path: '/projects/new', title: '新建项目', roles: ['community'], nav: true, component: NewProjectPage },
  { path: '/needs', title: '三个清单', roles: ['community', 'street'], nav: true, component: NeedsPage },
  { path: '/projects/:id', title: '项目详情', roles: STAFF, component: ProjectPage },
  { path: '/projects/:id/dossier', title: '项目档案', roles: STAFF, component: DossierPage },
  { path: '/allocations', title: '经费分配', roles: ['district'], nav: true, component: AllocationsPage },
  { path: '/change-requests', title: '变更申请', roles: ['district'], nav: true, component: ChangeRequestsPage },
  { path: '/undertakers', title: '承接方', roles: ['district'], nav: true, component: UndertakersPage },
  { path: '/calendars', title: '节假日', roles: ['district'], nav: true, component: CalendarsPage },
  { path: '/year-end', title: '年终清算', roles: ['district', 'auditor'], nav: true, component: YearEndPage },
  { path: '/projects/:id/edit', title: '修改项目', roles: ['community'], component: EditProjectPage },
];
