/**
 * 配送单 board: 待发 / 在途 / 已送达 / 逾期 with their counts, each order with where it loads,
 * where it goes, the vehicle and driver, the planned arrival and its running timer. Filters:
 * incident and depot. Keeps itself current; a thousand open orders stay smooth (VirtualTable).
 */
import { Segmented, Space, Typography } from 'antd';
import { useMemo } from 'react';
import type { DeliverySummaryDto } from '../../../shared/schemas/delivery';
import { DepotSelect } from '../../components/DepotSelect';
import { DocLink } from '../../components/DocLink';
import { ExportButton } from '../../components/ExportButton';
import { IncidentSelect, useIncidents } from '../../components/IncidentSelect';
import { ListScreen } from '../../components/ListScreen';
import { OverdueTag, StatusTag } from '../../components/StatusTag';
import { useRpc } from '../../components/useRpc';
import { useSessionState } from '../../components/useSessionState';
import { VirtualTable, type VirtualColumn } from '../../components/VirtualTable';
import { formatTime } from '../../format';
import { useMessages } from '../../i18n/messages';
import { navigate, useRoute } from '../../router';
import { useSession } from '../../session';
import { UrgencyTag } from '../allocation/UrgencyTag';
import { deliveryMessages, spanSeconds, useDuration } from './deliveryMessages';

const COLUMNS = ['planned', 'inTransit', 'delivered', 'overdue'] as const;
type Column = (typeof COLUMNS)[number];

const inColumn = (column: Column, d: DeliverySummaryDto) =>
  column === 'overdue'
    ? d.overdue
    : column === 'planned'
      ? d.status === 'planned'
      : column === 'inTransit'
        ? d.status === 'dispatched'
        : d.status === 'delivered' || d.status === 'closed';

interface Filters {
  column: Column;
  incidentId: number | null;
  depotId: number | null;
}

export default function DeliveryBoardPage() {
  const t = useMessages(deliveryMessages);
  const duration = useDuration();
  const { depots } = useSession();
  const route = useRoute();
  const linked = route.query.get('column') as Column | null;
  const [filters, setFilters] = useSessionState<Filters>(
    'deliveries',
    { column: 'inTransit', incidentId: null, depotId: null },
    linked && COLUMNS.includes(linked) ? (stored) => ({ ...stored, column: linked }) : null,
  );
  const incidents = useIncidents();
  const board = useRpc(
    'delivery.list',
    {
      board: true,
      limit: 5000,
      ...(filters.incidentId ? { incidentId: filters.incidentId } : {}),
      ...(filters.depotId ? { depotId: filters.depotId } : {}),
    },
    { live: true },
  );
  const all = useMemo(() => board.data ?? [], [board.data]);
  const counts = useMemo(
    () =>
      Object.fromEntries(COLUMNS.map((c) => [c, all.filter((d) => inColumn(c, d)).length])) as Record<
        Column,
        number
      >,
    [all],
  );
  const rows = useMemo(() => all.filter((d) => inColumn(filters.column, d)), [all, filters.column]);

  const columns: VirtualColumn<DeliverySummaryDto>[] = [
    { key: 'docNo', title: t('docNo'), width: 140, render: (d) => <DocLink docNo={d.docNo} /> },
    {
      key: 'status',
      title: t('status'),
      width: 150,
      render: (d) => (
        <Space size={4}>
          <StatusTag kind="delivery" status={d.status} />
          {d.overdue && <OverdueTag />}
          <UrgencyTag urgency={d.urgency} />
        </Space>
      ),
    },
    { key: 'from', title: t('from'), width: 140, render: (d) => d.sourceDepotNames.join('、') },
    { key: 'to', title: t('to'), width: 140, render: (d) => d.deliverToName },
    { key: 'vehicle', title: t('vehicle'), width: 88, render: (d) => d.vehiclePlate },
    { key: 'driver', title: t('driver'), width: 130, render: (d) => `${d.driverName} ${d.driverPhone}` },
    {
      key: 'arrival',
      title: t('plannedArrival'),
      width: 120,
      render: (d) => formatTime(d.plannedArrival),
      sorter: (a, b) => a.plannedArrival.localeCompare(b.plannedArrival),
    },
    {
      key: 'timer',
      title: t('timers'),
      width: 130,
      render: (d) =>
        d.status === 'planned'
          ? `${t('toDispatch')} ${duration(spanSeconds(d.approvedAt, null))}`
          : `${t('toDelivery')} ${duration(spanSeconds(d.dispatchedAt, d.receivedAt))}`,
    },
    { key: 'incident', title: t('incident'), width: 110, render: (d) => d.incidentName ?? '' },
  ];

  const active = [
    filters.incidentId
      ? t('filterIncident', {
          name: incidents.nameOf(filters.incidentId),
        })
      : null,
    filters.depotId
      ? t('filterDepot', { name: depots.find((d) => d.depotId === filters.depotId)?.name ?? '' })
      : null,
  ].filter((f): f is string => f !== null);

  return (
    <ListScreen
      title={t('board')}
      error={board.error}
      onRetry={() => void board.reload()}
      rows={rows.length}
      activeFilters={active}
      footnote={t('countLine', counts)}
      actions={
        <ExportButton
          report="deliveries"
          filters={{ incidentId: filters.incidentId ?? undefined, depotId: filters.depotId ?? undefined }}
        />
      }
      filters={
        <>
          <Segmented<Column>
            value={filters.column}
            onChange={(column) => setFilters((f) => ({ ...f, column }))}
            options={COLUMNS.map((c) => ({
              value: c,
              label: (
                <span data-testid={`board-${c}`}>
                  {t(c)}{' '}
                  <Typography.Text type={c === 'overdue' && counts[c] > 0 ? 'danger' : 'secondary'} strong>
                    {counts[c]}
                  </Typography.Text>
                </span>
              ),
            }))}
          />
          <IncidentSelect
            incidents={incidents}
            placeholder={t('allIncidents')}
            aria-label={t('incident')}
            value={filters.incidentId ?? undefined}
            onChange={(v) => setFilters((f) => ({ ...f, incidentId: v ?? null }))}
          />
          <DepotSelect
            allowClear
            placeholder={t('allDepots')}
            aria-label={t('from')}
            style={{ width: 180 }}
            value={filters.depotId ?? undefined}
            onChange={(v) => setFilters((f) => ({ ...f, depotId: v ?? null }))}
          />
        </>
      }
    >
      {(height) => (
        <div data-testid="delivery-board">
          <VirtualTable<DeliverySummaryDto>
            rows={rows}
            columns={columns}
            rowKey={(d) => String(d.deliveryId)}
            height={height}
            label={t('board')}
            onOpen={(d) => navigate(`/doc/${d.docNo}`)}
            empty={board.loading ? '…' : t('none')}
          />
        </div>
      )}
    </ListScreen>
  );
}
