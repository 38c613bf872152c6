/**
 * 突发事件: the incidents (active first, then closed), and the drawer a coordinator opens one
 * with: type, name, response level Ⅰ–Ⅳ, start, the affected depots, a note.
 */
import { Button, DatePicker, Form, Input, Segmented, Select, Table, Tag, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { INCIDENT_TYPES, type IncidentDto } from '../../../shared/schemas/allocation';
import { DepotSelect } from '../../components/DepotSelect';
import { EntityDrawer } from '../../components/EntityDrawer';
import { ListScreen } from '../../components/ListScreen';
import { StatusTag } from '../../components/StatusTag';
import { useRpc } from '../../components/useRpc';
import { useSessionState } from '../../components/useSessionState';
import { rpc } from '../../api';
import { formatTime } from '../../format';
import { common } from '../../i18n/common';
import { useMessages, useTerms } from '../../i18n/messages';
import { navigate } from '../../router';
import { useSession } from '../../session';
import { incidentMessages, LEVELS } from './incidentMessages';

interface Values {
  type: (typeof INCIDENT_TYPES)[number];
  name: string;
  responseLevel: number;
  startedAt: Dayjs;
  areaDepotIds: number[];
  note?: string;
}

export default function IncidentsPage() {
  const t = useMessages(incidentMessages);
  const terms = useTerms();
  const { canCall } = useSession();
  const [filters, setFilters] = useSessionState<{ status: 'active' | 'closed' | 'all' }>('incidents', {
    status: 'active',
  });
  const list = useRpc('incident.list', filters.status === 'all' ? {} : { status: filters.status }, {
    live: true,
  });
  const [creating, setCreating] = useState(false);
  const rows = list.data ?? [];

  const columns: TableColumnsType<IncidentDto> = [
    { title: t('name'), dataIndex: 'name', ellipsis: true },
    {
      title: t('type'),
      dataIndex: 'type',
      width: 110,
      render: (v: IncidentDto['type']) => terms(`incidentType.${v}`),
    },
    {
      title: t('level'),
      dataIndex: 'responseLevel',
      width: 90,
      render: (v: number) => (
        <Tag color={v <= 2 ? 'red' : 'orange'}>{t('levelN', { n: LEVELS[v - 1]! })}</Tag>
      ),
    },
    {
      title: t('status'),
      dataIndex: 'status',
      width: 90,
      render: (_, r) => <StatusTag kind="incident" status={r.status} />,
    },
    { title: t('startedAt'), dataIndex: 'startedAt', width: 140, render: (v: string) => formatTime(v) },
    { title: t('closedAt'), dataIndex: 'closedAt', width: 140, render: (v: string | null) => formatTime(v) },
    {
      title: t('area'),
      dataIndex: 'areaDepotIds',
      width: 90,
      align: 'right',
      render: (v: number[]) => v.length,
    },
  ];

  return (
    <ListScreen
      title={t('title')}
      error={list.error}
      onRetry={() => void list.reload()}
      rows={rows.length}
      activeFilters={filters.status === 'all' ? [] : [terms(`incident.status.${filters.status}`)]}
      actions={
        canCall('incident.create') && (
          <Button type="primary" onClick={() => setCreating(true)}>
            {t('create')}
          </Button>
        )
      }
      filters={
        <Segmented
          value={filters.status}
          onChange={(status) => setFilters({ status: status as 'active' | 'closed' | 'all' })}
          options={[
            { value: 'active', label: terms('incident.status.active') },
            { value: 'closed', label: terms('incident.status.closed') },
            { value: 'all', label: t('all') },
          ]}
        />
      }
    >
      {(height) => (
        <>
          <Table<IncidentDto>
            size="small"
            rowKey="incidentId"
            sticky
            loading={list.loading}
            columns={columns}
            dataSource={rows}
            pagination={false}
            scroll={{ y: height }}
            onRow={(r) => ({
              onClick: () => navigate(`/incidents/${r.incidentId}`),
              style: { cursor: 'pointer' },
            })}
            data-testid="incidents-table"
          />
          {creating && <IncidentDrawer onClose={() => setCreating(false)} />}
        </>
      )}
    </ListScreen>
  );
}

function IncidentDrawer({ onClose }: { onClose: () => void }) {
  const t = useMessages(incidentMessages);
  const c = useMessages(common);
  const terms = useTerms();
  const [form] = Form.useForm<Values>();
  const required = { required: true, message: c('required') };
  return (
    <EntityDrawer<Values, IncidentDto>
      title={t('create')}
      form={form}
      testId="incident-form"
      initialValues={{
        type: 'typhoon',
        responseLevel: 4,
        startedAt: dayjs().second(0).millisecond(0),
        areaDepotIds: [],
      }}
      save={(v, idempotencyKey) =>
        rpc(
          'incident.create',
          {
            type: v.type,
            name: v.name,
            responseLevel: v.responseLevel,
            startedAt: v.startedAt.toISOString(),
            areaDepotIds: v.areaDepotIds,
            note: v.note?.trim() || undefined,
          },
          { idempotencyKey },
        )
      }
      onSaved={(incident) => navigate(`/incidents/${incident.incidentId}`)}
      onClose={onClose}
    >
      <Form.Item name="name" label={t('name')} rules={[{ ...required, whitespace: true }]}>
        <Input maxLength={100} autoFocus placeholder="如：台风“海葵”" />
      </Form.Item>
      <Form.Item name="type" label={t('type')} rules={[required]}>
        <Select options={INCIDENT_TYPES.map((v) => ({ value: v, label: terms(`incidentType.${v}`) }))} />
      </Form.Item>
      <Form.Item name="responseLevel" label={t('level')} rules={[required]}>
        <Segmented options={LEVELS.map((label, i) => ({ value: i + 1, label: t('levelN', { n: label }) }))} />
      </Form.Item>
      <Form.Item name="startedAt" label={t('startedAt')} rules={[required]}>
        <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="areaDepotIds" label={t('area')}>
        <DepotSelect mode="multiple" style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="note" label={t('note')}>
        <Input.TextArea maxLength={500} autoSize={{ minRows: 2, maxRows: 4 }} />
      </Form.Item>
    </EntityDrawer>
  );
}
