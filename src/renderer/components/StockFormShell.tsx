/**
 * What the stock entry screens (入库, 出库, 移库, 报废) share on screen: the page frame with its
 * title and keyboard hint, the alert for problems no field shows, the restored-draft notice, the
 * form with Enter navigation, today's date, the note and submit row, and the posted document's date.
 */
import { Alert, Button, Card, Col, Form, Input, Row, Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import { formatTime, totalsByUnit } from '../format';
import { defineMessages, useMessages } from '../i18n/messages';
import { EnterNavigation } from './EnterNavigation';
import { today } from './StockCells';
import type { DocumentValues, StockForm } from './useStockForm';

const shellMessages = defineMessages(
  {
    draftRestored: '已恢复上次未提交的内容。',
    discard: '清空重填',
    keyboard: 'Enter 下一项 · 扫码枪扫物资编码后自动跳到下一项 · 末行空行按 Enter 离开明细 · Ctrl+Enter 提交',
    note: '备注',
    summary: '{lines} 行 · 合计 {qty}',
    summaryAmount: '{lines} 行 · 合计 {qty} · 金额 {amount}',
  },
  {
    draftRestored: 'What you had not yet submitted has been restored.',
    discard: 'Start over',
    keyboard:
      'Enter: next field · a scanned material code moves on by itself · Enter on the blank last line leaves the lines · Ctrl+Enter submits',
    note: 'Notes',
    summary: '{lines} lines · total {qty}',
    summaryAmount: '{lines} lines · total {qty} · amount {amount}',
  },
);

interface Props<V extends DocumentValues<L>, L, R> {
  title: string;
  extra?: ReactNode;
  /** The document (useStockForm): its form, draft, alert and next-document action. */
  doc: StockForm<V, L, R>;
  onValuesChange: (changed: Partial<V>) => void;
  onSubmit: () => void;
  /** The confirmation once posted (outside the form, so Enter there is its own). */
  posted: ReactNode;
  children: ReactNode;
}

export function StockFormShell<V extends DocumentValues<L>, L, R>({
  title,
  extra,
  doc,
  onValuesChange,
  onSubmit,
  posted,
  children,
}: Props<V, L, R>) {
  const t = useMessages(shellMessages);
  const { form, posting } = doc;
  return (
    <Card
      size="small"
      title={
        <Space size="middle" align="baseline">
          <Typography.Title level={4} style={{ margin: 0 }}>
            {title}
          </Typography.Title>
          <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal' }}>
            {t('keyboard')}
          </Typography.Text>
        </Space>
      }
      extra={extra}
      className="stock-form"
    >
      {doc.draftRestored && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('draftRestored')}
          action={
            <Button size="small" onClick={doc.startNew}>
              {t('discard')}
            </Button>
          }
        />
      )}
      {posting.alert && (
        <Alert
          type="error"
          showIcon
          closable={{ onClose: () => posting.setAlert(null) }}
          style={{ marginBottom: 12 }}
          title={posting.alert}
          data-testid="form-alert"
        />
      )}
      <Form<V>
        name={doc.screen}
        form={form}
        layout="vertical"
        initialValues={doc.initial}
        onValuesChange={onValuesChange}
        onFinish={onSubmit}
        scrollToFirstError={{ block: 'center' }}
      >
        <EnterNavigation onSubmit={() => form.submit()}>{children}</EnterNavigation>
      </Form>
      {posted}
    </Card>
  );
}

/** The document's date: today, not editable (the server stamps the time of posting). */
export function TodayField({ label }: { label: string }) {
  return (
    <Form.Item label={label}>
      <Typography.Text style={{ lineHeight: '32px' }}>{today()}</Typography.Text>
    </Form.Item>
  );
}

interface FooterProps {
  notePlaceholder?: string;
  /** The filled lines: their quantities, totalled per unit of their materials. */
  lines: readonly { quantity?: number | null; material?: { unit: string } | undefined }[];
  /** The lines' total amount, when the document carries money (入库). */
  amount?: string;
  submitLabel: string;
  /** A destructive document (报废): the button says so in red. */
  danger?: boolean;
  posting: boolean;
}

/** Below the lines: 备注, the count and total of the filled lines, and the submit button. */
export function StockFormFooter({
  notePlaceholder,
  lines: filled,
  amount,
  submitLabel,
  danger,
  posting,
}: FooterProps) {
  const t = useMessages(shellMessages);
  const qty = totalsByUnit(filled.map((l) => ({ quantity: l.quantity, unit: l.material?.unit })));
  const lines = filled.length;
  return (
    <Row gutter={12} style={{ marginTop: 12 }} align="bottom">
      <Col flex="auto">
        <Form.Item name="note" label={t('note')}>
          <Input maxLength={500} placeholder={notePlaceholder} autoComplete="off" />
        </Form.Item>
      </Col>
      <Col flex="none">
        <Form.Item label=" " colon={false}>
          <Typography.Text
            type="secondary"
            className="num"
            style={{ marginRight: 16 }}
            data-testid="form-totals"
          >
            {amount === undefined ? t('summary', { lines, qty }) : t('summaryAmount', { lines, qty, amount })}
          </Typography.Text>
          <Button type="primary" danger={danger} htmlType="submit" loading={posting} disabled={posting}>
            {submitLabel}
          </Button>
        </Form.Item>
      </Col>
    </Row>
  );
}

/** The local date of a posted document (2026-11-30). */
export function docDate(iso: string | undefined): string {
  return iso ? formatTime(iso).slice(0, 10) : '';
}
