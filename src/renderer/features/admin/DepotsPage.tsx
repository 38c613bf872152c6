/**
 * 储备库 (admin): the depots as a tree (city → district → town), or a flat list while filtered,
 * and a drawer to add or edit one: code, name, level, parent (a depot of a higher level),
 * address, keeper, phone, capacity notes and optional coordinates. Depots are deactivated,
 * never deleted (the ledger references them). The session's depot list is refreshed after
 * every change, so pickers on other screens see it at once.
 */
import {
  App,
  Button,
  Checkbox,
  Col,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Row,
  Select,
  Space,
  Table,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useMemo, useState } from 'react';
import { DEPOT_LEVELS, type DepotDto, type DepotLevel } from '../../../shared/schemas/depot';
import { newIdempotencyKey, rpc, RpcFailure } from '../../api';
import { EntityDrawer } from '../../components/EntityDrawer';
import { ListScreen } from '../../components/ListScreen';
import { useRpc } from '../../components/useRpc';
import { useSessionState } from '../../components/useSessionState';
import { common } from '../../i18n/common';
import { defineMessages, useMessages, useTerms } from '../../i18n/messages';
import { useSession } from '../../session';
import { ActiveTag } from './adminShared';

const messages = defineMessages(
  {
    title: '储备库',
    search: '编码或名称',
    allLevels: '全部级别',
    includeInactive: '含停用',
    add: '新增储备库',
    addTitle: '新增储备库',
    editTitle: '编辑储备库 {name}',
    code: '编码',
    name: '名称',
    level: '级别',
    parent: '上级储备库',
    parentNone: '无（最高一级）',
    parentHint: '上级的级别必须高于本库',
    address: '地址',
    keeperName: '保管员',
    phone: '电话',
    capacityNote: '库容说明',
    latitude: '纬度',
    longitude: '经度',
    coordsHint: '可选，用于地图',
    status: '状态',
    deactivate: '停用',
    activate: '启用',
    deactivateConfirm: '停用「{name}」？停用后不能再出入库，历史台账保留。',
    created: '已新增储备库 {name}',
    updated: '已保存储备库 {name}',
    deactivated: '已停用储备库 {name}',
    activated: '已启用储备库 {name}',
    filterText: '查询：{text}',
    filterLevel: '级别：{level}',
    filterInactive: '含停用',
    flatHint: '筛选时按列表显示',
  },
  {
    title: 'Depots',
    search: 'Code or name',
    allLevels: 'All levels',
    includeInactive: 'Include inactive',
    add: 'Add depot',
    addTitle: 'Add depot',
    editTitle: 'Edit depot {name}',
    code: 'Code',
    name: 'Name',
    level: 'Level',
    parent: 'Parent depot',
    parentNone: 'None (top level)',
    parentHint: 'The parent must be of a higher level',
    address: 'Address',
    keeperName: 'Keeper',
    phone: 'Phone',
    capacityNote: 'Capacity notes',
    latitude: 'Latitude',
    longitude: 'Longitude',
    coordsHint: 'Optional, for maps',
    status: 'Status',
    deactivate: 'Deactivate',
    activate: 'Activate',
    deactivateConfirm: 'Deactivate “{name}”? No stock can move there any more; its history stays.',
    created: 'Depot {name} added',
    updated: 'Depot {name} saved',
    deactivated: 'Depot {name} deactivated',
    activated: 'Depot {name} activated',
    filterText: 'Search: {text}',
    filterLevel: 'Level: {level}',
    filterInactive: 'Including inactive',
    flatHint: 'Shown as a list while filtered',
  },
);

const RANK: Record<DepotLevel, number> = { city: 0, district: 1, town: 2 };

interface Node extends DepotDto {
  children?: Node[];
}

interface Filters {
  text: string;
  level: DepotLevel | null;
  includeInactive: boolean;
}

interface Values {
  code: string;
  name: string;
  level: DepotLevel | null;
  parentId: number | null;
  address: string | null;
  keeperName: string | null;
  phone: string | null;
  capacityNote: string | null;
  latitude: number | null;
  longitude: number | null;
}

/** Depots under their parents; a depot whose parent is not in the list becomes a root. */
function buildTree(depots: DepotDto[]): Node[] {
  const nodes = new Map<number, Node>(depots.map((d) => [d.depotId, { ...d }]));
  const roots: Node[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId !== null ? nodes.get(node.parentId) : undefined;
    if (parent) (parent.children ??= []).push(node);
    else roots.push(node);
  }
  const order = (list: Node[]) => {
    list.sort((a, b) => RANK[a.level] - RANK[b.level] || a.code.localeCompare(b.code));
    for (const n of list) if (n.children) order(n.children);
  };
  order(roots);
  return roots;
}

export default function DepotsPage() {
  const t = useMessages(messages);
  const c = useMessages(common);
  const terms = useTerms();
  const { message } = App.useApp();
  const { refreshDepots } = useSession();
  const [filters, setFilters] = useSessionState<Filters>('admin.depots', {
    text: '',
    level: null,
    includeInactive: false,
  });
  const list = useRpc('depot.list', { includeInactive: true });
  const all = useMemo(() => list.data ?? [], [list.data]);
  const [editing, setEditing] = useState<DepotDto | 'new' | null>(null);
  const [expanded, setExpanded] = useState<number[] | null>(null);

  const byId = useMemo(() => new Map(all.map((d) => [d.depotId, d])), [all]);
  const filtering = filters.text.trim() !== '' || filters.level !== null;
  const shown = useMemo(() => {
    const text = filters.text.trim().toLowerCase();
    return all.filter(
      (d) =>
        (filters.includeInactive || d.active) &&
        (filters.level === null || d.level === filters.level) &&
        (!text || d.code.toLowerCase().includes(text) || d.name.toLowerCase().includes(text)),
    );
  }, [all, filters]);
  const data: Node[] = useMemo(() => (filtering ? shown : buildTree(shown)), [filtering, shown]);
  // Every branch open at first: the tree is small and people look for names.
  const allBranches = useMemo(
    () => all.filter((d) => all.some((x) => x.parentId === d.depotId)).map((d) => d.depotId),
    [all],
  );

  const afterChange = async () => {
    await Promise.all([list.reload(), refreshDepots()]);
  };

  const setActive = async (d: DepotDto, active: boolean) => {
    try {
      await rpc('depot.update', { depotId: d.depotId, active }, { idempotencyKey: newIdempotencyKey() });
      void message.success(t(active ? 'activated' : 'deactivated', { name: d.name }));
      await afterChange();
    } catch (e) {
      void message.error(e instanceof RpcFailure ? e.message : String(e));
    }
  };

  const columns: TableColumnsType<Node> = [
    { title: t('name'), dataIndex: 'name', width: 250, ellipsis: true },
    { title: t('code'), dataIndex: 'code', width: 110 },
    { title: t('level'), dataIndex: 'level', width: 80, render: (v: DepotLevel) => terms(`level.${v}`) },
    {
      title: t('parent'),
      dataIndex: 'parentId',
      width: 180,
      ellipsis: true,
      render: (v: number | null) => (v === null ? '' : (byId.get(v)?.name ?? '')),
    },
    { title: t('address'), dataIndex: 'address', ellipsis: true },
    { title: t('keeperName'), dataIndex: 'keeperName', width: 80, ellipsis: true },
    { title: t('phone'), dataIndex: 'phone', width: 116 },
    { title: t('status'), dataIndex: 'active', width: 60, render: (v: boolean) => <ActiveTag active={v} /> },
    {
      title: c('actions'),
      key: 'actions',
      width: 100,
      fixed: 'right',
      render: (_, d) => (
        <Space size="small" onClick={(e) => e.stopPropagation()}>
          <a onClick={() => setEditing(d)}>{c('edit')}</a>
          {d.active ? (
            <Popconfirm
              title={t('deactivateConfirm', { name: d.name })}
              okText={t('deactivate')}
              cancelText={c('cancel')}
              okButtonProps={{ danger: true }}
              onConfirm={() => setActive(d, false)}
            >
              <a style={{ color: '#cf1322' }}>{t('deactivate')}</a>
            </Popconfirm>
          ) : (
            <a onClick={() => void setActive(d, true)}>{t('activate')}</a>
          )}
        </Space>
      ),
    },
  ];

  const activeFilters = [
    filters.text.trim() ? t('filterText', { text: filters.text.trim() }) : null,
    filters.level ? t('filterLevel', { level: terms(`level.${filters.level}`) }) : null,
    filters.includeInactive ? t('filterInactive') : null,
  ].filter((f): f is string => f !== null);

  return (
    <>
      {editing && (
        <DepotDrawer
          depot={editing === 'new' ? null : editing}
          depots={all}
          onClose={() => setEditing(null)}
          onSaved={async (d, created) => {
            setEditing(null);
            void message.success(t(created ? 'created' : 'updated', { name: d.name }));
            await afterChange();
          }}
        />
      )}
      <ListScreen
        title={t('title')}
        error={list.error}
        onRetry={() => void list.reload()}
        rows={shown.length}
        activeFilters={activeFilters}
        actions={
          <Button type="primary" onClick={() => setEditing('new')}>
            {t('add')}
          </Button>
        }
        filters={
          <>
            <Input
              allowClear
              placeholder={t('search')}
              aria-label={t('search')}
              style={{ width: 200 }}
              value={filters.text}
              onChange={(e) => setFilters((f) => ({ ...f, text: e.target.value }))}
            />
            <Select<DepotLevel>
              allowClear
              placeholder={t('allLevels')}
              aria-label={t('level')}
              style={{ width: 130 }}
              value={filters.level ?? undefined}
              onChange={(v) => setFilters((f) => ({ ...f, level: v ?? null }))}
              options={DEPOT_LEVELS.map((v) => ({ value: v, label: terms(`level.${v}`) }))}
            />
            <Checkbox
              checked={filters.includeInactive}
              onChange={(e) => setFilters((f) => ({ ...f, includeInactive: e.target.checked }))}
            >
              {t('includeInactive')}
            </Checkbox>
            {filtering && <Typography.Text type="secondary">{t('flatHint')}</Typography.Text>}
          </>
        }
      >
        {(height) => (
          <Table<Node>
            size="small"
            rowKey="depotId"
            sticky
            loading={list.loading}
            columns={columns}
            dataSource={data}
            pagination={false}
            scroll={{ x: 1140, y: height }}
            expandable={{
              expandedRowKeys: expanded ?? allBranches,
              onExpandedRowsChange: (keys) => setExpanded(keys as number[]),
              indentSize: 20,
            }}
            onRow={(d) => ({
              onClick: () => setEditing(d),
              style: { cursor: 'pointer', color: d.active ? undefined : '#999' },
            })}
            data-testid="depots-table"
          />
        )}
      </ListScreen>
    </>
  );
}

/** The depot and everything under it (it cannot become its own ancestor). */
function subtree(depots: DepotDto[], rootId: number): Set<number> {
  const ids = new Set([rootId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const d of depots) {
      if (d.parentId !== null && ids.has(d.parentId) && !ids.has(d.depotId)) {
        ids.add(d.depotId);
        grew = true;
      }
    }
  }
  return ids;
}

function DepotDrawer({
  depot,
  depots,
  onClose,
  onSaved,
}: {
  depot: DepotDto | null;
  depots: DepotDto[];
  onClose: () => void;
  onSaved: (d: DepotDto, created: boolean) => void | Promise<void>;
}) {
  const t = useMessages(messages);
  const c = useMessages(common);
  const terms = useTerms();
  const [form] = Form.useForm<Values>();
  const level = Form.useWatch('level', form) ?? depot?.level ?? null;

  const excluded = useMemo(
    () => (depot ? subtree(depots, depot.depotId) : new Set<number>()),
    [depot, depots],
  );
  const parentOptions = depots
    .filter((d) => d.active && !excluded.has(d.depotId) && level !== null && RANK[d.level] < RANK[level])
    .sort((a, b) => RANK[a.level] - RANK[b.level] || a.code.localeCompare(b.code))
    .map((d) => ({
      value: d.depotId,
      label: d.name,
      search: `${d.code} ${d.name}`,
      levelName: terms(`level.${d.level}`),
    }));

  const initial: Values = depot
    ? {
        code: depot.code,
        name: depot.name,
        level: depot.level,
        parentId: depot.parentId,
        address: depot.address,
        keeperName: depot.keeperName,
        phone: depot.phone,
        capacityNote: depot.capacityNote,
        latitude: depot.latitude,
        longitude: depot.longitude,
      }
    : {
        code: '',
        name: '',
        level: null,
        parentId: null,
        address: null,
        keeperName: null,
        phone: null,
        capacityNote: null,
        latitude: null,
        longitude: null,
      };

  const required = { required: true, whitespace: true, message: c('required') };
  return (
    <EntityDrawer<Values, DepotDto>
      title={depot ? t('editTitle', { name: depot.name }) : t('addTitle')}
      form={form}
      initialValues={initial}
      testId="depot-form"
      save={(v, idempotencyKey) => {
        const fields = {
          code: v.code.trim(),
          name: v.name.trim(),
          level: v.level!,
          parentId: v.parentId ?? null,
          address: v.address?.trim() || null,
          keeperName: v.keeperName?.trim() || null,
          phone: v.phone?.trim() || null,
          capacityNote: v.capacityNote?.trim() || null,
          latitude: v.latitude ?? null,
          longitude: v.longitude ?? null,
        };
        return depot
          ? rpc('depot.update', { depotId: depot.depotId, ...fields }, { idempotencyKey })
          : rpc('depot.create', fields, { idempotencyKey });
      }}
      onSaved={(saved) => onSaved(saved, depot === null)}
      onClose={onClose}
      onValuesChange={(changed) => {
        // A new level may make the parent invalid: clear it rather than let the server refuse.
        if ('level' in changed) {
          const parent = depots.find((d) => d.depotId === form.getFieldValue('parentId'));
          if (parent && changed.level && RANK[parent.level] >= RANK[changed.level])
            form.setFieldValue('parentId', null);
        }
      }}
    >
      <Row gutter={12}>
        <Col span={9}>
          <Form.Item name="code" label={t('code')} rules={[required]}>
            <Input maxLength={30} autoFocus />
          </Form.Item>
        </Col>
        <Col span={15}>
          <Form.Item name="name" label={t('name')} rules={[required]}>
            <Input maxLength={100} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col span={9}>
          <Form.Item name="level" label={t('level')} rules={[{ required: true, message: c('required') }]}>
            <Select<DepotLevel>
              options={DEPOT_LEVELS.map((v) => ({ value: v, label: terms(`level.${v}`) }))}
            />
          </Form.Item>
        </Col>
        <Col span={15}>
          <Form.Item name="parentId" label={t('parent')} extra={t('parentHint')}>
            <Select<number>
              allowClear
              disabled={level === 'city'}
              placeholder={t('parentNone')}
              options={parentOptions}
              showSearch={{
                filterOption: (input, o) => (o?.search ?? '').toLowerCase().includes(input.toLowerCase()),
              }}
              optionRender={(o) => (
                <span>
                  {o.data.label} <span style={{ color: '#999', fontSize: 12 }}>{o.data.levelName}</span>
                </span>
              )}
            />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="address" label={t('address')}>
        <Input maxLength={200} />
      </Form.Item>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name="keeperName" label={t('keeperName')}>
            <Input maxLength={50} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="phone" label={t('phone')}>
            <Input maxLength={30} inputMode="tel" />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="capacityNote" label={t('capacityNote')}>
        <Input.TextArea maxLength={200} autoSize={{ minRows: 2, maxRows: 4 }} />
      </Form.Item>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name="latitude" label={t('latitude')} extra={t('coordsHint')}>
            <InputNumber<number> min={-90} max={90} precision={6} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="longitude" label={t('longitude')}>
            <InputNumber<number> min={-180} max={180} precision={6} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
    </EntityDrawer>
  );
}
