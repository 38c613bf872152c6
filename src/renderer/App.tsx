/**
 * The app: language and antd configuration, first-run setup, sign-in, idle lock and the routed
 * screens. A session that ends shows the login over the current screen and returns to it.
 */
import { App as AntApp, ConfigProvider, Result, Button, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { lazy, useCallback, useEffect, useState } from 'react';
import type { Locale } from '../shared/i18n';
import { configureClient, rpc, RpcFailure } from './api';
import { LoadBoundary } from './components/LoadBoundary';
import { LoginPage } from './features/login/LoginPage';
import { LocaleContext } from './i18n/messages';
import { SessionProvider, useSession, type SetupStatus } from './session';

// Loaded when needed: the first screen (sign-in) starts sooner without them.
const SetupPage = lazy(() => import('./features/setup/SetupPage').then((m) => ({ default: m.SetupPage })));
const SignedIn = lazy(() => import('./SignedIn'));

const LOCALE_KEY = 'relief-depot.locale';
const FONT = "'Microsoft YaHei', 'PingFang SC', 'Noto Sans CJK SC', 'Noto Sans SC', sans-serif";

export function initialLocale(): Locale {
  return localStorage.getItem(LOCALE_KEY) === 'en' ? 'en' : 'zh-CN';
}

/** `firstStatus`: the setup status, asked for before React first renders (main.tsx). */
export function App({ firstStatus }: { firstStatus: Promise<SetupStatus> }) {
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

  const show = useCallback((request: Promise<SetupStatus>) => {
    setError(null);
    request.then(setStatus, (e: unknown) => setError(e instanceof RpcFailure ? e.message : String(e)));
  }, []);
  const retry = () => show(rpc('setup.status'));
  useEffect(() => show(firstStatus), [show, firstStatus]);

  return (
    <LocaleContext.Provider value={{ locale, setLocale }}>
      <ConfigProvider
        locale={locale === 'en' ? enUS : zhCN}
        componentSize="middle"
        theme={{ token: { fontFamily: FONT, borderRadius: 4 } }}
      >
        <AntApp style={{ height: '100%' }}>
          {status ? (
            <SessionProvider status={status}>
              <Shell />
            </SessionProvider>
          ) : error ? (
            <Result
              status="warning"
              title={error}
              extra={<Button onClick={retry}>{locale === 'en' ? 'Retry' : '重试'}</Button>}
            />
          ) : (
            <Spin size="large" style={{ display: 'block', marginTop: '20vh' }} />
          )}
        </AntApp>
      </ConfigProvider>
    </LocaleContext.Provider>
  );
}

/** First run, sign-in, or the app: only the sign-in screen is in the first bundle. */
function Shell() {
  const { status, user } = useSession();
  if (status.needsSetup) {
    return (
      <LoadBoundary spinnerTop="20vh">
        <SetupPage />
      </LoadBoundary>
    );
  }
  if (!user) return <LoginPage />;

  return (
    <LoadBoundary spinnerTop="20vh">
      <SignedIn />
    </LoadBoundary>
  );
}
