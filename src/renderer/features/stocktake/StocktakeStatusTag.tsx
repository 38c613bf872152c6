/** A stocktake's state as a coloured tag with its name (never colour alone). */
import { Tag } from 'antd';
import type { STOCKTAKE_STATUSES } from '../../../shared/schemas/stocktake';
import { defineMessages, useMessages } from '../../i18n/messages';

export type StocktakeStatus = (typeof STOCKTAKE_STATUSES)[number];

export const statusMessages = defineMessages(
  { open: '盘点中', approved: '已审批', cancelled: '已作废' },
  { open: 'Counting', approved: 'Approved', cancelled: 'Cancelled' },
);

const COLOURS: Record<StocktakeStatus, string> = { open: 'orange', approved: 'green', cancelled: 'default' };

export function StocktakeStatusTag({ status }: { status: StocktakeStatus }) {
  const t = useMessages(statusMessages);
  return (
    <Tag color={COLOURS[status]} data-testid="stocktake-status" style={{ marginInlineEnd: 0 }}>
      {t(status)}
    </Tag>
  );
}
