/** Change one's own password (other sessions of the user end; this one stays). */
import { Alert, Button, Card, Form, Input, Result } from 'antd';
import { useState } from 'react';
import { rpc } from '../../api';
import { applyServerErrors } from '../../components/serverErrors';
import { common } from '../../i18n/common';
import { defineMessages, useMessages } from '../../i18n/messages';
import { ConfirmPasswordItem } from '../../components/ConfirmPasswordItem';

const messages = defineMessages(
  {
    title: '修改密码',
    current: '当前密码',
    next: '新密码',
    confirm: '确认新密码',
    hint: '至少 8 位，包含字母和数字',
    done: '密码已修改',
  },
  {
    title: 'Change password',
    current: 'Current password',
    next: 'New password',
    confirm: 'Confirm new password',
    hint: 'At least 8 characters with letters and digits',
    done: 'Password changed',
  },
);

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

export default function ChangePasswordPage() {
  const t = useMessages(messages);
  const c = useMessages(common);
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);

  const submit = async ({ confirm: _confirm, ...values }: Values) => {
    setError(null);
    try {
      await rpc('auth.changePassword', values);
      setDone(true);
    } catch (e) {
      setError(applyServerErrors(form, e));
    }
  };

  if (done) return <Result status="success" title={t('done')} />;
  return (
    <Card title={t('title')} style={{ maxWidth: 420 }}>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item
          name="currentPassword"
          label={t('current')}
          rules={[{ required: true, message: c('required') }]}
        >
          <Input.Password autoFocus autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('next')}
          extra={t('hint')}
          rules={[{ required: true, message: c('required') }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <ConfirmPasswordItem of="newPassword" label={t('confirm')} />
        <Button type="primary" htmlType="submit">
          {c('save')}
        </Button>
      </Form>
    </Card>
  );
}
