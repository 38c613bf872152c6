/**
 * The drawer every add / edit form lives in: the form (Enter moves on, submits on the last
 * field), one safe submission at a time with an idempotency key (usePosting), the server's
 * errors on the fields they name and the rest above the form, nothing typed ever lost.
 */
import { Alert, Button, Drawer, Form, Space, type FormInstance } from 'antd';
import type { ReactNode } from 'react';
import { common } from '../i18n/common';
import { useMessages } from '../i18n/messages';
import { EnterNavigation } from './EnterNavigation';
import { applyServerErrors } from './serverErrors';
import { usePosting } from './usePosting';

export function EntityDrawer<V extends object, R>({
  title,
  form,
  initialValues,
  save,
  onSaved,
  onClose,
  onValuesChange,
  submitLabel,
  size = 560,
  testId,
  children,
}: {
  title: ReactNode;
  form: FormInstance<V>;
  initialValues: Partial<V>;
  /** Sends the validated values; the key makes a retry safe. */
  save: (values: V, idempotencyKey: string) => Promise<R>;
  onSaved: (result: R) => void | Promise<void>;
  onClose: () => void;
  onValuesChange?: (changed: Partial<V>, all: V) => void;
  submitLabel?: string;
  size?: number;
  testId?: string;
  children: ReactNode;
}) {
  const c = useMessages(common);
  const posting = usePosting();

  const submit = async () => {
    let values: V;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const saved = await posting.post(
      (key) => save(values, key),
      (e) => applyServerErrors(form, e),
    );
    if (saved !== undefined) await onSaved(saved);
  };

  return (
    <Drawer
      open
      size={size}
      title={title}
      onClose={onClose}
      destroyOnHidden
      footer={
        <Space style={{ width: '100%', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>{c('cancel')}</Button>
          <Button type="primary" loading={posting.posting} onClick={() => void submit()}>
            {submitLabel ?? c('save')}
          </Button>
        </Space>
      }
    >
      {posting.alert && <Alert type="error" showIcon title={posting.alert} style={{ marginBottom: 16 }} />}
      <EnterNavigation onSubmit={() => void submit()}>
        <Form<V>
          form={form}
          layout="vertical"
          initialValues={initialValues}
          data-testid={testId}
          onValuesChange={(changed: Partial<V>, all: V) => {
            posting.changed();
            onValuesChange?.(changed, all);
          }}
        >
          {children}
        </Form>
      </EnterNavigation>
    </Drawer>
  );
}
