/**
 * 工作台: the warnings that need someone today (expiring, expired, below quota) as big counts
 * that open the filtered lists, and the stock picture city-wide: by category and by depot
 * level, as value (¥) or quantity. Optionally narrowed to one depot.
 */
import { Alert, Button, Card, Col, Flex, Row, Segmented, Spin, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { DashboardSummary } from '../../../shared/schemas/dashboard';
import { rpc, RpcFailure } from '../../api';
import { BarChart, type BarDatum } from '../../components/BarChart';
import { DepotSelect } from '../../components/DepotSelect';
import { useSessionState } from '../../components/useSessionState';
import { formatFen, formatQuantity } from '../../format';
import { common } from '../../i18n/common';
import { defineMessages, useMessages, useTerms } from '../../i18n/messages';
import { href, navigate } from '../../router';

const messages = defineMessages(
  {
    title: '工作台',
    asOf: '截至 {date}',
    allDepots: '全市所有储备库',
    depotFilter: '储备库',
    expiring: '临期批次',
    expiringHint: '进入预警期、尚未过期，建议轮换',
    expired: '已过期批次',
    expiredHint: '已过有效期仍有库存，需处置',
    belowQuota: '低于储备定额',
    belowQuotaHint: '可用库存低于定额的库 × 物资',
    tagExpiring: '临期',
    tagExpired: '已过期',
    tagBelow: '低于定额',
    tagNone: '无',
    open: '查看清单',
    totalValue: '库存总值（按参考单价）',
    totals: '物资 {materials} 种 · 储备库 {depots} 个',
    byCategory: '按类别',
    byLevel: '按储备库级别',
    metricValue: '金额',
    metricQuantity: '数量',
    metricLabel: '统计口径',
    quantityNote: '数量为各计量单位的件数合计，仅用于粗略比较。',
    unpricedNote: '“—”：该类物资没有参考单价，未计入金额（{n} 个类别）；切换到“数量”可比较全部类别。',
    unpriced: '无参考单价',
    uncategorised: '未分类',
    levelLabel: '{level}（{n} 个库）',
    chartCategory: '各类别库存{metric}',
    chartLevel: '各级储备库库存{metric}',
    colLevel: '级别',
    colDepots: '储备库数',
    colQuantity: '数量',
    colValue: '金额',
    noStock: '暂无库存',
    clickHint: '点击条形查看该类库存',
  },
  {
    title: 'Dashboard',
    asOf: 'As of {date}',
    allDepots: 'All depots in the city',
    depotFilter: 'Depot',
    expiring: 'Expiring lots',
    expiringHint: 'Within their warning window: rotate them',
    expired: 'Expired lots',
    expiredHint: 'Past expiry with stock left: dispose of them',
    belowQuota: 'Below reserve quota',
    belowQuotaHint: 'Depot × material with available stock under quota',
    tagExpiring: 'Expiring',
    tagExpired: 'Expired',
    tagBelow: 'Below quota',
    tagNone: 'None',
    open: 'Open list',
    totalValue: 'Stock value (reference prices)',
    totals: '{materials} materials · {depots} depots',
    byCategory: 'By category',
    byLevel: 'By depot level',
    metricValue: 'Value',
    metricQuantity: 'Quantity',
    metricLabel: 'Measure',
    quantityNote: 'Quantities add up items of different units: for a rough comparison only.',
    unpricedNote:
      '"—": no reference price, left out of the value ({n} categories); switch to Quantity to compare all.',
    unpriced: 'no reference price',
    uncategorised: 'Uncategorised',
    levelLabel: '{level} ({n})',
    chartCategory: 'Stock {metric} by category',
    chartLevel: 'Stock {metric} by depot level',
    colLevel: 'Level',
    colDepots: 'Depots',
    colQuantity: 'Quantity',
    colValue: 'Value',
    noStock: 'No stock',
    clickHint: 'Click a bar to see that stock',
  },
);

type Metric = 'value' | 'quantity';
type WarningKind = 'expiring' | 'expired' | 'belowQuota';

const WARNING_COLOR: Record<WarningKind, string> = {
  expiring: '#d46b08',
  expired: '#cf1322',
  belowQuota: '#cf1322',
};
const WARNING_TAG: Record<WarningKind, string> = { expiring: 'orange', expired: 'red', belowQuota: 'red' };

export default function DashboardPage() {
  const t = useMessages(messages);
  const c = useMessages(common);
  const terms = useTerms();
  const [prefs, setPrefs] = useSessionState<{ depotId?: number; metric: Metric }>('dashboard', {
    metric: 'value',
  });
  const [data, setData] = useState<DashboardSummary | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    setError(null);
    rpc('dashboard.summary', { depotId: prefs.depotId }).then(setData, (e: unknown) =>
      setError(e instanceof RpcFailure ? e.message : String(e)),
    );
  }, [prefs.depotId]);
  useEffect(load, [load]);

  const metric = prefs.metric;
  const metricName = metric === 'value' ? t('metricValue') : t('metricQuantity');

  // By value, categories without a reference price stay listed (greyed, 无参考单价) after the priced ones.
  const categoryBars = useMemo<BarDatum[]>(() => {
    if (!data) return [];
    return data.byCategory
      .filter((r) => r.onHand > 0)
      .sort((a, b) =>
        metric === 'value' ? b.valueFen - a.valueFen || b.onHand - a.onHand : b.onHand - a.onHand,
      )
      .map((r) => ({
        key: r.category ?? '',
        label: r.category ?? t('uncategorised'),
        value: metric === 'value' ? r.valueFen : r.onHand,
        display:
          metric === 'value' ? (r.valueFen > 0 ? formatFen(r.valueFen) : '—') : formatQuantity(r.onHand),
        title:
          metric === 'value' && r.valueFen === 0
            ? `${r.category ?? t('uncategorised')}: ${t('unpriced')}`
            : undefined,
        muted: metric === 'value' && r.valueFen === 0,
        onClick: r.category
          ? () => navigate('/stock', { category: r.category, depotId: prefs.depotId })
          : undefined,
      }));
  }, [data, metric, prefs.depotId, t]);

  const unpriced = useMemo(
    () => (data ? data.byCategory.filter((r) => r.valueFen === 0 && r.onHand > 0).length : 0),
    [data],
  );

  const levelBars = useMemo<BarDatum[]>(
    () =>
      (data?.byLevel ?? []).map((r) => ({
        key: r.level,
        label: t('levelLabel', { level: terms(`level.${r.level}`), n: r.depots }),
        value: metric === 'value' ? r.valueFen : r.onHand,
        display: metric === 'value' ? formatFen(r.valueFen) : formatQuantity(r.onHand),
        onClick: prefs.depotId === undefined ? () => navigate('/stock', { level: r.level }) : undefined,
      })),
    [data, metric, prefs.depotId, t, terms],
  );

  if (error) {
    return (
      <Alert type="error" showIcon title={error} action={<Button onClick={load}>{c('retry')}</Button>} />
    );
  }
  if (!data) return <Spin style={{ display: 'block', marginTop: 80 }} />;

  const totalValue = data.byCategory.reduce((s, r) => s + r.valueFen, 0);
  const totalMaterials = data.byCategory.reduce((s, r) => s + r.materials, 0);
  const totalDepots = data.byLevel.reduce((s, r) => s + r.depots, 0);

  const warningCard = (kind: WarningKind) => {
    const count = data.warnings[kind];
    const tag = kind === 'expiring' ? t('tagExpiring') : kind === 'expired' ? t('tagExpired') : t('tagBelow');
    return (
      <a
        href={href('/warnings', { type: kind, depotId: prefs.depotId })}
        data-testid={`warning-${kind}`}
        aria-label={`${t(kind)} ${count}`}
        style={{ display: 'block' }}
      >
        <Card size="small" hoverable styles={{ body: { padding: '10px 16px' } }}>
          <Flex justify="space-between" align="center">
            <Typography.Text strong>{t(kind)}</Typography.Text>
            <Tag color={count > 0 ? WARNING_TAG[kind] : 'default'}>{count > 0 ? tag : t('tagNone')}</Tag>
          </Flex>
          <div
            className="num"
            data-testid={`warning-${kind}-count`}
            style={{
              textAlign: 'left',
              fontSize: 30,
              lineHeight: '40px',
              fontWeight: 600,
              color: count > 0 ? WARNING_COLOR[kind] : '#8c8c8c',
            }}
          >
            {formatQuantity(count)}
          </div>
          <Flex justify="space-between">
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t(`${kind}Hint`)}
            </Typography.Text>
            <Typography.Link style={{ fontSize: 12, whiteSpace: 'nowrap' }}>{t('open')} ›</Typography.Link>
          </Flex>
        </Card>
      </a>
    );
  };

  return (
    <Flex vertical gap={12}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Flex align="baseline" gap={12}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('asOf', { date: data.today })}</Typography.Text>
        </Flex>
        <Flex gap={8} align="center">
          <DepotSelect
            allowClear
            placeholder={t('allDepots')}
            value={prefs.depotId}
            onChange={(depotId) => setPrefs((p) => ({ ...p, depotId }))}
            aria-label={t('depotFilter')}
            style={{ width: 240 }}
          />
          <Segmented<Metric>
            aria-label={t('metricLabel')}
            value={metric}
            onChange={(m) => setPrefs((p) => ({ ...p, metric: m }))}
            options={[
              { label: t('metricValue'), value: 'value' },
              { label: t('metricQuantity'), value: 'quantity' },
            ]}
          />
        </Flex>
      </Flex>

      <Row gutter={12}>
        <Col span={6}>{warningCard('expiring')}</Col>
        <Col span={6}>{warningCard('expired')}</Col>
        <Col span={6}>{warningCard('belowQuota')}</Col>
        <Col span={6}>
          <Card size="small" styles={{ body: { padding: '10px 16px' } }}>
            <Typography.Text strong>{t('totalValue')}</Typography.Text>
            <div
              className="num"
              style={{ textAlign: 'left', fontSize: 24, lineHeight: '40px', fontWeight: 600 }}
            >
              {formatFen(totalValue)}
            </div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('totals', {
                materials: formatQuantity(totalMaterials),
                depots: formatQuantity(totalDepots),
              })}
            </Typography.Text>
          </Card>
        </Col>
      </Row>

      <Row gutter={12}>
        <Col span={14}>
          <Card
            size="small"
            title={t('byCategory')}
            extra={
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('clickHint')}
              </Typography.Text>
            }
          >
            <BarChart
              testId="chart-category"
              ariaLabel={t('chartCategory', { metric: metricName })}
              data={categoryBars}
              valueWidth={metric === 'value' ? 130 : 90}
              rowHeight={categoryBars.length > 14 ? 21 : 24}
              emptyText={t('noStock')}
            />
            <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '8px 0 0' }}>
              {metric === 'quantity'
                ? t('quantityNote')
                : unpriced > 0
                  ? t('unpricedNote', { n: unpriced })
                  : null}
            </Typography.Paragraph>
          </Card>
        </Col>
        <Col span={10}>
          <Card size="small" title={t('byLevel')}>
            <BarChart
              testId="chart-level"
              ariaLabel={t('chartLevel', { metric: metricName })}
              data={levelBars}
              labelWidth={136}
              valueWidth={metric === 'value' ? 130 : 90}
              color="#13a8a8"
            />
            <Table
              size="small"
              style={{ marginTop: 12 }}
              pagination={false}
              rowKey="level"
              dataSource={data.byLevel}
              columns={[
                {
                  title: t('colLevel'),
                  dataIndex: 'level',
                  render: (level: DashboardSummary['byLevel'][number]['level']) => terms(`level.${level}`),
                },
                {
                  title: t('colDepots'),
                  dataIndex: 'depots',
                  align: 'right',
                  className: 'num',
                  render: formatQuantity,
                },
                {
                  title: t('colQuantity'),
                  dataIndex: 'onHand',
                  align: 'right',
                  className: 'num',
                  render: formatQuantity,
                },
                {
                  title: t('colValue'),
                  dataIndex: 'valueFen',
                  align: 'right',
                  className: 'num',
                  render: formatFen,
                },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </Flex>
  );
}
