/**
 * 物资卡片 (stock card) of one batch: what it is, where it lies, where it came from (each source,
 * supplier and unit price it was received on), what is left; then every movement of it, newest
 * first, with signed quantities and the balance after each (counted back from today's on hand),
 * a receipt's own terms, reversal marks, and 加载更多 for older ones.
 */
import { Alert, Button, Card, Descriptions, Flex, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { BatchDetail, MovementDto } from '../../../shared/schemas/stock';
import { rpc, RpcFailure } from '../../api';
import { useFillHeight } from '../../components/useFillHeight';
import { formatFen, formatQuantity, formatSigned, formatTime } from '../../format';
import { common } from '../../i18n/common';
import { defineMessages, useMessages, useTerms } from '../../i18n/messages';
import { navigate } from '../../router';
import { useSession } from '../../session';
import {
  DocNoCell,
  MovementTypeTag,
  unitPriceColumn,
  useCounterpart,
  useReasonText,
} from '../movements/movementParts';
import { ExpiryTag } from './stockTags';

const messages = defineMessages(
  {
    title: '物资卡片',
    back: '返回',
    material: '物资',
    spec: '规格型号',
    unit: '计量单位',
    category: '类别',
    depot: '储备库',
    lotNo: '批号',
    producedOn: '生产日期',
    expiresOn: '有效期至',
    source: '来源',
    supplier: '供应单位',
    unitPrice: '单价',
    receiptTerms: '来源 / 供应单位 / 单价',
    received: '入库 {n} 次，共 {quantity} {unit}',
    onHand: '结存',
    value: '结存金额',
    none: '—',
    noExpiry: '无有效期',
    history: '出入库记录',
    time: '时间',
    docNo: '单号',
    type: '类型',
    quantity: '数量',
    balance: '结存',
    counterpart: '对方 / 领用单位',
    reason: '原因 / 备注',
    user: '经办人',
    loaded: '已载入 {n} 条',
    allLoaded: '共 {n} 条，已全部载入',
    notFound: '批次不存在',
  },
  {
    title: 'Stock card',
    back: 'Back',
    material: 'Material',
    spec: 'Specification',
    unit: 'Unit',
    category: 'Category',
    depot: 'Depot',
    lotNo: 'Lot number',
    producedOn: 'Production date',
    expiresOn: 'Expiry date',
    source: 'Source',
    supplier: 'Supplier',
    unitPrice: 'Unit price',
    receiptTerms: 'Source / supplier / unit price',
    received: 'received {n}×, {quantity} {unit} in all',
    onHand: 'On hand',
    value: 'Value on hand',
    none: '—',
    noExpiry: 'No expiry',
    history: 'Movements',
    time: 'Time',
    docNo: 'Document',
    type: 'Type',
    quantity: 'Quantity',
    balance: 'Balance',
    counterpart: 'Counterpart / recipient',
    reason: 'Reason / note',
    user: 'By',
    loaded: '{n} loaded',
    allLoaded: '{n} in all, all loaded',
    notFound: 'Batch not found',
  },
);

const PAGE = 100;

interface Row extends MovementDto {
  /** Balance of the batch right after this movement. */
  balance: number;
}

export default function StockCardPage({ params }: { params: Record<string, string> }) {
  const t = useMessages(messages);
  const c = useMessages(common);
  const terms = useTerms();
  const { depots } = useSession();
  const counterpart = useCounterpart(depots);
  const reasonText = useReasonText();
  const batchId = Number(params.id);

  const [batch, setBatch] = useState<BatchDetail | null>(null);
  const [movements, setMovements] = useState<MovementDto[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const request = useRef(0);

  const loadPage = useCallback(
    async (after: string | undefined) => {
      const id = ++request.current;
      setLoading(true);
      try {
        const [detail, page] = await Promise.all([
          after ? null : rpc('stock.batch', { batchId }),
          rpc('stock.movements', { batchId, after, limit: PAGE }),
        ]);
        if (id !== request.current) return;
        if (detail) setBatch(detail);
        setMovements((prev) => (after ? [...prev, ...page.rows] : page.rows));
        setCursor(page.nextCursor);
        setError(null);
      } catch (e) {
        if (id === request.current) setError(e instanceof RpcFailure ? e.message : String(e));
      } finally {
        if (id === request.current) setLoading(false);
      }
    },
    [batchId],
  );
  useEffect(() => {
    void loadPage(undefined);
  }, [loadPage]);

  // Newest first: the balance after the newest movement is today's on hand; each older one is
  // the newer balance less the newer movement.
  const rows = useMemo<Row[]>(() => {
    if (!batch) return [];
    let balance = batch.onHand;
    return movements.map((m) => {
      const row = { ...m, balance };
      balance -= m.quantity;
      return row;
    });
  }, [batch, movements]);

  const [tableBox, tableHeight] = useFillHeight(88, 200);

  const columns: TableColumnsType<Row> = [
    { title: t('time'), dataIndex: 'occurredAt', key: 'time', width: 128, render: formatTime },
    {
      title: t('docNo'),
      dataIndex: 'docNo',
      key: 'docNo',
      width: 184,
      render: (_, m) => <DocNoCell movement={m} />,
    },
    {
      title: t('type'),
      dataIndex: 'type',
      key: 'type',
      width: 76,
      render: (_, m) => <MovementTypeTag type={m.type} />,
    },
    {
      title: t('quantity'),
      dataIndex: 'quantity',
      key: 'quantity',
      width: 96,
      align: 'right',
      className: 'num',
      render: (q: number) => formatSigned(q),
    },
    {
      title: t('balance'),
      dataIndex: 'balance',
      key: 'balance',
      width: 96,
      align: 'right',
      className: 'num',
      render: (b: number) => formatQuantity(b),
    },
    unitPriceColumn(t('unitPrice')),
    {
      title: t('counterpart'),
      key: 'counterpart',
      width: 190,
      ellipsis: true,
      render: (_, m) => counterpart(m),
    },
    { title: t('reason'), key: 'reason', width: 190, ellipsis: true, render: (_, m) => reasonText(m) },
    { title: t('user'), dataIndex: 'userName', key: 'user', width: 100, ellipsis: true },
  ];
  const scrollX = columns.reduce((s, col) => s + (typeof col.width === 'number' ? col.width : 100), 0);

  if (error && !batch) {
    return (
      <Alert
        type="error"
        showIcon
        title={error}
        action={<Button onClick={() => void loadPage(undefined)}>{c('retry')}</Button>}
      />
    );
  }

  const dash = t('none');
  const money = (fen: number | null) => (fen === null ? dash : formatFen(fen));
  const b = batch;
  return (
    <Flex vertical gap={8}>
      <Card
        size="small"
        loading={!b}
        title={
          <Flex align="center" gap={8} wrap>
            <span>{t('title')}</span>
            {b && (
              <Typography.Text strong data-testid="card-material">
                {b.materialCode} {b.materialName}
              </Typography.Text>
            )}
            {b && <Tag>{`${t('lotNo')} ${b.lotNo}`}</Tag>}
            {b?.expiryStatus && <ExpiryTag status={b.expiryStatus} daysLeft={b.daysLeft} />}
          </Flex>
        }
        extra={
          <Flex gap={8}>
            <Button
              size="small"
              onClick={() => (window.history.length > 1 ? window.history.back() : navigate('/stock'))}
            >
              {t('back')}
            </Button>
          </Flex>
        }
      >
        {b && (
          <Descriptions
            size="small"
            column={4}
            styles={{ label: { whiteSpace: 'nowrap' } }}
            items={[
              { key: 'depot', label: t('depot'), children: b.depotName, span: 2 },
              { key: 'spec', label: t('spec'), children: b.spec ?? dash, span: 2 },
              { key: 'category', label: t('category'), children: b.category ?? dash },
              { key: 'unit', label: t('unit'), children: b.unit },
              { key: 'producedOn', label: t('producedOn'), children: b.producedOn ?? dash },
              { key: 'expiresOn', label: t('expiresOn'), children: b.expiresOn ?? t('noExpiry') },
              // What each receipt came in on; a lot that came by transfer, its origin's.
              ...(b.receiptTerms.length > 0
                ? [
                    {
                      key: 'receiptTerms',
                      label: t('receiptTerms'),
                      span: 3,
                      children: (
                        <div
                          data-testid="card-receipt-terms"
                          style={{
                            display: 'grid',
                            gridTemplateColumns: 'repeat(4, auto)',
                            columnGap: 16,
                            justifyContent: 'start',
                          }}
                        >
                          {b.receiptTerms.map((r) => (
                            // One line per terms, its cells aligned with the other lines' in the grid.
                            <div
                              key={`${r.source}|${r.supplier}|${r.unitPriceFen}`}
                              data-testid="receipt-terms"
                              style={{ display: 'contents' }}
                            >
                              <span>{terms(`batchSource.${r.source}`)}</span>
                              <span>{r.supplier ?? dash}</span>
                              <span className="num">{money(r.unitPriceFen)}</span>
                              <Typography.Text type="secondary">
                                {t('received', {
                                  n: r.receipts,
                                  quantity: formatQuantity(r.quantity),
                                  unit: b.unit,
                                })}
                              </Typography.Text>
                            </div>
                          ))}
                        </div>
                      ),
                    },
                  ]
                : [
                    { key: 'source', label: t('source'), children: terms(`batchSource.${b.source}`) },
                    { key: 'supplier', label: t('supplier'), children: b.supplier ?? dash },
                    { key: 'unitPrice', label: t('unitPrice'), children: money(b.unitPriceFen) },
                  ]),
              {
                key: 'onHand',
                label: t('onHand'),
                children: (
                  <Typography.Text strong className="num" data-testid="card-onhand">
                    {formatQuantity(b.onHand)} {b.unit}
                  </Typography.Text>
                ),
              },
            ]}
          />
        )}
      </Card>
      {error && <Alert type="error" showIcon title={error} />}
      <Flex justify="space-between" align="center">
        <Typography.Text strong>{t('history')}</Typography.Text>
        <Flex gap={12} align="center">
          <Typography.Text type="secondary" data-testid="row-count">
            {cursor
              ? t('loaded', { n: formatQuantity(rows.length) })
              : t('allLoaded', { n: formatQuantity(rows.length) })}
          </Typography.Text>
        </Flex>
      </Flex>
      <div ref={tableBox} data-testid="card-movements">
        <Table<Row>
          size="small"
          virtual
          sticky
          rowKey="movementId"
          pagination={false}
          loading={loading && rows.length === 0}
          columns={columns}
          dataSource={rows}
          scroll={{ x: scrollX, y: tableHeight }}
          footer={
            cursor
              ? () => (
                  <Button block loading={loading} onClick={() => void loadPage(cursor)}>
                    {c('loadMore')}
                  </Button>
                )
              : undefined
          }
        />
      </div>
    </Flex>
  );
}
