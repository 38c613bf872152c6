/**
 * A list screen's frame: the title with its filters and actions, an error with retry, the table
 * filling the window's height (the page itself never scrolls at 1366×768), and the line under
 * it with the row count and the active filters.
 */
import { Alert, Button, Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import { formatQuantity } from '../format';
import { common } from '../i18n/common';
import { useMessages } from '../i18n/messages';
import { useFillHeight } from './useFillHeight';

export function ListScreen({
  title,
  filters,
  actions,
  error,
  onRetry,
  rows,
  activeFilters,
  footnote,
  reserve = 90,
  children,
}: {
  title: ReactNode;
  filters?: ReactNode;
  actions?: ReactNode;
  error?: string | null;
  onRetry?: () => void;
  /** Rows shown (after filtering). */
  rows: number;
  /** The filters in effect, as words ("状态：待审批"). */
  activeFilters: readonly string[];
  /** More on the count line (totals per unit, a hint). */
  footnote?: ReactNode;
  /** Pixels kept below the table for its header and the count line. */
  reserve?: number;
  /** The table, given the height its body may take. */
  children: (height: number) => ReactNode;
}) {
  const c = useMessages(common);
  const [box, height] = useFillHeight(reserve);
  return (
    <div>
      <Space style={{ marginBottom: 12, width: '100%', justifyContent: 'space-between' }} wrap>
        <Space wrap>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {title}
          </Typography.Title>
          {filters}
        </Space>
        {actions && <Space wrap>{actions}</Space>}
      </Space>
      {error && (
        <Alert
          type="error"
          showIcon
          title={error}
          style={{ marginBottom: 12 }}
          action={
            onRetry && (
              <Button size="small" onClick={onRetry}>
                {c('retry')}
              </Button>
            )
          }
        />
      )}
      <div ref={box}>{children(height)}</div>
      <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8 }} data-testid="list-count">
        {c('rows', { n: formatQuantity(rows) })} ·{' '}
        {activeFilters.length > 0 ? c('filters', { filters: activeFilters.join('，') }) : c('noFilters')}
        {footnote && <> · {footnote}</>}
      </Typography.Text>
    </div>
  );
}
