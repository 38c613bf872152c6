/**
 * 报表 › 导出: every report the product writes as a workbook, each with the filters it takes and
 * its 导出 button (the same button the stock, movement, allocation, delivery, warning and
 * stocktake screens carry with their own filters).
 */
import { Card, DatePicker, Flex, Space, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useState } from 'react';
import { REPORT_FILTERS, REPORTS, type ReportName } from '../../../shared/schemas/report';
import { DepotSelect } from '../../components/DepotSelect';
import { ExportButton } from '../../components/ExportButton';
import { IncidentSelect, useIncidents, type Incidents } from '../../components/IncidentSelect';
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
    allocations: '调拨汇总',
    allocationsText:
      '所选事件或期间的每一行调拨申请：申请单位、紧急程度、申请与批准数量、调出库、已发运与已签收数量。',
    deliveries: '配送跟踪',
    deliveriesText:
      '每张配送单的每一行：车辆、驾驶员、状态，申请提交、批准、发车、到达与签收时间，审批用时、在途用时与超时。',
    warnings: '预警清单',
    warningsText: '导出时的预警：已过期和临期批次、低于储备定额的储备库、超过计划到达时间的配送单。',
    stocktake: '盘点差异表',
    stocktakeText: '实盘与账面不一致的批次：账面数量、实盘数量、差异及差异金额，和填写的原因。',
    depot: '储备库',
    allDepots: '全部储备库',
    incident: '事件',
    allIncidents: '全部事件',
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
    allocations: 'Allocation summary',
    allocationsText:
      'Every request line of the incident or period: who asked, urgency, requested and approved, the depots it comes from, sent and signed for.',
    deliveries: 'Delivery tracking',
    deliveriesText:
      'Every line of every delivery order: vehicle, driver, state; submitted, approved, departed, arrived and signed-for times; hours to decide, on the road and late.',
    warnings: 'Warnings',
    warningsText:
      'The warnings as of the export: expired and expiring lots, depots below quota, delivery orders past their planned arrival.',
    stocktake: 'Stocktake differences',
    stocktakeText:
      'Counted lots that differ from the book: book, counted, the difference in units and yuan, the reason.',
    depot: 'Depot',
    allDepots: 'All depots',
    incident: 'Incident',
    allIncidents: 'All incidents',
    dates: 'Dates',
    from: 'From',
    to: 'To',
  },
);

const DATE = 'YYYY-MM-DD';

function ReportCard({ report, incidents }: { report: ReportName; incidents: Incidents }) {
  const t = useMessages(messages);
  const takes = REPORT_FILTERS[report];
  const [depotId, setDepotId] = useState<number | undefined>();
  const [incidentId, setIncidentId] = useState<number | undefined>();
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null]>([dayjs().startOf('month'), dayjs()]);
  const period = takes.includes('period') && !incidentId;
  return (
    <Card title={t(report)} size="small" data-testid={`report-${report}`}>
      <Typography.Paragraph>{t(`${report}Text`)}</Typography.Paragraph>
      <Space wrap>
        {takes.includes('incident') && (
          <IncidentSelect
            incidents={incidents}
            aria-label={t('incident')}
            placeholder={t('allIncidents')}
            value={incidentId}
            onChange={setIncidentId}
          />
        )}
        <DepotSelect
          allowClear
          includeInactive
          aria-label={t('depot')}
          placeholder={t('allDepots')}
          value={depotId}
          onChange={setDepotId}
          style={{ width: 240 }}
        />
        {takes.includes('period') && (
          // An incident's report covers the whole incident: the dates give way to it.
          <DatePicker.RangePicker
            aria-label={t('dates')}
            placeholder={[t('from'), t('to')]}
            value={range}
            disabled={!period}
            allowEmpty={[true, true]}
            onChange={(v) => setRange([v?.[0] ?? null, v?.[1] ?? null])}
            style={{ width: 260 }}
          />
        )}
        <ExportButton
          report={report}
          filters={{
            depotId,
            incidentId,
            ...(period ? { from: range[0]?.format(DATE), to: range[1]?.format(DATE) } : {}),
          }}
        />
      </Space>
    </Card>
  );
}

export default function ExportPage() {
  const t = useMessages(messages);
  const incidents = useIncidents();
  return (
    <Flex vertical gap={12} style={{ maxWidth: 960 }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('title')}
      </Typography.Title>
      <Typography.Text type="secondary">{t('intro')}</Typography.Text>
      {REPORTS.map((report) => (
        <ReportCard key={report} report={report} incidents={incidents} />
      ))}
    </Flex>
  );
}
