/**
 * Every screen: its route, where it sits in the navigation, and who may see it. What a role
 * may not use is not shown (and the server refuses it anyway). Screens load on demand.
 */
import {
  AlertOutlined,
  AppstoreOutlined,
  AuditOutlined,
  BankOutlined,
  CarOutlined,
  CheckSquareOutlined,
  CloudDownloadOutlined,
  CloudUploadOutlined,
  ControlOutlined,
  DashboardOutlined,
  DatabaseOutlined,
  DeleteOutlined,
  ExportOutlined,
  FileExcelOutlined,
  FileTextOutlined,
  ImportOutlined,
  RollbackOutlined,
  SettingOutlined,
  SwapOutlined,
  TeamOutlined,
  UnorderedListOutlined,
} from '@ant-design/icons';
import { createElement, lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import type { Role } from '../shared/schemas/user';
import type { common } from './i18n/common';

type CommonKey = keyof (typeof common)['zh-CN'];

export interface PageDef {
  /** Route pattern; `:name` segments become params. */
  path: string;
  /** Shown in the navigation under `group` when set (detail routes have none). */
  nav?: CommonKey;
  group?: NavGroup;
  /** Every navigation item has one: the collapsed rail shows only icons. */
  icon?: ReactNode;
  roles: readonly Role[];
  component: LazyExoticComponent<ComponentType<{ params: Record<string, string> }>>;
}

export const NAV_GROUPS = [
  'groupWork',
  'groupStock',
  'groupAllocation',
  'groupReports',
  'groupSystem',
] as const;
export type NavGroup = (typeof NAV_GROUPS)[number];
/** The icon of each navigation group (the collapsed rail shows these). */
export const GROUP_ICONS: Record<NavGroup, ReactNode> = {
  groupWork: createElement(DashboardOutlined),
  groupStock: createElement(DatabaseOutlined),
  groupAllocation: createElement(CarOutlined),
  groupReports: createElement(FileExcelOutlined),
  groupSystem: createElement(SettingOutlined),
};

export const EVERYONE = ['admin', 'coordinator', 'keeper', 'staff'] as const;
export const STOCK_WRITERS = ['admin', 'coordinator', 'keeper'] as const;
export const SUPERVISORS = ['admin', 'coordinator'] as const;
export const ADMIN = ['admin'] as const;
export const COORDINATORS = ['coordinator'] as const;
/** Who files allocation requests (the contract's requesters). */
export const REQUESTERS = ['coordinator', 'keeper', 'staff'] as const;

export const pages: PageDef[] = [
  {
    path: '/dashboard',
    nav: 'navDashboard',
    icon: createElement(DashboardOutlined),
    group: 'groupWork',
    roles: EVERYONE,
    component: lazy(() => import('./features/dashboard/DashboardPage')),
  },
  {
    path: '/stock',
    nav: 'navStock',
    icon: createElement(DatabaseOutlined),
    group: 'groupStock',
    roles: EVERYONE,
    component: lazy(() => import('./features/stock/StockPage')),
  },
  {
    path: '/stock/batch/:id',
    roles: EVERYONE,
    component: lazy(() => import('./features/stock/StockCardPage')),
  },
  {
    path: '/receipt',
    nav: 'navReceipt',
    icon: createElement(ImportOutlined),
    group: 'groupStock',
    roles: STOCK_WRITERS,
    component: lazy(() => import('./features/receipt/ReceiptPage')),
  },
  {
    path: '/issue',
    nav: 'navIssue',
    icon: createElement(ExportOutlined),
    group: 'groupStock',
    roles: STOCK_WRITERS,
    component: lazy(() => import('./features/issue/IssuePage')),
  },
  {
    path: '/transfer',
    nav: 'navTransfer',
    icon: createElement(SwapOutlined),
    group: 'groupStock',
    roles: STOCK_WRITERS,
    component: lazy(() => import('./features/transfer/TransferPage')),
  },
  {
    path: '/scrap',
    nav: 'navScrap',
    icon: createElement(DeleteOutlined),
    group: 'groupStock',
    roles: STOCK_WRITERS,
    component: lazy(() => import('./features/scrap/ScrapPage')),
  },
  {
    path: '/reversal',
    nav: 'navReversal',
    icon: createElement(RollbackOutlined),
    group: 'groupStock',
    roles: STOCK_WRITERS,
    component: lazy(() => import('./features/reversal/ReversalPage')),
  },
  {
    path: '/stocktake',
    nav: 'navStocktake',
    icon: createElement(AuditOutlined),
    group: 'groupStock',
    roles: STOCK_WRITERS,
    component: lazy(() => import('./features/stocktake/StocktakeListPage')),
  },
  {
    path: '/stocktake/:id',
    roles: STOCK_WRITERS,
    component: lazy(() => import('./features/stocktake/StocktakePage')),
  },
  { path: '/warnings', roles: EVERYONE, component: lazy(() => import('./features/warnings/WarningsPage')) },
  {
    path: '/movements',
    nav: 'navMovements',
    icon: createElement(UnorderedListOutlined),
    group: 'groupStock',
    roles: EVERYONE,
    component: lazy(() => import('./features/movements/MovementsPage')),
  },
  {
    path: '/allocations',
    nav: 'navAllocations',
    icon: createElement(FileTextOutlined),
    group: 'groupAllocation',
    roles: EVERYONE,
    component: lazy(() => import('./features/allocation/AllocationListPage')),
  },
  {
    path: '/allocations/new',
    roles: REQUESTERS,
    component: lazy(() => import('./features/allocation/AllocationFormPage')),
  },
  {
    path: '/approvals',
    nav: 'navApprovals',
    icon: createElement(CheckSquareOutlined),
    group: 'groupAllocation',
    roles: COORDINATORS,
    component: lazy(() => import('./features/allocation/ApprovalsPage')),
  },
  {
    path: '/deliveries',
    nav: 'navDeliveries',
    icon: createElement(CarOutlined),
    group: 'groupAllocation',
    roles: EVERYONE,
    component: lazy(() => import('./features/delivery/DeliveryBoardPage')),
  },
  {
    path: '/incidents',
    nav: 'navIncidents',
    icon: createElement(AlertOutlined),
    group: 'groupAllocation',
    roles: EVERYONE,
    component: lazy(() => import('./features/incident/IncidentsPage')),
  },
  {
    path: '/incidents/:id',
    roles: EVERYONE,
    component: lazy(() => import('./features/incident/IncidentPage')),
  },
  {
    path: '/doc/:docNo',
    roles: EVERYONE,
    component: lazy(() => import('./features/documents/DocumentPage')),
  },
  {
    path: '/admin/materials',
    nav: 'navMaterials',
    icon: createElement(AppstoreOutlined),
    group: 'groupSystem',
    roles: ADMIN,
    component: lazy(() => import('./features/admin/MaterialsPage')),
  },
  {
    path: '/admin/depots',
    nav: 'navDepots',
    icon: createElement(BankOutlined),
    group: 'groupSystem',
    roles: ADMIN,
    component: lazy(() => import('./features/admin/DepotsPage')),
  },
  {
    path: '/admin/quotas',
    nav: 'navQuotas',
    icon: createElement(ControlOutlined),
    group: 'groupSystem',
    roles: ADMIN,
    component: lazy(() => import('./features/admin/QuotasPage')),
  },
  {
    path: '/admin/users',
    nav: 'navUsers',
    icon: createElement(TeamOutlined),
    group: 'groupSystem',
    roles: ADMIN,
    component: lazy(() => import('./features/admin/UsersPage')),
  },
  {
    path: '/reports/export',
    nav: 'navExport',
    icon: createElement(CloudDownloadOutlined),
    group: 'groupReports',
    roles: EVERYONE,
    component: lazy(() => import('./features/reports/ExportPage')),
  },
  {
    path: '/reports/import',
    nav: 'navImport',
    icon: createElement(CloudUploadOutlined),
    group: 'groupReports',
    roles: EVERYONE,
    component: lazy(() => import('./features/reports/ImportPage')),
  },
  {
    path: '/admin/settings',
    nav: 'navSettings',
    icon: createElement(SettingOutlined),
    group: 'groupSystem',
    roles: ADMIN,
    component: lazy(() => import('./features/admin/SettingsPage')),
  },
  {
    path: '/account/password',
    roles: EVERYONE,
    component: lazy(() => import('./features/account/ChangePasswordPage')),
  },
];

export const HOME = '/dashboard';
