/**
 * The signed-in app: the layout with its menu, the routed screen (if the role may see it), the
 * login over the current screen when the session ends, and the idle lock.
 */
import { Button, Result } from 'antd';
import { AppLayout } from './components/AppLayout';
import { LoadBoundary } from './components/LoadBoundary';
import { IdleLock } from './components/IdleLock';
import { LoginPage } from './features/login/LoginPage';
import { common } from './i18n/common';
import { useMessages } from './i18n/messages';
import { HOME, pages } from './pages';
import { matchPath, useRoute } from './router';
import { useSession } from './session';

export default function SignedIn() {
  const { expired, can } = useSession();
  const route = useRoute();
  const t = useMessages(common);

  const path = route.path === '/' ? HOME : route.path;
  let params: Record<string, string> | null = null;
  const page = pages.find((p) => (params = matchPath(p.path, path)) !== null);
  const allowed = page && can(page.roles);
  const Page = page?.component;

  return (
    <AppLayout currentPath={path}>
      {allowed && Page ? (
        // Keyed by path: switching screens starts each fresh (a failed load too); the same screen
        // keeps its state across a re-login.
        <LoadBoundary key={path}>
          <Page params={params ?? {}} />
        </LoadBoundary>
      ) : (
        <Result
          status="404"
          title={t('notFoundPage')}
          extra={<Button href={`#${HOME}`}>{t('backHome')}</Button>}
        />
      )}
      {expired && <LoginPage overlay />}
      <IdleLock />
    </AppLayout>
  );
}
