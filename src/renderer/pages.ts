/**
 * Every screen: its route, where it sits in the navigation, and who may see it. What a role
 * may not use is not shown (and the server refuses it anyway). Screens load on demand.
 */
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { Role } from '../shared/schemas/user';
import type { common } from './i18n/common';

type CommonKey = keyof (typeof common)['zh-CN'];

export interface PageDef {
  /** Route pattern; `:name` segments become params. */
  path: string;
  /** Shown in the navigation under `group` when set (detail routes have none). */
  nav?: CommonKey;
  group?: 'groupWork' | 'groupStock' | 'groupSystem';
  roles: readonly Role[];
  component: LazyExoticComponent<ComponentType<{ params: Record<string, string> }>>;
}

export const EVERYONE = ['admin', 'coordinator', 'keeper', 'staff'] as const;
export const STOCK_WRITERS = ['admin', 'coordinator', 'keeper'] as const;
export const SUPERVISORS = ['admin', 'coordinator'] as const;
export const ADMIN = ['admin'] as const;

export const pages: PageDef[] = [
  {
    path: '/dashboard',
    nav: 'navDashboard',
    group: 'groupWork',
    roles: EVERYONE,
    component: lazy(() => import('./features/dashboard/DashboardPage')),
  },
  {
    path: '/stock',
    nav: 'navStock',
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
    group: 'groupStock',
    roles: STOCK_WRITERS,
    component: lazy(() => import('./features/receipt/ReceiptPage')),
  },
  {
    path: '/issue',
    nav: 'navIssue',
    group: 'groupStock',
    roles: STOCK_WRITERS,
    component: lazy(() => import('./features/issue/IssuePage')),
  },
  {
    path: '/transfer',
    nav: 'navTransfer',
    group: 'groupStock',
    roles: STOCK_WRITERS,
    component: lazy(() => import('./features/transfer/TransferPage')),
  },
  {
    path: '/scrap',
    nav: 'navScrap',
    group: 'groupStock',
    roles: STOCK_WRITERS,
    component: lazy(() => import('./features/scrap/ScrapPage')),
  },
  {
    path: '/reversal',
    nav: 'navReversal',
    group: 'groupStock',
    roles: STOCK_WRITERS,
    component: lazy(() => import('./features/reversal/ReversalPage')),
  },
  {
    path: '/stocktake',
    nav: 'navStocktake',
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
    group: 'groupStock',
    roles: EVERYONE,
    component: lazy(() => import('./features/movements/MovementsPage')),
  },
  {
    path: '/admin/materials',
    nav: 'navMaterials',
    group: 'groupSystem',
    roles: ADMIN,
    component: lazy(() => import('./features/admin/MaterialsPage')),
  },
  {
    path: '/admin/depots',
    nav: 'navDepots',
    group: 'groupSystem',
    roles: ADMIN,
    component: lazy(() => import('./features/admin/DepotsPage')),
  },
  {
    path: '/admin/quotas',
    nav: 'navQuotas',
    group: 'groupSystem',
    roles: ADMIN,
    component: lazy(() => import('./features/admin/QuotasPage')),
  },
  {
    path: '/admin/users',
    nav: 'navUsers',
    group: 'groupSystem',
    roles: ADMIN,
    component: lazy(() => import('./features/admin/UsersPage')),
  },
  {
    path: '/admin/settings',
    nav: 'navSettings',
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
