/**
 * The second entry of a new password (`confirm`), which must match the field it confirms:
 * first-run set-up, a new user, a reset and one's own change all ask for it the same way.
 */
import { Form, Input } from 'antd';
import { common } from '../i18n/common';
import { defineMessages, useMessages } from '../i18n/messages';

const messages = defineMessages({ differ: '两次输入的密码不一致' }, { differ: 'The two passwords differ' });

export function ConfirmPasswordItem({ of, label }: { of: string; label: string }) {
  const t = useMessages(messages);
  const c = useMessages(common);
  return (
    <Form.Item
      name="confirm"
      label={label}
      dependencies={[of]}
      rules={[
        { required: true, message: c('required') },
        ({ getFieldValue }) => ({
          validator: (_, v) =>
            v === getFieldValue(of) ? Promise.resolve() : Promise.reject(new Error(t('differ'))),
        }),
      ]}
    >
      <Input.Password autoComplete="new-password" />
    </Form.Item>
  );
}
