/**
 * The batches behind one balance row (a depot's material, or a material city-wide): lot,
 * expiry, on hand and warnings. A batch opens its stock card.
 */
import { Alert, Descriptions, Drawer, Table, Typography, type TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import type { BalanceRow } from '../../../shared/schemas/stock';
import { RpcFailure } from '../../api';
import { fetchAllBalances } from '../../balances';
import { common } from '../../i18n/common';
import { formatQuantity } from '../../format';
import { useMessages } from '../../i18n/messages';
import { navigate } from '../../router';
import { ExpiryTag } from './stockTags';
import { stockMessages } from './stockMessages';

export function BatchesDrawer({ row, onClose }: { row: BalanceRow; onClose: () => void }) {
  const t = useMessages(stockMessages);
  const c = useMessages(common);
  const [batches, setBatches] = useState<BalanceRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    fetchAllBalances(
      {
        groupBy: 'batch',
        depotId: row.depotId ?? undefined,
        materialId: row.materialId,
        warnings: true,
        limit: 5000,
      },
      { wanted: () => live },
    ).then(
      (all) => live && all && setBatches(all),
      (e: unknown) => live && setError(e instanceof RpcFailure ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [row.depotId, row.materialId]);

  const columns: TableColumnsType<BalanceRow> = [
    ...(row.depotId === null
      ? [{ title: t('depot'), dataIndex: 'depotName', key: 'depot', ellipsis: true }]
      : []),
    { title: t('lotNo'), dataIndex: 'lotNo', key: 'lotNo', width: 130 },
    {
      title: t('expiresOn'),
      dataIndex: 'expiresOn',
      key: 'expiresOn',
      width: 104,
      defaultSortOrder: 'ascend',
      sorter: (a, b) => (a.expiresOn ?? '9999').localeCompare(b.expiresOn ?? '9999'),
    },
    {
      title: t('onHand'),
      dataIndex: 'onHand',
      key: 'onHand',
      width: 100,
      align: 'right',
      className: 'num',
      render: (v: number) => `${formatQuantity(v)} ${row.unit}`,
    },
    {
      title: t('warnings'),
      key: 'warnings',
      width: 150,
      render: (_, b) =>
        b.expiry ? <ExpiryTag status={b.expiry.status} daysLeft={b.expiry.daysLeft} /> : null,
    },
  ];

  return (
    <Drawer
      open
      onClose={onClose}
      size={720}
      title={`${row.materialCode} ${row.materialName}${row.depotName ? ` · ${row.depotName}` : ''}`}
      destroyOnHidden
    >
      <Descriptions
        size="small"
        column={4}
        items={[
          {
            key: 'onHand',
            label: t('onHand'),
            children: (
              <span className="num">
                {formatQuantity(row.onHand)} {row.unit}
              </span>
            ),
          },
          {
            key: 'reserved',
            label: t('reserved'),
            children: <span className="num">{formatQuantity(row.reserved)}</span>,
          },
          {
            key: 'available',
            label: t('available'),
            children: <span className="num">{formatQuantity(row.available)}</span>,
          },
          {
            key: 'quota',
            label: t('quota'),
            children: <span className="num">{row.quota === null ? '—' : formatQuantity(row.quota)}</span>,
          },
        ]}
        style={{ marginBottom: 12 }}
      />
      {row.spec && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {t('specLine', { spec: row.spec })}
        </Typography.Paragraph>
      )}
      {error && <Alert type="error" showIcon title={error} />}
      <Table<BalanceRow>
        size="small"
        rowKey={(b) => String(b.batchId)}
        loading={!batches && !error}
        dataSource={batches ?? []}
        columns={columns}
        pagination={false}
        sticky
        onRow={(b) => ({
          onClick: () => navigate(`/stock/batch/${b.batchId}`),
          style: { cursor: 'pointer' },
        })}
        footer={() => `${c('rows', { n: formatQuantity(batches?.length ?? 0) })} · ${t('clickBatch')}`}
      />
    </Drawer>
  );
}
