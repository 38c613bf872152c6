/**
 * The app: language and antd configuration, first-run setup, sign-in, idle lock and the routed
 * screens. A session that ends shows the login over the current screen and returns to it.
 */
import { App as AntApp, ConfigProvider, Result, Button, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { Suspense, useCallback, useEffect, useState } from 'react';
import type { Locale } from '../shared/i18n';
import { configureClient, rpc, RpcFailure } from './api';
import { AppLayout } from './components/AppLayout';
import { IdleLock } from './components/IdleLock';
import { LoginPage } from './features/login/LoginPage';
import { SetupPage } from './features/setup/SetupPage';
import { common } from './i18n/common';
import { LocaleContext, useMessages } from './i18n/messages';
import { HOME, pages } from './pages';
import { matchPath, useRoute } from './router';
import { SessionProvider, useSession, type SetupStatus } from './session';

const LOCALE_KEY = 'relief-depot.locale';
const FONT = "'Microsoft YaHei', 'PingFang SC', 'Noto Sans CJK SC', 'Noto Sans SC', sans-serif";

function initialLocale(): Locale {
  return localStorage.getItem(LOCALE_KEY) === 'en' ? 'en' : 'zh-CN';
}

export function App() {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const [status, setStatus] = useState<SetupStatus | null>(null);
  const [error, setError] = useState<string | null>(null);

  const setLocale = useCallback((next: Locale) => {
    localStorage.setItem(LOCALE_KEY, next);
    setLocaleState(next);
  }, []);

  useEffect(() => {
    configureClient({ locale });
    dayjs.locale(locale === 'en' ? 'en' : 'zh-cn');
    document.documentElement.lang = locale;
  }, [locale]);

  const load = useCallback(() => {
    setError(null);
    rpc('setup.status').then(setStatus, (e: unknown) => setError(e instanceof RpcFailure ? e.message : String(e)));
  }, []);
  useEffect(load, [load]);

  return (
    <LocaleContext.Provider value={{ locale, setLocale }}>
      <ConfigProvider locale={locale === 'en' ? enUS : zhCN} componentSize="middle" theme={{ token: { fontFamily: FONT, borderRadius: 4 } }}>
        <AntApp style={{ height: '100%' }}>
          {status ? (
            <SessionProvider status={status}>
              <Shell />
            </SessionProvider>
          ) : error ? (
            <Result status="warning" title={error} extra={<Button onClick={load}>{locale === 'en' ? 'Retry' : '重试'}</Button>} />
          ) : (
            <Spin size="large" style={{ display: 'block', marginTop: '20vh' }} />
          )}
        </AntApp>
      </ConfigProvider>
    </LocaleContext.Provider>
  );
}

function Shell() {
  const { status, user, expired, can } = useSession();
  const route = useRoute();
  const t = useMessages(common);

  if (status.needsSetup) return <SetupPage />;
  if (!user) return <LoginPage />;

  const path = route.path === '/' ? HOME : route.path;
  let params: Record<string, string> | null = null;
  const page = pages.find((p) => (params = matchPath(p.path, path)) !== null);
  const allowed = page && can(page.roles);
  const Page = page?.component;

  return (
    <AppLayout currentPath={path}>
      {allowed && Page ? (
        <Suspense fallback={<Spin style={{ display: 'block', marginTop: 80 }} />}>
          {/* keyed by path: switching screens starts each fresh; the same screen keeps its state across a re-login */}
          <Page key={path} params={params ?? {}} />
        </Suspense>
      ) : (
        <Result status="404" title={t('notFoundPage')} extra={<Button href={`#${HOME}`}>{t('backHome')}</Button>} />
      )}
      {expired && <LoginPage overlay />}
      <IdleLock />
    </AppLayout>
  );
}
