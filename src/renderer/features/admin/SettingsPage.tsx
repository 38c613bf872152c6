/**
 * 系统设置 (admin): settings every workstation follows. For now the idle lock: the screen locks
 * after so many minutes without keyboard or mouse (0 = never). Takes effect at once here and at
 * the next start elsewhere.
 */
import { Alert, App, Button, Card, Form, InputNumber, Space, Spin } from 'antd';
import { useEffect, useState } from 'react';
import type { AppSettings } from '../../../shared/schemas/settings';
import { newIdempotencyKey, rpc, RpcFailure } from '../../api';
import { EnterNavigation } from '../../components/EnterNavigation';
import { applyServerErrors } from '../../components/serverErrors';
import { common } from '../../i18n/common';
import { defineMessages, useMessages } from '../../i18n/messages';
import { useSession } from '../../session';

const messages = defineMessages(
  {
    title: '系统设置',
    idleLock: '无操作自动锁屏',
    minutes: '分钟',
    idleLockHint: '超过这么多分钟没有键盘或鼠标操作，屏幕锁定，需输入密码解锁；填 0 表示不自动锁屏。',
    saved: '设置已保存',
  },
  {
    title: 'Settings',
    idleLock: 'Lock the screen when idle',
    minutes: 'minutes',
    idleLockHint:
      'After this many minutes without keyboard or mouse input the screen locks and asks for the password; 0 means never.',
    saved: 'Settings saved',
  },
);

export default function SettingsPage() {
  const t = useMessages(messages);
  const c = useMessages(common);
  const { message } = App.useApp();
  const { refreshStatus } = useSession();
  const [form] = Form.useForm<AppSettings>();
  const [settings, setSettings] = useState<AppSettings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    rpc('settings.get').then(setSettings, (e: unknown) =>
      setError(e instanceof RpcFailure ? e.message : String(e)),
    );
  }, []);

  const submit = async () => {
    let values: AppSettings;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const saved = await rpc('settings.update', values, { idempotencyKey: newIdempotencyKey() });
      setSettings(saved);
      form.setFieldsValue(saved);
      await refreshStatus(); // the idle lock on this screen follows at once
      void message.success(t('saved'));
    } catch (e) {
      setError(applyServerErrors(form, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t('title')} style={{ maxWidth: 560 }}>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      {settings === null ? (
        !error && <Spin />
      ) : (
        <EnterNavigation onSubmit={() => void submit()}>
          <Form form={form} layout="vertical" initialValues={settings}>
            <Form.Item
              name="idleLockMinutes"
              label={t('idleLock')}
              extra={t('idleLockHint')}
              rules={[{ required: true, message: c('required') }]}
            >
              <InputNumber<number>
                min={0}
                max={24 * 60}
                precision={0}
                suffix={t('minutes')}
                style={{ width: 180 }}
                autoFocus
              />
            </Form.Item>
            <Space>
              <Button type="primary" loading={busy} onClick={() => void submit()}>
                {c('save')}
              </Button>
            </Space>
          </Form>
        </EnterNavigation>
      )}
    </Card>
  );
}
