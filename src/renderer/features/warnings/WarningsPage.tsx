/**
 * The warning lists the dashboard counts open: lots expiring within their warning window,
 * expired lots still in stock, and depot × material below reserve quota. `?type=` picks the
 * list, `?depotId=` narrows it. A lot opens its stock card; a quota row opens the stock screen.
 */
import { Alert, Button, Flex, Space, Table, Tabs, Typography, type TableColumnsType } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { OutputOf } from '../../../shared/api';
import { rpc, RpcFailure } from '../../api';
import { DepotSelect } from '../../components/DepotSelect';
import { ExportButton } from '../../components/ExportButton';
import { useFillHeight } from '../../components/useFillHeight';
import { useSessionState } from '../../components/useSessionState';
import { formatQuantity } from '../../format';
import { common } from '../../i18n/common';
import { defineMessages, useMessages } from '../../i18n/messages';
import { navigate, useRoute } from '../../router';
import { BelowQuotaTag, ExpiryTag, useDaysText } from '../stock/stockTags';

const messages = defineMessages(
  {
    title: '预警清单',
    asOf: '截至 {date}',
    tabExpiring: '临期批次（{n}）',
    tabExpired: '已过期批次（{n}）',
    tabBelow: '低于储备定额（{n}）',
    allDepots: '全部储备库',
    depot: '储备库',
    status: '状态',
    days: '距到期',
    expiresOn: '有效期至',
    code: '物资编码',
    name: '物资名称',
    lotNo: '批号',
    onHand: '结存',
    unit: '单位',
    quota: '储备定额',
    available: '可用',
    shortBy: '缺口',
    expiringHint: '已进入各物资的预警期（默认到期前 90 天），应安排轮换。点击一行打开物资卡片。',
    expiredHint: '已过有效期仍在库的批次，出库时不会自动选用，应安排报废或处置。点击一行打开物资卡片。',
    belowHint: '可用库存（账面 − 已分配）低于储备定额。点击一行查看该库该物资的库存。',
    empty: '没有需要处理的记录',
  },
  {
    title: 'Warnings',
    asOf: 'As of {date}',
    tabExpiring: 'Expiring lots ({n})',
    tabExpired: 'Expired lots ({n})',
    tabBelow: 'Below reserve quota ({n})',
    allDepots: 'All depots',
    depot: 'Depot',
    status: 'Status',
    days: 'To expiry',
    expiresOn: 'Expiry date',
    code: 'Code',
    name: 'Material',
    lotNo: 'Lot number',
    onHand: 'On hand',
    unit: 'Unit',
    quota: 'Quota',
    available: 'Available',
    shortBy: 'Shortfall',
    expiringHint:
      'Within the warning window of each material (by default 90 days before expiry): plan rotation. Click a row to open the stock card.',
    expiredHint:
      'Past expiry and still in stock; issues never pick them by themselves: plan scrapping or disposal. Click a row to open the stock card.',
    belowHint: 'Available stock (on hand − reserved) under the reserve quota. Click a row to see that stock.',
    empty: 'Nothing to deal with',
  },
);

type Kind = 'expiring' | 'expired' | 'belowQuota';
type ExpiringRow = OutputOf<'stock.expiring'>['rows'][number];
type BelowRow = OutputOf<'stock.belowQuota'>['rows'][number];

function kindOf(value: string | null): Kind | null {
  return value === 'expiring' || value === 'expired' || value === 'belowQuota' ? value : null;
}

export default function WarningsPage() {
  const t = useMessages(messages);
  const c = useMessages(common);
  const daysText = useDaysText();
  const route = useRoute();
  const [saved, setSaved] = useSessionState<{ type: Kind; depotId?: number }>('warnings', {
    type: 'expiring',
  });

  // The link (?type=&depotId=) wins over what the screen remembered; then the screen keeps it.
  const type = kindOf(route.query.get('type')) ?? saved.type;
  const depotParam = route.query.get('depotId');
  const depotId = route.query.has('type') ? (depotParam ? Number(depotParam) : undefined) : saved.depotId;
  useEffect(() => {
    if (saved.type !== type || saved.depotId !== depotId) setSaved({ type, depotId });
  }, [type, depotId, saved, setSaved]);
  const show = (next: { type?: Kind; depotId?: number }) => {
    const merged = { type, depotId, ...next };
    navigate('/warnings', { type: merged.type, depotId: merged.depotId });
  };

  const [expiring, setExpiring] = useState<OutputOf<'stock.expiring'> | null>(null);
  const [below, setBelow] = useState<BelowRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    setError(null);
    Promise.all([rpc('stock.expiring', { depotId }), rpc('stock.belowQuota', { depotId })]).then(
      ([e, b]) => {
        setExpiring(e);
        setBelow(b.rows);
      },
      (e: unknown) => setError(e instanceof RpcFailure ? e.message : String(e)),
    );
  }, [depotId]);
  useEffect(load, [load]);

  const [tableBox, tableHeight] = useFillHeight(96);
  const expiringRows = useMemo(
    () => (expiring?.rows ?? []).filter((r) => r.status === 'expiring'),
    [expiring],
  );
  const expiredRows = useMemo(() => (expiring?.rows ?? []).filter((r) => r.status === 'expired'), [expiring]);

  const lotColumns: TableColumnsType<ExpiringRow> = [
    { title: t('status'), key: 'status', width: 90, render: (_, r) => <ExpiryTag status={r.status} /> },
    {
      title: t('days'),
      key: 'days',
      width: 110,
      align: 'right',
      className: 'num',
      sorter: (a, b) => a.daysLeft - b.daysLeft,
      defaultSortOrder: 'ascend',
      render: (_, r) => daysText(r.daysLeft),
    },
    {
      title: t('expiresOn'),
      dataIndex: 'expiresOn',
      width: 110,
      sorter: (a, b) => a.expiresOn.localeCompare(b.expiresOn),
    },
    {
      title: t('depot'),
      dataIndex: 'depotName',
      width: 200,
      ellipsis: true,
      sorter: (a, b) => a.depotName.localeCompare(b.depotName, 'zh-CN'),
    },
    {
      title: t('code'),
      dataIndex: 'materialCode',
      width: 100,
      sorter: (a, b) => a.materialCode.localeCompare(b.materialCode),
    },
    { title: t('name'), dataIndex: 'materialName', ellipsis: true },
    { title: t('lotNo'), dataIndex: 'lotNo', width: 130 },
    {
      title: t('onHand'),
      dataIndex: 'onHand',
      width: 100,
      align: 'right',
      className: 'num',
      sorter: (a, b) => a.onHand - b.onHand,
      render: formatQuantity,
    },
    { title: t('unit'), dataIndex: 'unit', width: 60 },
  ];

  const belowColumns: TableColumnsType<BelowRow> = [
    {
      title: t('shortBy'),
      key: 'status',
      width: 140,
      sorter: (a, b) => a.shortBy - b.shortBy,
      render: (_, r) => <BelowQuotaTag shortBy={r.shortBy} unit={r.unit} />,
    },
    {
      title: t('depot'),
      dataIndex: 'depotName',
      width: 200,
      ellipsis: true,
      sorter: (a, b) => a.depotName.localeCompare(b.depotName, 'zh-CN'),
    },
    {
      title: t('code'),
      dataIndex: 'materialCode',
      width: 100,
      sorter: (a, b) => a.materialCode.localeCompare(b.materialCode),
    },
    { title: t('name'), dataIndex: 'materialName', ellipsis: true },
    {
      title: t('quota'),
      dataIndex: 'quota',
      width: 100,
      align: 'right',
      className: 'num',
      render: formatQuantity,
    },
    {
      title: t('onHand'),
      dataIndex: 'onHand',
      width: 100,
      align: 'right',
      className: 'num',
      render: formatQuantity,
    },
    {
      title: t('available'),
      dataIndex: 'available',
      width: 100,
      align: 'right',
      className: 'num',
      render: formatQuantity,
    },
    { title: t('unit'), dataIndex: 'unit', width: 60 },
  ];

  const lotTable = (rows: ExpiringRow[]) => (
    <Table<ExpiringRow>
      size="small"
      virtual
      sticky
      rowKey="batchId"
      pagination={false}
      loading={!expiring}
      columns={lotColumns}
      dataSource={rows}
      scroll={{ x: 1000, y: tableHeight }}
      locale={{ emptyText: t('empty') }}
      onRow={(r) => ({ onClick: () => navigate(`/stock/batch/${r.batchId}`), style: { cursor: 'pointer' } })}
    />
  );

  const count =
    type === 'belowQuota' ? below?.length : type === 'expired' ? expiredRows.length : expiringRows.length;

  return (
    <Flex vertical gap={8}>
      <Flex justify="space-between" align="center" gap={8}>
        <Flex align="baseline" gap={12}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('title')}
          </Typography.Title>
          {expiring && (
            <Typography.Text type="secondary">{t('asOf', { date: expiring.today })}</Typography.Text>
          )}
        </Flex>
        <Space>
          <DepotSelect
            allowClear
            placeholder={t('allDepots')}
            aria-label={t('depot')}
            value={depotId}
            onChange={(v) => show({ depotId: v })}
            style={{ width: 240 }}
          />
          <ExportButton report="warnings" filters={{ depotId }} />
        </Space>
      </Flex>
      {error && (
        <Alert type="error" showIcon title={error} action={<Button onClick={load}>{c('retry')}</Button>} />
      )}
      <Tabs
        activeKey={type}
        onChange={(k) => show({ type: k as Kind })}
        tabBarStyle={{ marginBottom: 8 }}
        items={[
          { key: 'expiring', label: t('tabExpiring', { n: expiringRows.length }) },
          { key: 'expired', label: t('tabExpired', { n: expiredRows.length }) },
          { key: 'belowQuota', label: t('tabBelow', { n: below?.length ?? 0 }) },
        ]}
      />
      <Flex justify="space-between" gap={16}>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {type === 'expiring' ? t('expiringHint') : type === 'expired' ? t('expiredHint') : t('belowHint')}
        </Typography.Text>
        <Typography.Text style={{ whiteSpace: 'nowrap' }} data-testid="row-count">
          {c('rows', { n: formatQuantity(count ?? 0) })}
        </Typography.Text>
      </Flex>
      <div ref={tableBox} data-testid={`table-${type}`}>
        {type === 'belowQuota' ? (
          <Table<BelowRow>
            size="small"
            virtual
            sticky
            rowKey={(r) => `${r.depotId}:${r.materialId}`}
            pagination={false}
            loading={!below}
            columns={belowColumns}
            dataSource={below ?? []}
            scroll={{ x: 1000, y: tableHeight }}
            locale={{ emptyText: t('empty') }}
            onRow={(r) => ({
              onClick: () =>
                navigate('/stock', { depotId: r.depotId, text: r.materialCode, groupBy: 'depotMaterial' }),
              style: { cursor: 'pointer' },
            })}
          />
        ) : (
          lotTable(type === 'expired' ? expiredRows : expiringRows)
        )}
      </div>
    </Flex>
  );
}
