/** First run on an empty store: create the administrator, or open the demo data set. */
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { rpc } from '../../api';
import { applyServerErrors } from '../../components/serverErrors';
import { common } from '../../i18n/common';
import { defineMessages, useMessages } from '../../i18n/messages';
import { useSession } from '../../session';
import { ConfirmPasswordItem } from '../../components/ConfirmPasswordItem';

const messages = defineMessages(
  {
    welcome: '欢迎使用。这是一个新的数据库，请选择：',
    createTitle: '创建管理员账号',
    createHint: '正式使用：创建第一个管理员，然后在「系统管理」中建立储备库、物资目录和用户。',
    username: '用户名',
    displayName: '姓名',
    password: '密码',
    confirmPassword: '确认密码',
    create: '创建并登录',
    demoTitle: '打开演示数据',
    demoHint: '试用与培训：载入青岛市及各区(市)储备库的演示数据（每个页面都会标注「演示数据」）。',
    loadDemo: '载入演示数据',
  },
  {
    welcome: 'Welcome. This is a new database; choose one:',
    createTitle: 'Create the administrator',
    createHint:
      'For real use: create the first administrator, then set up depots, the catalogue and users under System.',
    username: 'User name',
    displayName: 'Name',
    password: 'Password',
    confirmPassword: 'Confirm password',
    create: 'Create and sign in',
    demoTitle: 'Open the demo data',
    demoHint:
      "For trying out and training: load demo data for Qingdao's depots (every screen is marked Demo data).",
    loadDemo: 'Load the demo data',
  },
);

interface AdminForm {
  username: string;
  displayName: string;
  password: string;
  confirm: string;
}

export function SetupPage() {
  const t = useMessages(messages);
  const c = useMessages(common);
  const { signedIn, refreshStatus } = useSession();
  const [form] = Form.useForm<AdminForm>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'create' | 'demo' | null>(null);

  const create = async ({ confirm: _confirm, ...values }: AdminForm) => {
    setBusy('create');
    setError(null);
    try {
      const result = await rpc('setup.createAdmin', values);
      await refreshStatus();
      await signedIn(result);
    } catch (e) {
      setError(applyServerErrors(form, e));
    } finally {
      setBusy(null);
    }
  };

  const loadDemo = async () => {
    setBusy('demo');
    setError(null);
    try {
      await rpc('setup.loadDemo');
      await refreshStatus();
    } catch (e) {
      setError(applyServerErrors(form, e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <div style={{ maxWidth: 860, margin: '48px auto', padding: 16 }}>
      <Typography.Title level={3}>{c('appName')}</Typography.Title>
      <Typography.Paragraph>{t('welcome')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <div style={{ display: 'flex', gap: 24, flexWrap: 'wrap' }}>
        <Card title={t('createTitle')} style={{ flex: '1 1 360px' }}>
          <Typography.Paragraph type="secondary">{t('createHint')}</Typography.Paragraph>
          <Form form={form} layout="vertical" onFinish={create}>
            <Form.Item
              name="username"
              label={t('username')}
              rules={[{ required: true, message: c('required') }]}
            >
              <Input autoFocus autoComplete="username" />
            </Form.Item>
            <Form.Item
              name="displayName"
              label={t('displayName')}
              rules={[{ required: true, message: c('required') }]}
            >
              <Input />
            </Form.Item>
            <Form.Item
              name="password"
              label={t('password')}
              rules={[{ required: true, message: c('required') }]}
            >
              <Input.Password autoComplete="new-password" />
            </Form.Item>
            <ConfirmPasswordItem of="password" label={t('confirmPassword')} />
            <Button type="primary" htmlType="submit" loading={busy === 'create'} disabled={busy !== null}>
              {t('create')}
            </Button>
          </Form>
        </Card>
        <Card title={t('demoTitle')} style={{ flex: '1 1 300px' }}>
          <Typography.Paragraph type="secondary">{t('demoHint')}</Typography.Paragraph>
          <Button onClick={() => void loadDemo()} loading={busy === 'demo'} disabled={busy !== null}>
            {t('loadDemo')}
          </Button>
        </Card>
      </div>
    </div>
  );
}
