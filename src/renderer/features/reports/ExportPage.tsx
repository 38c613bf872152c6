/**
 * 报表 › 导出: every report the product writes as a workbook, each with the filters it takes and
 * its 导出 button (the same button the stock and movement screens carry with their own filters).
 */
import { Card, DatePicker, Flex, Space, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useState } from 'react';
import { DepotSelect } from '../../components/DepotSelect';
import { ExportButton } from '../../components/ExportButton';
import { defineMessages, useMessages } from '../../i18n/messages';

const messages = defineMessages(
  {
    title: '导出报表',
    intro:
      '导出的 Excel 工作簿带“说明”页：筛选条件、导出人、导出时间、产品版本、行数和审计链头，收件部门可据此核对账簿状态。',
    inventory: '库存台账',
    inventoryText:
      '按储备库和物资：账面库存、已分配、可用、在途、储备定额、金额；另附批次明细（批号、生产日期、有效期至）。',
    movements: '出入库明细',
    movementsText:
      '所选期间的每一笔出入库，按时间先后：单据号、类型、物资、批号、入库或出库数量、对方、经办人、冲销。',
    depot: '储备库',
    allDepots: '全部储备库',
    dates: '日期',
    from: '开始日期',
    to: '结束日期',
  },
  {
    title: 'Export reports',
    intro:
      'Every workbook has an About sheet: filters, who exported it, when, the product version, row counts and the audit chain head, so the receiving department can tell which state of the books it reflects.',
    inventory: 'Inventory ledger',
    inventoryText:
      'Per depot and material: on hand, reserved, available, in transit, quota, value; with a sheet of lots (lot, production and expiry dates).',
    movements: 'Movement detail',
    movementsText:
      'Every movement of the period, oldest first: document, type, material, lot, quantity in or out, the other side, who posted it, reversals.',
    depot: 'Depot',
    allDepots: 'All depots',
    dates: 'Dates',
    from: 'From',
    to: 'To',
  },
);

const DATE = 'YYYY-MM-DD';

export default function ExportPage() {
  const t = useMessages(messages);
  const [inventoryDepot, setInventoryDepot] = useState<number | undefined>();
  const [movementDepot, setMovementDepot] = useState<number | undefined>();
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null]>([dayjs().startOf('month'), dayjs()]);
  const depotPicker = (value: number | undefined, onChange: (v: number | undefined) => void) => (
    <DepotSelect
      allowClear
      includeInactive
      aria-label={t('depot')}
      placeholder={t('allDepots')}
      value={value}
      onChange={onChange}
      style={{ width: 240 }}
    />
  );
  return (
    <Flex vertical gap={12} style={{ maxWidth: 960 }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('title')}
      </Typography.Title>
      <Typography.Text type="secondary">{t('intro')}</Typography.Text>
      <Card title={t('inventory')} size="small" data-testid="report-inventory">
        <Typography.Paragraph>{t('inventoryText')}</Typography.Paragraph>
        <Space wrap>
          {depotPicker(inventoryDepot, setInventoryDepot)}
          <ExportButton report="inventory" filters={{ depotId: inventoryDepot }} />
        </Space>
      </Card>
      <Card title={t('movements')} size="small" data-testid="report-movements">
        <Typography.Paragraph>{t('movementsText')}</Typography.Paragraph>
        <Space wrap>
          {depotPicker(movementDepot, setMovementDepot)}
          <DatePicker.RangePicker
            aria-label={t('dates')}
            placeholder={[t('from'), t('to')]}
            value={range}
            allowEmpty={[true, true]}
            onChange={(v) => setRange([v?.[0] ?? null, v?.[1] ?? null])}
            style={{ width: 260 }}
          />
          <ExportButton
            report="movements"
            filters={{ depotId: movementDepot, from: range[0]?.format(DATE), to: range[1]?.format(DATE) }}
          />
        </Space>
      </Card>
    </Flex>
  );
}
