/**
 * 调拨申请 (every request the user may see, newest first; filters: state, incident, urgency,
 * requesting depot, my level) and 审批 (the coordinator's queue: what waits for their decision,
 * most urgent and oldest first). Both keep themselves current: a new request or a decision
 * elsewhere appears within seconds.
 */
import { Button, Checkbox, Select, Table, type TableColumnsType } from 'antd';
import { REQUEST_STATUSES, URGENCIES, type AllocationSummaryDto } from '../../../shared/schemas/allocation';
import { DepotSelect } from '../../components/DepotSelect';
import { DocLink } from '../../components/DocLink';
import { ExportButton } from '../../components/ExportButton';
import { IncidentSelect, useIncidents } from '../../components/IncidentSelect';
import { ListScreen } from '../../components/ListScreen';
import { StatusTag } from '../../components/StatusTag';
import { useRpc } from '../../components/useRpc';
import { useSessionState } from '../../components/useSessionState';
import { formatTime } from '../../format';
import { useMessages, useTerms } from '../../i18n/messages';
import { navigate, useRoute } from '../../router';
import { useSession } from '../../session';
import { allocationMessages } from './allocationMessages';
import { UrgencyTag } from './UrgencyTag';

interface Filters {
  status: (typeof REQUEST_STATUSES)[number] | null;
  incidentId: number | null;
  urgency: (typeof URGENCIES)[number] | null;
  requesterDepotId: number | null;
  myJurisdiction: boolean;
}

export function AllocationList({ queue }: { queue: boolean }) {
  const t = useMessages(allocationMessages);
  const terms = useTerms();
  const { canCall, depots } = useSession();
  // A link that names filters (an incident page's counts) replaces the remembered ones.
  const { query } = useRoute();
  const linked = query.get('incidentId');
  const [filters, setFilters] = useSessionState<Filters>(
    queue ? 'approvals' : 'allocations',
    { status: null, incidentId: null, urgency: null, requesterDepotId: null, myJurisdiction: false },
    linked
      ? () => ({
          status: (REQUEST_STATUSES as readonly string[]).includes(query.get('status') ?? '')
            ? (query.get('status') as Filters['status'])
            : null,
          incidentId: Number(linked),
          urgency: null,
          requesterDepotId: null,
          myJurisdiction: false,
        })
      : null,
  );
  const incidents = useIncidents();
  const list = useRpc(
    'allocation.list',
    queue
      ? { awaitingMe: true, ...(filters.incidentId ? { incidentId: filters.incidentId } : {}) }
      : {
          ...(filters.status ? { status: filters.status } : {}),
          ...(filters.incidentId ? { incidentId: filters.incidentId } : {}),
          ...(filters.urgency ? { urgency: filters.urgency } : {}),
          ...(filters.requesterDepotId ? { requesterDepotId: filters.requesterDepotId } : {}),
          myJurisdiction: filters.myJurisdiction,
        },
    { live: true },
  );
  const rows = list.data ?? [];
  const incidentName = incidents.nameOf;

  const columns: TableColumnsType<AllocationSummaryDto> = [
    { title: t('docNo'), dataIndex: 'docNo', width: 150, render: (v: string) => <DocLink docNo={v} /> },
    {
      title: t('status'),
      dataIndex: 'status',
      width: 96,
      render: (_, r) => <StatusTag kind="allocation" status={r.status} />,
    },
    {
      title: t('urgency'),
      dataIndex: 'urgency',
      width: 72,
      render: (_, r) => <UrgencyTag urgency={r.urgency} />,
    },
    { title: t('requester'), dataIndex: 'requesterName', ellipsis: true },
    { title: t('deliverTo'), dataIndex: 'deliverToName', ellipsis: true },
    { title: t('incident'), dataIndex: 'incidentName', width: 150, ellipsis: true },
    { title: t('neededBy'), dataIndex: 'neededBy', width: 140, render: (v: string) => formatTime(v) },
    { title: t('lines'), dataIndex: 'lineCount', width: 60, align: 'right', className: 'num' },
    { title: t('createdAt'), dataIndex: 'createdAt', width: 140, render: (v: string) => formatTime(v) },
  ];

  const active = [
    !queue && filters.status ? `${t('status')}：${terms(`allocation.status.${filters.status}`)}` : null,
    filters.incidentId ? `${t('incident')}：${incidentName(filters.incidentId)}` : null,
    !queue && filters.urgency ? `${t('urgency')}：${terms(`urgency.${filters.urgency}`)}` : null,
    !queue && filters.requesterDepotId
      ? `${t('requesterDepot')}：${depots.find((d) => d.depotId === filters.requesterDepotId)?.name ?? ''}`
      : null,
    !queue && filters.myJurisdiction ? t('myJurisdiction') : null,
  ].filter((f): f is string => f !== null);

  return (
    <ListScreen
      title={queue ? t('approvals') : t('requests')}
      error={list.error}
      onRetry={() => void list.reload()}
      rows={rows.length}
      activeFilters={active}
      actions={
        !queue && (
          <>
            <ExportButton report="allocations" filters={{ incidentId: filters.incidentId ?? undefined }} />
            {canCall('allocation.create') && (
              <Button type="primary" onClick={() => navigate('/allocations/new')}>
                {t('newRequest')}
              </Button>
            )}
          </>
        )
      }
      filters={
        <>
          {!queue && (
            <Select
              allowClear
              placeholder={t('status')}
              aria-label={t('status')}
              style={{ width: 120 }}
              value={filters.status ?? undefined}
              onChange={(v) => setFilters((f) => ({ ...f, status: v ?? null }))}
              options={REQUEST_STATUSES.map((s) => ({ value: s, label: terms(`allocation.status.${s}`) }))}
            />
          )}
          <IncidentSelect
            incidents={incidents}
            placeholder={t('incident')}
            aria-label={t('incident')}
            value={filters.incidentId ?? undefined}
            onChange={(v) => setFilters((f) => ({ ...f, incidentId: v ?? null }))}
          />
          {!queue && (
            <Select
              allowClear
              placeholder={t('urgency')}
              aria-label={t('urgency')}
              style={{ width: 100 }}
              value={filters.urgency ?? undefined}
              onChange={(v) => setFilters((f) => ({ ...f, urgency: v ?? null }))}
              options={URGENCIES.map((u) => ({ value: u, label: terms(`urgency.${u}`) }))}
            />
          )}
          {!queue && (
            <DepotSelect
              allowClear
              placeholder={t('requesterDepot')}
              aria-label={t('requesterDepot')}
              style={{ width: 180 }}
              value={filters.requesterDepotId ?? undefined}
              onChange={(v) => setFilters((f) => ({ ...f, requesterDepotId: v ?? null }))}
            />
          )}
          {!queue && canCall('allocation.approve') && (
            <Checkbox
              checked={filters.myJurisdiction}
              onChange={(e) => setFilters((f) => ({ ...f, myJurisdiction: e.target.checked }))}
            >
              {t('myJurisdiction')}
            </Checkbox>
          )}
        </>
      }
    >
      {(height) => (
        <Table<AllocationSummaryDto>
          size="small"
          rowKey="requestId"
          sticky
          loading={list.loading}
          columns={columns}
          dataSource={rows}
          pagination={false}
          scroll={{ x: 1100, y: height }}
          onRow={(r) => ({ onClick: () => navigate(`/doc/${r.docNo}`), style: { cursor: 'pointer' } })}
          data-testid={queue ? 'approvals-table' : 'allocations-table'}
        />
      )}
    </ListScreen>
  );
}

export default function AllocationListPage() {
  return <AllocationList queue={false} />;
}
