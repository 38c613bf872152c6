/**
 * 工作台: the warnings that need someone today (expiring, expired, below quota) as big counts
 * that open the filtered lists, and the stock picture city-wide: by category and by depot
 * level, as value (¥) or quantity. Optionally narrowed to one depot.
 */
import { Alert, Button, Card, Col, Flex, Row, Segmented, Spin, Table, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import type { DashboardSummary } from '../../../shared/schemas/dashboard';
import { BarChart, type BarDatum } from '../../components/BarChart';
import { DepotSelect } from '../../components/DepotSelect';
import { useRpc } from '../../components/useRpc';
import { useSessionState } from '../../components/useSessionState';
import { useSession } from '../../session';
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
    awaitingMe: '待我审批',
    awaitingHint: '特急、最早的在前',
    tagAwaiting: '待审批',
    planned: '待发车',
    plannedHint: '已生成配送单，尚未发车',
    inTransit: '在途',
    inTransitHint: '已发车，尚未签收',
    overdue: '逾期',
    overdueHint: '超过计划到达时间仍未送达',
    shortages: '短缺（低于储备定额）',
    shortagesMore: '全部 {n} 项 ›',
    noShortage: '没有低于定额的物资',
    keyMaterials: '重点物资：可用 / 定额',
    nextExpiring: '即将到期',
    noExpiring: '近期没有到期批次',
    daysLeft: '{n} 天',
    scopeMine: '我的储备库',
    scopeDistrict: '本辖区',
    scopeCity: '全市',
    moreItems: '等 {n} 项',
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
    awaitingMe: 'Awaiting my decision',
    awaitingHint: 'Most urgent and oldest first',
    tagAwaiting: 'To decide',
    planned: 'To leave',
    plannedHint: 'Planned, not yet dispatched',
    inTransit: 'In transit',
    inTransitHint: 'Dispatched, not yet signed for',
    overdue: 'Overdue',
    overdueHint: 'Past the planned arrival, not delivered',
    shortages: 'Short (below reserve quota)',
    shortagesMore: 'All {n} ›',
    noShortage: 'Nothing below quota',
    keyMaterials: 'Key materials: available / quota',
    nextExpiring: 'Expiring next',
    noExpiring: 'No lots expiring soon',
    daysLeft: '{n} d',
    scopeMine: 'My depots',
    scopeDistrict: 'My district',
    scopeCity: 'Whole city',
    moreItems: '({n} in all)',
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
  const { user, depots } = useSession();
  // Quantity (per unit) is the default measure: in an emergency people count tents, not yuan.
  const [prefs, setPrefs] = useSessionState<{ depotId?: number; metric: Metric; wholeCity: boolean }>(
    'dashboard',
    { metric: 'quantity', wholeCity: false },
  );
  // A keeper opens on their own depots, a district coordinator on their district (全市 beside).
  const mine = useMemo(() => {
    if (user?.role === 'keeper') return user.depotIds.length > 0 ? user.depotIds : null;
    const district = user?.role === 'coordinator' ? user.jurisdictionDepotId : null;
    if (district === null || district === undefined) return null;
    return [district, ...depots.filter((d) => d.parentId === district).map((d) => d.depotId)];
  }, [user, depots]);
  const input =
    prefs.depotId !== undefined
      ? { depotId: prefs.depotId }
      : mine && !prefs.wholeCity
        ? { depotIds: mine }
        : {};
  const summary = useRpc('dashboard.summary', input, { live: true });
  const data = summary.data ?? null;
  const error = summary.error;
  const load = () => void summary.reload();

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

  /** A count that opens its list: big when something needs someone, grey at zero. */
  const countCard = (p: {
    id: string;
    label: string;
    hint: string;
    count: number;
    link: string;
    color: string;
    tag: string;
    tagColor: string;
  }) => (
    <a href={p.link} data-testid={p.id} aria-label={`${p.label} ${p.count}`} style={{ display: 'block' }}>
      <Card size="small" hoverable styles={{ body: { padding: '8px 12px' } }}>
        <Flex justify="space-between" align="center" gap={4}>
          <Typography.Text strong ellipsis style={{ minWidth: 0 }}>
            {p.label}
          </Typography.Text>
          <Tag color={p.count > 0 ? p.tagColor : 'default'} style={{ marginInlineEnd: 0 }}>
            {p.count > 0 ? p.tag : t('tagNone')}
          </Tag>
        </Flex>
        <div
          className="num"
          data-testid={`${p.id}-count`}
          style={{
            textAlign: 'left',
            fontSize: 28,
            lineHeight: '36px',
            fontWeight: 600,
            color: p.count > 0 ? p.color : '#8c8c8c',
          }}
        >
          {formatQuantity(p.count)}
        </div>
        <Typography.Text type="secondary" ellipsis style={{ fontSize: 12, display: 'block' }}>
          {p.hint}
        </Typography.Text>
      </Card>
    </a>
  );
  const warningCard = (kind: WarningKind) =>
    countCard({
      id: `warning-${kind}`,
      label: t(kind),
      hint: t(`${kind}Hint`),
      count: data.warnings[kind],
      link: href('/warnings', { type: kind, depotId: prefs.depotId }),
      color: WARNING_COLOR[kind],
      tag: kind === 'expiring' ? t('tagExpiring') : kind === 'expired' ? t('tagExpired') : t('tagBelow'),
      tagColor: WARNING_TAG[kind],
    });
  const coordinator = user?.role === 'coordinator';
  const flowCards = [
    coordinator
      ? countCard({
          id: 'flow-awaiting',
          label: t('awaitingMe'),
          hint: t('awaitingHint'),
          count: data.flow.awaitingMe,
          link: href('/approvals'),
          color: '#d46b08',
          tag: t('tagAwaiting'),
          tagColor: 'orange',
        })
      : countCard({
          id: 'flow-planned',
          label: t('planned'),
          hint: t('plannedHint'),
          count: data.flow.planned,
          link: href('/deliveries', { column: 'planned' }),
          color: '#d46b08',
          tag: t('planned'),
          tagColor: 'orange',
        }),
    countCard({
      id: 'flow-in-transit',
      label: t('inTransit'),
      hint: t('inTransitHint'),
      count: data.flow.inTransit,
      link: href('/deliveries', { column: 'inTransit' }),
      color: '#08979c',
      tag: t('inTransit'),
      tagColor: 'cyan',
    }),
    countCard({
      id: 'flow-overdue',
      label: t('overdue'),
      hint: t('overdueHint'),
      count: data.flow.overdue,
      link: href('/deliveries', { column: 'overdue' }),
      color: '#cf1322',
      tag: t('overdue'),
      tagColor: 'red',
    }),
  ];
  // The shortage panel: depots ranked by how many materials they lack, each with its worst gaps.
  const byDepot = new Map<number, DashboardSummary['shortages']>();
  for (const r of data.shortages) byDepot.set(r.depotId, [...(byDepot.get(r.depotId) ?? []), r]);
  const shortDepots = [...byDepot.values()]
    .sort((a, b) => b.length - a.length || a[0]!.depotId - b[0]!.depotId)
    .slice(0, 6);

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
          {mine && prefs.depotId === undefined && (
            <Segmented<'mine' | 'city'>
              data-testid="dashboard-scope"
              value={prefs.wholeCity ? 'city' : 'mine'}
              onChange={(v) => setPrefs((p) => ({ ...p, wholeCity: v === 'city' }))}
              options={[
                { value: 'mine', label: user?.role === 'keeper' ? t('scopeMine') : t('scopeDistrict') },
                { value: 'city', label: t('scopeCity') },
              ]}
            />
          )}
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
        {flowCards.map((card, k) => (
          <Col span={4} key={k}>
            {card}
          </Col>
        ))}
        <Col span={4}>{warningCard('expiring')}</Col>
        <Col span={4}>{warningCard('expired')}</Col>
        <Col span={4}>{warningCard('belowQuota')}</Col>
      </Row>

      <Row gutter={12}>
        <Col span={10}>
          <Card
            size="small"
            title={t('shortages')}
            data-testid="shortage-panel"
            extra={
              data.warnings.belowQuota > 0 && (
                <a href={href('/warnings', { type: 'belowQuota', depotId: prefs.depotId })}>
                  {t('shortagesMore', { n: data.warnings.belowQuota })}
                </a>
              )
            }
            styles={{ body: { padding: '6px 12px', minHeight: 150 } }}
          >
            {shortDepots.length === 0 ? (
              <Typography.Text type="secondary">{t('noShortage')}</Typography.Text>
            ) : (
              shortDepots.map((rows) => (
                <div key={rows[0]!.depotId} style={{ display: 'flex', gap: 8, lineHeight: '24px' }}>
                  <Typography.Text strong ellipsis style={{ width: 150, flex: 'none' }}>
                    {rows[0]!.depotName}
                  </Typography.Text>
                  <Typography.Text ellipsis style={{ flex: 1 }}>
                    {rows
                      .slice(0, 3)
                      .map((r) => `${r.materialName} −${formatQuantity(r.shortBy)} ${r.unit}`)
                      .join('　')}
                    {rows.length > 3 ? ` ${t('moreItems', { n: rows.length })}` : ''}
                  </Typography.Text>
                </div>
              ))
            )}
          </Card>
        </Col>
        <Col span={7}>
          <Card
            size="small"
            title={t('keyMaterials')}
            data-testid="key-materials"
            styles={{ body: { padding: '6px 12px', minHeight: 150 } }}
          >
            {data.keyMaterials.map((m) => (
              <Flex key={m.materialId} justify="space-between" style={{ lineHeight: '24px' }}>
                <Typography.Text ellipsis style={{ maxWidth: 150 }}>
                  {m.name}
                </Typography.Text>
                <Typography.Text className="num" type={m.available < m.quota ? 'danger' : undefined}>
                  {formatQuantity(m.available)} / {formatQuantity(m.quota)} {m.unit}
                </Typography.Text>
              </Flex>
            ))}
          </Card>
        </Col>
        <Col span={7}>
          <Card
            size="small"
            title={t('nextExpiring')}
            data-testid="next-expiring"
            styles={{ body: { padding: '6px 12px', minHeight: 150 } }}
          >
            {data.nextExpiring.length === 0 ? (
              <Typography.Text type="secondary">{t('noExpiring')}</Typography.Text>
            ) : (
              data.nextExpiring.map((r) => (
                <Flex key={r.batchId} justify="space-between" gap={8} style={{ lineHeight: '24px' }}>
                  <Typography.Text ellipsis style={{ flex: 1 }}>
                    {r.depotName} · {r.materialName} {r.lotNo}
                  </Typography.Text>
                  <Typography.Text className="num" type="warning">
                    {r.expiresOn}（{t('daysLeft', { n: r.daysLeft })}）
                  </Typography.Text>
                </Flex>
              ))
            )}
          </Card>
        </Col>
      </Row>

      <Row gutter={12}>
        <Col span={14}>
          <Card
            size="small"
            title={t('byCategory')}
            extra={
              <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="stock-totals">
                {t('totals', {
                  materials: formatQuantity(totalMaterials),
                  depots: formatQuantity(totalDepots),
                })}
                {metric === 'value' && ` · ${t('totalValue')} ${formatFen(totalValue)}`} · {t('clickHint')}
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
