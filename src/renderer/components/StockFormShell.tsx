/**
 * What the stock entry screens (入库, 出库, 移库, 报废) share: the page frame with its title and
 * hint, the alert for problems no field shows, the restored-draft notice, the submit row, the
 * header facts of a posted document, and money and date helpers.
 */
import { Alert, Button, Card, Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import { formatTime } from '../format';
import { defineMessages, useMessages } from '../i18n/messages';
import { useSession } from '../session';

export const shellMessages = defineMessages(
  {
    draftRestored: '已恢复上次未提交的内容。',
    discard: '清空重填',
    posting: '正在提交…',
    keyboard: 'Enter 下一项 · 扫码枪扫物资编码后自动跳到下一项 · 末行空行按 Enter 离开明细 · Ctrl+Enter 提交',
    today: '日期',
  },
  {
    draftRestored: 'What you had not yet submitted has been restored.',
    discard: 'Start over',
    posting: 'Submitting…',
    keyboard: 'Enter: next field · a scanned material code moves on by itself · Enter on the blank last line leaves the lines · Ctrl+Enter submits',
    today: 'Date',
  },
);

interface Props {
  title: string;
  extra?: ReactNode;
  alert: string | null;
  onCloseAlert: () => void;
  draftRestored: boolean;
  onDiscard: () => void;
  children: ReactNode;
}

export function StockFormShell({ title, extra, alert, onCloseAlert, draftRestored, onDiscard, children }: Props) {
  const t = useMessages(shellMessages);
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
      {draftRestored && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('draftRestored')}
          action={
            <Button size="small" onClick={onDiscard}>
              {t('discard')}
            </Button>
          }
        />
      )}
      {alert && (
        <Alert type="error" showIcon closable={{ onClose: onCloseAlert }} style={{ marginBottom: 12 }} title={alert} data-testid="form-alert" />
      )}
      {children}
    </Card>
  );
}

/** The keeper's first depot, else the depot last worked in. */
export function useDefaultDepot(last: number | undefined): number | undefined {
  const { user } = useSession();
  if (user?.role === 'keeper') return last && user.depotIds.includes(last) ? last : user.depotIds[0];
  return last;
}

/** "85.5" (yuan, as typed) → 8550 fen, exactly (no binary floating point). */
export function yuanToFen(yuan: string | number | null | undefined): number | null {
  if (yuan === null || yuan === undefined || `${yuan}`.trim() === '') return null;
  const [whole = '0', frac = ''] = `${yuan}`.trim().split('.');
  if (!/^\d+$/.test(whole || '0') || !/^\d*$/.test(frac)) return null;
  return Number(whole || '0') * 100 + Number(`${frac}00`.slice(0, 2));
}

export function fenToYuan(fen: number | null | undefined): string | null {
  if (fen === null || fen === undefined) return null;
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

/** The local date of a posted document (2026-11-30). */
export function docDate(iso: string | undefined): string {
  return iso ? formatTime(iso).slice(0, 10) : '';
}

/** Moves focus to the first line's first cell (after a reset or on opening). */
export function focusFirstLine(): void {
  window.setTimeout(() => {
    document.querySelector<HTMLInputElement>('.lines-editor .ant-table-tbody input')?.focus();
  }, 0);
}

/** Focuses a field by selector once the screen has rendered. */
export function focusFirst(selector: string): void {
  window.setTimeout(() => document.querySelector<HTMLInputElement>(selector)?.focus(), 0);
}
