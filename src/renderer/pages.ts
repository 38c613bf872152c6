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
  { path: '/dashboard', nav: 'navDashboard', group: 'groupWork', roles: EVERYONE, component: lazy(() => import('./features/dashboard/DashboardPage')) },
  { path: '/account/password', roles: EVERYONE, component: lazy(() => import('./features/account/ChangePasswordPage')) },
];

export const HOME = '/dashboard';
