/**
 * 盘点: the stocktakes (newest first) with their state and progress, filtered by depot and
 * state (filters stay for the session), and opening a new one for a depot: book quantities are
 * frozen and movements in that depot stop until the stocktake is approved or cancelled.
 */
import {
  Alert,
  App,
  Button,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { OutputOf } from '../../../shared/api';
import { rpc, RpcFailure } from '../../api';
import { DepotSelect } from '../../components/DepotSelect';
import { ExportButton } from '../../components/ExportButton';
import { applyServerErrors } from '../../components/serverErrors';
import { usePosting } from '../../components/usePosting';
import { useSessionState } from '../../components/useSessionState';
import { useFillHeight } from '../../components/useFillHeight';
import { formatQuantity, formatTime } from '../../format';
import { common } from '../../i18n/common';
import { defineMessages, useMessages, useTerms } from '../../i18n/messages';
import { href, navigate } from '../../router';
import { useSession } from '../../session';
import { StatusTag } from '../../components/StatusTag';
import type { STOCKTAKE_STATUSES } from '../../../shared/schemas/stocktake';

type StocktakeStatus = (typeof STOCKTAKE_STATUSES)[number];

const messages = defineMessages(
  {
    title: '盘点',
    newStocktake: '新建盘点',
    docNo: '盘点单号',
    depot: '储备库',
    status: '状态',
    progress: '已盘 / 行数',
    differences: '差异行',
    openedBy: '开单人',
    openedAt: '开单时间',
    closedBy: '审批/作废人',
    closedAt: '结束时间',
    note: '备注',
    allDepots: '全部储备库',
    allStatuses: '全部状态',
    openTitle: '新建盘点单',
    openHint:
      '开单时冻结该库所有批次的账面数量。盘点单审批或作废之前，该库暂停一切出入库（入库、出库、移库、报废、红冲），请在盘点完成后及时提交审批。',
    openAction: '开始盘点',
    notePlaceholder: '如：年度盘点、汛前盘点',
    opened: '已开单 {docNo}，共 {n} 行',
    filterDepot: '储备库：{depot}',
    filterStatus: '状态：{status}',
    empty: '暂无盘点单',
  },
  {
    title: 'Stocktakes',
    newStocktake: 'New stocktake',
    docNo: 'Stocktake no.',
    depot: 'Depot',
    status: 'Status',
    progress: 'Counted / lines',
    differences: 'Differences',
    openedBy: 'Opened by',
    openedAt: 'Opened at',
    closedBy: 'Approved/cancelled by',
    closedAt: 'Closed at',
    note: 'Note',
    allDepots: 'All depots',
    allStatuses: 'All states',
    openTitle: 'New stocktake',
    openHint:
      'Opening freezes the book quantity of every batch in the depot. Until the stocktake is approved or cancelled, no stock moves in that depot (receipt, issue, transfer, scrap, reversal): submit it for approval as soon as counting is done.',
    openAction: 'Start counting',
    notePlaceholder: 'e.g. annual count, pre-flood-season count',
    opened: 'Opened {docNo} with {n} lines',
    filterDepot: 'Depot: {depot}',
    filterStatus: 'State: {status}',
    empty: 'No stocktakes',
  },
);

type Summary = OutputOf<'stocktake.list'>[number];

interface Filters {
  depotId: number | null;
  status: StocktakeStatus | null;
}

export default function StocktakeListPage() {
  const t = useMessages(messages);
  const c = useMessages(common);
  const terms = useTerms();
  const s = (status: StocktakeStatus) => terms(`stocktake.status.${status}`);
  const { depots, user } = useSession();
  const [filters, setFilters] = useSessionState<Filters>('stocktake.list', { depotId: null, status: null });
  const [rows, setRows] = useState<Summary[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [opening, setOpening] = useState(false);
  const [tableBox, height] = useFillHeight(90);

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      setRows(
        await rpc('stocktake.list', {
          depotId: filters.depotId ?? undefined,
          status: filters.status ?? undefined,
        }),
      );
    } catch (e) {
      setError(e instanceof RpcFailure ? e.message : String(e));
    } finally {
      setLoading(false);
    }
  }, [filters.depotId, filters.status]);
  useEffect(() => {
    void load();
  }, [load]);

  const active = [
    filters.depotId !== null
      ? t('filterDepot', {
          depot: depots.find((d) => d.depotId === filters.depotId)?.name ?? String(filters.depotId),
        })
      : null,
    filters.status !== null ? t('filterStatus', { status: s(filters.status) }) : null,
  ].filter((f): f is string => f !== null);

  const columns = useMemo<TableColumnsType<Summary>>(
    () => [
      {
        title: t('docNo'),
        dataIndex: 'docNo',
        width: 150,
        render: (docNo: string, r) => (
          <a href={href(`/stocktake/${r.stocktakeId}`)} onClick={(e) => e.stopPropagation()}>
            {docNo}
          </a>
        ),
      },
      { title: t('depot'), dataIndex: 'depotName', width: 190, ellipsis: true },
      {
        title: t('status'),
        dataIndex: 'status',
        width: 90,
        render: (v: StocktakeStatus) => <StatusTag kind="stocktake" status={v} />,
      },
      {
        title: t('progress'),
        key: 'progress',
        width: 100,
        align: 'right',
        className: 'num',
        render: (_, r) => `${formatQuantity(r.countedCount)} / ${formatQuantity(r.lineCount)}`,
      },
      {
        title: t('differences'),
        dataIndex: 'differenceCount',
        width: 70,
        align: 'right',
        className: 'num',
        render: (v: number) => formatQuantity(v),
      },
      { title: t('openedBy'), dataIndex: 'openedBy', width: 110, ellipsis: true },
      {
        title: t('openedAt'),
        dataIndex: 'openedAt',
        width: 130,
        render: (v: string) => formatTime(v),
      },
      { title: t('closedBy'), dataIndex: 'closedBy', width: 110, ellipsis: true },
      {
        title: t('closedAt'),
        dataIndex: 'closedAt',
        width: 130,
        render: (v: string | null) => formatTime(v),
      },
      { title: t('note'), dataIndex: 'note', ellipsis: true },
    ],
    [t],
  );

  return (
    <div>
      <Space style={{ marginBottom: 12, width: '100%', justifyContent: 'space-between' }} wrap>
        <Space wrap>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('title')}
          </Typography.Title>
          <DepotSelect
            includeInactive
            allowClear
            placeholder={t('allDepots')}
            aria-label={t('depot')}
            style={{ width: 220 }}
            value={filters.depotId ?? undefined}
            onChange={(v) => setFilters((f) => ({ ...f, depotId: v ?? null }))}
          />
          <Select<StocktakeStatus>
            allowClear
            placeholder={t('allStatuses')}
            aria-label={t('status')}
            style={{ width: 130 }}
            value={filters.status ?? undefined}
            onChange={(v) => setFilters((f) => ({ ...f, status: v ?? null }))}
            options={(['open', 'approved', 'cancelled'] as const).map((v) => ({ value: v, label: s(v) }))}
          />
          {active.length > 0 && (
            <Button onClick={() => setFilters({ depotId: null, status: null })}>{c('reset')}</Button>
          )}
        </Space>
        <Space>
          <ExportButton report="stocktake" filters={{ depotId: filters.depotId ?? undefined }} />
          <Button type="primary" onClick={() => setOpening(true)}>
            {t('newStocktake')}
          </Button>
        </Space>
      </Space>
      {error && (
        <Alert
          type="error"
          showIcon
          title={error}
          style={{ marginBottom: 12 }}
          action={
            <Button size="small" onClick={() => void load()}>
              {c('retry')}
            </Button>
          }
        />
      )}
      <div ref={tableBox}>
        <Table<Summary>
          size="small"
          rowKey="stocktakeId"
          sticky
          virtual
          loading={loading}
          columns={columns}
          dataSource={rows}
          pagination={false}
          scroll={{ x: 1140, y: height }}
          locale={{ emptyText: t('empty') }}
          onRow={(r) => ({
            onClick: () => navigate(`/stocktake/${r.stocktakeId}`),
            style: { cursor: 'pointer' },
          })}
          data-testid="stocktake-list"
        />
      </div>
      <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8 }}>
        {c('rows', { n: formatQuantity(rows.length) })} ·{' '}
        {active.length > 0 ? c('filters', { filters: active.join('，') }) : c('noFilters')}
      </Typography.Text>
      {opening && (
        <OpenStocktakeModal
          defaultDepotId={user?.role === 'keeper' ? user.depotIds[0] : (filters.depotId ?? undefined)}
          onClose={() => setOpening(false)}
        />
      )}
    </div>
  );
}

function OpenStocktakeModal({ defaultDepotId, onClose }: { defaultDepotId?: number; onClose: () => void }) {
  const t = useMessages(messages);
  const c = useMessages(common);
  const { message } = App.useApp();
  const [form] = Form.useForm<{ depotId?: number; note: string | null }>();
  const posting = usePosting();

  const submit = async (values: { depotId?: number; note: string | null }) => {
    const st = await posting.post(
      (idempotencyKey) =>
        rpc('stocktake.open', { depotId: values.depotId!, note: values.note }, { idempotencyKey }),
      (e) => applyServerErrors(form, e),
    );
    if (!st) return;
    void message.success(t('opened', { docNo: st.docNo, n: formatQuantity(st.lineCount) }));
    navigate(`/stocktake/${st.stocktakeId}`);
  };

  return (
    <Modal
      open
      title={t('openTitle')}
      onCancel={onClose}
      okText={t('openAction')}
      cancelText={c('cancel')}
      okButtonProps={{ loading: posting.posting, htmlType: 'submit', form: 'stocktake-open' }}
      destroyOnHidden
      width={520}
    >
      <Alert type="warning" showIcon title={t('openHint')} style={{ marginBottom: 16 }} />
      {posting.alert && <Alert type="error" showIcon title={posting.alert} style={{ marginBottom: 16 }} />}
      <Form
        id="stocktake-open"
        form={form}
        layout="vertical"
        onFinish={submit}
        onValuesChange={posting.changed}
        initialValues={{ depotId: defaultDepotId, note: null }}
      >
        <Form.Item name="depotId" label={t('depot')} rules={[{ required: true, message: c('required') }]}>
          <DepotSelect mine autoFocus />
        </Form.Item>
        <Form.Item name="note" label={t('note')}>
          <Input placeholder={t('notePlaceholder')} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
