/** The shell: collapsible grouped navigation, top bar (user, role, depots, language, sign out), demo banner. */
import { Alert, Button, Layout, Menu, Segmented, Space, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useLocale, useMessages, useTerms } from '../i18n/messages';
import { common } from '../i18n/common';
import { href } from '../router';
import { GROUP_ICONS, NAV_GROUPS, pages } from '../pages';
import { useSession } from '../session';

const { Header, Sider, Content } = Layout;

export function AppLayout({ currentPath, children }: { currentPath: string; children: ReactNode }) {
  const t = useMessages(common);
  const terms = useTerms();
  const { locale, setLocale } = useLocale();
  const { user, status, depots, can, signOut } = useSession();
  const [collapsed, setCollapsed] = useState(false);

  const items = useMemo(
    () =>
      NAV_GROUPS.map((group) => {
        const children = pages
          .filter((p) => p.group === group && p.nav && can(p.roles))
          .map((p) => ({ key: p.path, icon: p.icon, label: <a href={href(p.path)}>{t(p.nav!)}</a> }));
        // 工作台 is one item: no group to fold.
        if (group === 'groupWork') return children[0] ?? null;
        return children.length > 0
          ? { key: group, icon: GROUP_ICONS[group], label: t(group), children }
          : null;
      }).filter((g) => g !== null),
    [can, t],
  );
  const current = pages.find(
    (p) => p.nav && (currentPath === p.path || currentPath.startsWith(`${p.path}/`)),
  );
  const selected = current?.path;
  // One group open at a time, the current screen's (stock on the dashboard): the others fold, so
  // the longest menu (the administrator's) fits 768 px.
  const home = current?.group && current.group !== 'groupWork' ? current.group : 'groupStock';
  const [openGroups, setOpenGroups] = useState<string[]>([home]);
  useEffect(() => setOpenGroups([home]), [home]);
  const myDepots =
    user?.role === 'keeper' ? depots.filter((d) => user.depotIds.includes(d.depotId)).map((d) => d.name) : [];

  return (
    <Layout style={{ minHeight: '100%' }}>
      <Sider
        collapsible
        collapsed={collapsed}
        onCollapse={setCollapsed}
        width={176}
        theme="light"
        className="no-print"
        style={{ position: 'sticky', top: 0, height: '100vh' }}
      >
        <div
          style={{
            height: 48,
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'center',
            fontWeight: 600,
            fontSize: 15,
            color: '#1677ff',
            letterSpacing: 2,
          }}
        >
          {t('brandShort')}
        </div>
        {/* The menu scrolls on its own, between the brand and the collapse trigger (48px each). */}
        <div style={{ height: 'calc(100vh - 96px)', overflowY: 'auto' }}>
          <Menu
            mode="inline"
            items={items}
            selectedKeys={selected ? [selected] : []}
            openKeys={collapsed ? undefined : openGroups}
            onOpenChange={(keys) => setOpenGroups(keys.filter((k) => !openGroups.includes(k)).slice(-1))}
            data-testid="nav"
          />
        </div>
      </Sider>
      <Layout>
        <Header
          className="no-print"
          style={{
            background: '#fff',
            padding: '0 16px',
            height: 48,
            lineHeight: '48px',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            borderBottom: '1px solid #f0f0f0',
          }}
        >
          <Typography.Text strong style={{ fontSize: 15 }}>
            {t('appName')}
          </Typography.Text>
          <Space size="middle">
            <span data-testid="current-user">
              {user?.displayName} <Tag color="blue">{user ? terms(`role.${user.role}`) : ''}</Tag>
            </span>
            {myDepots.length > 0 && (
              <Typography.Text type="secondary">
                {t('depotsOf', { depots: myDepots.join('、') })}
              </Typography.Text>
            )}
            <Segmented
              size="small"
              aria-label={t('language')}
              value={locale}
              onChange={(v) => setLocale(v as typeof locale)}
              options={[
                { label: '中文', value: 'zh-CN' },
                { label: 'English', value: 'en' },
              ]}
            />
            <a href={href('/account/password')}>{t('changePassword')}</a>
            <Button size="small" onClick={() => void signOut()}>
              {t('signOut')}
            </Button>
          </Space>
        </Header>
        {status.demo && (
          <Alert
            banner
            type="warning"
            message={t('demoBanner')}
            data-testid="demo-banner"
            className="no-print"
          />
        )}
        <Content style={{ padding: 16, minWidth: 0 }}>{children}</Content>
      </Layout>
    </Layout>
  );
}
