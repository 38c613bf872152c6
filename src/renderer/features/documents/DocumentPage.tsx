/**
 * The document view: any document number (RK/CK/YK/BF/HC, DB, PS; PD opens its stocktake) shows
 * its document — lines, who did what and when, its timeline — with 补打 to print it again.
 */
import { Alert, Button, Descriptions, Result, Space, Spin, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { MovementDto } from '../../../shared/schemas/stock';
import { PrintView } from '../../components/PrintDocument';
import { useRpc } from '../../components/useRpc';
import { formatSigned, formatTime } from '../../format';
import { common } from '../../i18n/common';
import { defineMessages, useMessages } from '../../i18n/messages';
import { navigate } from '../../router';
import { AllocationView } from '../allocation/AllocationView';
import { DeliveryView } from '../delivery/DeliveryView';
import { MovementTypeTag, useCounterpart, useReasonText } from '../movements/movementParts';
import { useSession } from '../../session';
import { useStockNotePrint } from './documentPrints';

const m = defineMessages(
  {
    reprint: '补打',
    depot: '储备库',
    type: '类型',
    at: '时间',
    by: '经办人',
    material: '物资',
    lot: '批号',
    expiresOn: '有效期至',
    quantity: '数量',
    counterpart: '对方',
    reason: '来源 / 原因',
  },
  {
    reprint: 'Reprint',
    depot: 'Depot',
    type: 'Type',
    at: 'Time',
    by: 'By',
    material: 'Material',
    lot: 'Lot',
    expiresOn: 'Expires',
    quantity: 'Quantity',
    counterpart: 'Counterpart',
    reason: 'Source / reason',
  },
);

export default function DocumentPage({ params }: { params: Record<string, string> }) {
  const c = useMessages(common);
  const docNo = params.docNo ?? '';
  const doc = useRpc('document.get', { docNo }, { live: true });
  const stocktakeId = doc.data?.kind === 'stocktake' ? doc.data.stocktakeId : null;
  useEffect(() => {
    if (stocktakeId !== null) navigate(`/stocktake/${stocktakeId}`);
  }, [stocktakeId]);

  if (doc.error && !doc.data)
    return (
      <Result
        status="warning"
        title={doc.error}
        extra={<Button onClick={() => void doc.reload()}>{c('retry')}</Button>}
      />
    );
  if (!doc.data) return <Spin style={{ display: 'block', marginTop: 80 }} />;
  const data = doc.data;
  return (
    <div data-testid="document-view">
      {doc.error && <Alert type="warning" showIcon title={doc.error} style={{ marginBottom: 12 }} />}
      {data.kind === 'allocation' && <AllocationView allocation={data.allocation} reload={doc.reload} />}
      {data.kind === 'delivery' && <DeliveryView delivery={data.delivery} reload={doc.reload} />}
      {data.kind === 'movements' && <StockNote movements={data.movements} />}
      {data.kind === 'stocktake' && <Spin />}
    </div>
  );
}

/** A stock note: its movements, who posted them and when, and the reprint. */
function StockNote({ movements }: { movements: MovementDto[] }) {
  const t = useMessages(m);
  const { depots } = useSession();
  const counterpart = useCounterpart(depots);
  const reasonText = useReasonText();
  const print = useStockNotePrint();
  const [printing, setPrinting] = useState(false);
  const first = movements[0]!;
  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }}>
        <Space>
          <Typography.Title level={4} style={{ margin: 0 }} className="doc-no">
            {first.docNo}
          </Typography.Title>
          <MovementTypeTag type={first.type} />
        </Space>
        <Button onClick={() => setPrinting(true)} data-testid="reprint">
          {t('reprint')}
        </Button>
      </Space>
      <Descriptions
        size="small"
        column={3}
        style={{ marginBottom: 12 }}
        items={[
          { key: 'depot', label: t('depot'), children: first.depotName },
          { key: 'at', label: t('at'), children: formatTime(first.occurredAt) },
          { key: 'by', label: t('by'), children: first.userName },
        ]}
      />
      <Table<MovementDto>
        size="small"
        rowKey="movementId"
        pagination={false}
        dataSource={movements}
        columns={[
          { title: t('depot'), dataIndex: 'depotName', width: 180, ellipsis: true },
          {
            title: t('type'),
            dataIndex: 'type',
            width: 90,
            render: (_, r) => <MovementTypeTag type={r.type} />,
          },
          {
            title: t('material'),
            key: 'material',
            ellipsis: true,
            render: (_, r) => `${r.materialCode} ${r.materialName}`,
          },
          { title: t('lot'), dataIndex: 'lotNo', width: 130 },
          { title: t('expiresOn'), dataIndex: 'expiresOn', width: 110 },
          {
            title: t('quantity'),
            key: 'quantity',
            align: 'right',
            className: 'num',
            width: 120,
            render: (_, r) => `${formatSigned(r.quantity)} ${r.unit}`,
          },
          {
            title: t('counterpart'),
            key: 'counterpart',
            width: 180,
            ellipsis: true,
            render: (_, r) => counterpart(r),
          },
          { title: t('reason'), key: 'reason', ellipsis: true, render: (_, r) => reasonText(r) },
        ]}
      />
      {printing && <PrintView docs={[print(movements)]} onClose={() => setPrinting(false)} />}
    </>
  );
}
