/** Sign in. Over a screen whose session ended, it shows as a dialog and returns to that screen. */
import { Alert, Button, Card, Form, Input, Modal, Table, Typography } from 'antd';
import { useState } from 'react';
import { rpc, RpcFailure } from '../../api';
import { common } from '../../i18n/common';
import { defineMessages, useMessages, useTerms } from '../../i18n/messages';
import { useSession } from '../../session';

const messages = defineMessages(
  {
    title: '登录',
    username: '用户名',
    password: '密码',
    signIn: '登录',
    demoAccounts: '演示账号（点击填入）',
    role: '角色',
  },
  {
    title: 'Sign in',
    username: 'User name',
    password: 'Password',
    signIn: 'Sign in',
    demoAccounts: 'Demo accounts (click to fill in)',
    role: 'Role',
  },
);

export function LoginPage({ overlay = false }: { overlay?: boolean }) {
  const t = useMessages(messages);
  const c = useMessages(common);
  const terms = useTerms();
  const { status, signedIn, user } = useSession();
  const [form] = Form.useForm<{ username: string; password: string }>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (values: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      await signedIn(await rpc('auth.login', values));
    } catch (e) {
      setError(e instanceof RpcFailure ? e.message : String(e));
      form.setFieldValue('password', '');
    } finally {
      setBusy(false);
    }
  };

  const body = (
    <Form
      form={form}
      layout="vertical"
      onFinish={submit}
      initialValues={{ username: overlay ? user?.username : '' }}
      requiredMark={false}
    >
      {overlay && (
        <Alert type="warning" showIcon message={c('sessionExpired')} style={{ marginBottom: 16 }} />
      )}
      {error && (
        <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="login-error" />
      )}
      <Form.Item name="username" label={t('username')} rules={[{ required: true, message: c('required') }]}>
        <Input autoFocus={!overlay} autoComplete="username" />
      </Form.Item>
      <Form.Item name="password" label={t('password')} rules={[{ required: true, message: c('required') }]}>
        <Input.Password autoFocus={overlay} autoComplete="current-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={busy}>
        {t('signIn')}
      </Button>
    </Form>
  );

  if (overlay) {
    return (
      <Modal
        open
        title={t('title')}
        footer={null}
        closable={false}
        maskClosable={false}
        keyboard={false}
        width={380}
      >
        {body}
      </Modal>
    );
  }

  return (
    <div style={{ minHeight: '100%', display: 'flex', flexDirection: 'column' }}>
      {status.demo && <Alert banner type="warning" message={c('demoBanner')} data-testid="demo-banner" />}
      <div
        style={{
          flex: 1,
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'center',
          gap: 24,
          flexWrap: 'wrap',
          padding: 24,
        }}
      >
        <Card
          title={
            <Typography.Title level={4} style={{ margin: 0 }}>
              {c('appName')}
            </Typography.Title>
          }
          style={{ width: 360 }}
        >
          {body}
        </Card>
        {status.demo && status.demoAccounts.length > 0 && (
          <Card title={t('demoAccounts')} style={{ width: 360 }} size="small">
            <Table
              size="small"
              pagination={false}
              rowKey="username"
              dataSource={status.demoAccounts}
              onRow={(a) => ({
                onClick: () => form.setFieldsValue({ username: a.username, password: a.password }),
                style: { cursor: 'pointer' },
              })}
              columns={[
                { title: t('username'), dataIndex: 'username' },
                { title: t('password'), dataIndex: 'password' },
                { title: t('role'), dataIndex: 'role', render: (r: 'admin') => terms(`role.${r}`) },
              ]}
            />
          </Card>
        )}
      </div>
    </div>
  );
}
