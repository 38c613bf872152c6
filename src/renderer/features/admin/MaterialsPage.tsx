/**
 * 物资目录 (admin): the catalogue with search, and a drawer to add or edit a material: code,
 * name, specification, unit, GB/T 38565 top class (and a full 7-digit code only when the user
 * has one), local category, shelf life, warning window and reference price (typed in yuan,
 * stored in fen). Materials are deactivated, never deleted: the ledger references them.
 */
import {
  App,
  AutoComplete,
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
  type TableColumnsType,
} from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { MaterialDto } from '../../../shared/schemas/material';
import { newIdempotencyKey, rpc, RpcFailure } from '../../api';
import { EntityDrawer } from '../../components/EntityDrawer';
import { ListScreen } from '../../components/ListScreen';
import { useSessionState } from '../../components/useSessionState';
import { fenToYuan, formatFen, formatQuantity, yuanToFen } from '../../format';
import { common } from '../../i18n/common';
import { defineMessages, useMessages, useTerms } from '../../i18n/messages';
import { ActiveTag } from './adminShared';

const messages = defineMessages(
  {
    title: '物资目录',
    search: '编码、名称或规格',
    allClasses: '全部国标大类',
    includeInactive: '含停用',
    add: '新增物资',
    editTitle: '编辑物资 {code}',
    addTitle: '新增物资',
    code: '物资编码',
    name: '物资名称',
    spec: '规格型号',
    unit: '计量单位',
    unitShort: '单位',
    topClass: '国标大类',
    gbCode: '国标编码',
    gbCodeHint: '7 位，GB/T 38565；没有就留空，不要编造',
    category: '类别',
    categoryHint: '本地细分类别，如 帐篷、被服、床具',
    shelfLife: '保质期（月）',
    shelfLifeShort: '保质期(月)',
    shelfLifeHint: '留空表示无保质期',
    warningDays: '预警天数',
    warningDaysHint: '到期前多少天列入轮换',
    price: '参考单价（元）',
    priceShort: '参考单价',
    status: '状态',
    deactivate: '停用',
    activate: '启用',
    deactivateConfirm: '停用「{name}」？停用后不能再入库和选用，历史台账保留。',
    created: '已新增物资 {code}',
    updated: '已保存物资 {code}',
    deactivated: '已停用物资 {code}',
    activated: '已启用物资 {code}',
    priceInvalid: '请输入金额，最多两位小数',
    filterText: '查询：{text}',
    filterClass: '大类：{cls}',
    filterInactive: '含停用',
    more: '还有更多，加载更多',
  },
  {
    title: 'Material catalogue',
    search: 'Code, name or specification',
    allClasses: 'All GB top classes',
    includeInactive: 'Include inactive',
    add: 'Add material',
    editTitle: 'Edit material {code}',
    addTitle: 'Add material',
    code: 'Code',
    name: 'Name',
    spec: 'Specification',
    unit: 'Unit',
    unitShort: 'Unit',
    topClass: 'GB top class',
    gbCode: 'GB code',
    gbCodeHint: '7 digits, GB/T 38565; leave empty if you have none (never invent one)',
    category: 'Category',
    categoryHint: 'Local category, e.g. tents, bedding, beds',
    shelfLife: 'Shelf life (months)',
    shelfLifeShort: 'Shelf life (mo.)',
    shelfLifeHint: 'Empty means no shelf life',
    warningDays: 'Warning days',
    warningDaysHint: 'Days before expiry when a batch is listed for rotation',
    price: 'Reference price (yuan)',
    priceShort: 'Ref. price',
    status: 'Status',
    deactivate: 'Deactivate',
    activate: 'Activate',
    deactivateConfirm: 'Deactivate “{name}”? It can no longer be received or chosen; its history stays.',
    created: 'Material {code} added',
    updated: 'Material {code} saved',
    deactivated: 'Material {code} deactivated',
    activated: 'Material {code} activated',
    priceInvalid: 'Enter an amount with at most two decimals',
    filterText: 'Search: {text}',
    filterClass: 'Class: {cls}',
    filterInactive: 'Including inactive',
    more: 'More rows: load more',
  },
);

const UNITS = [
  '顶',
  '床',
  '件',
  '台',
  '个',
  '套',
  '箱',
  '张',
  '条',
  '双',
  '只',
  '把',
  '盏',
  '桶',
  '袋',
  '包',
  '瓶',
  '卷',
  '块',
  '根',
  '米',
  '千克',
  '吨',
];
const PAGE = 500;

interface Filters {
  text: string;
  topClass: 1 | 2 | 3 | null;
  includeInactive: boolean;
}

interface Values {
  code: string;
  name: string;
  spec: string | null;
  unit: string;
  topClass: 1 | 2 | 3 | null;
  gbCode: string | null;
  category: string | null;
  shelfLifeMonths: number | null;
  warningDays: number | null;
  /** Typed in yuan; the field carries the server's name so its errors land here. */
  referencePriceFen: string | null;
}

const EMPTY: Values = {
  code: '',
  name: '',
  spec: null,
  unit: '',
  topClass: null,
  gbCode: null,
  category: null,
  shelfLifeMonths: null,
  warningDays: 90,
  referencePriceFen: null,
};

export default function MaterialsPage() {
  const t = useMessages(messages);
  const c = useMessages(common);
  const terms = useTerms();
  const { message } = App.useApp();
  const [filters, setFilters] = useSessionState<Filters>('admin.materials', {
    text: '',
    topClass: null,
    includeInactive: false,
  });
  const [search, setSearch] = useState(filters.text);
  const [rows, setRows] = useState<MaterialDto[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<MaterialDto | 'new' | null>(null);

  const load = useCallback(
    async (after?: string) => {
      setLoading(true);
      setError(null);
      try {
        const page = await rpc('material.list', {
          text: filters.text || undefined,
          topClass: filters.topClass ?? undefined,
          includeInactive: filters.includeInactive,
          after,
          limit: PAGE,
        });
        setRows((prev) => (after ? [...prev, ...page.rows] : page.rows));
        setCursor(page.nextCursor);
      } catch (e) {
        setError(e instanceof RpcFailure ? e.message : String(e));
      } finally {
        setLoading(false);
      }
    },
    [filters],
  );
  useEffect(() => {
    void load();
  }, [load]);

  const categories = useMemo(
    () => [...new Set(rows.map((r) => r.category).filter((x): x is string => !!x))].sort(),
    [rows],
  );

  const setActive = async (m: MaterialDto, active: boolean) => {
    try {
      const updated = await rpc(
        'material.update',
        { materialId: m.materialId, active },
        { idempotencyKey: newIdempotencyKey() },
      );
      setRows((prev) => prev.map((r) => (r.materialId === updated.materialId ? updated : r)));
      void message.success(t(active ? 'activated' : 'deactivated', { code: m.code }));
    } catch (e) {
      void message.error(e instanceof RpcFailure ? e.message : String(e));
    }
  };

  const columns = useMemo<TableColumnsType<MaterialDto>>(
    () => [
      { title: t('code'), dataIndex: 'code', width: 90 },
      { title: t('name'), dataIndex: 'name', width: 140, ellipsis: true },
      { title: t('spec'), dataIndex: 'spec', width: 140, ellipsis: true },
      { title: t('unitShort'), dataIndex: 'unit', width: 50 },
      {
        title: t('topClass'),
        dataIndex: 'topClass',
        width: 146,
        ellipsis: true,
        render: (v: 1 | 2 | 3) => `${v} ${terms(`topClass.${v}`)}`,
      },
      { title: t('gbCode'), dataIndex: 'gbCode', width: 80 },
      { title: t('category'), dataIndex: 'category', width: 70, ellipsis: true },
      {
        title: t('shelfLifeShort'),
        dataIndex: 'shelfLifeMonths',
        width: 90,
        align: 'right',
        className: 'num',
        render: (v: number | null) => formatQuantity(v),
      },
      {
        title: t('warningDays'),
        dataIndex: 'warningDays',
        width: 76,
        align: 'right',
        className: 'num',
        render: (v: number) => formatQuantity(v),
      },
      {
        title: t('priceShort'),
        dataIndex: 'referencePriceFen',
        width: 104,
        align: 'right',
        className: 'num',
        render: (v: number | null) => formatFen(v),
      },
      {
        title: t('status'),
        dataIndex: 'active',
        width: 60,
        render: (v: boolean) => <ActiveTag active={v} />,
      },
      {
        title: c('actions'),
        key: 'actions',
        width: 100,
        fixed: 'right',
        render: (_, m) => (
          <Space size="small" onClick={(e) => e.stopPropagation()}>
            <a onClick={() => setEditing(m)}>{c('edit')}</a>
            {m.active ? (
              <Popconfirm
                title={t('deactivateConfirm', { name: m.name })}
                okText={t('deactivate')}
                cancelText={c('cancel')}
                okButtonProps={{ danger: true }}
                onConfirm={() => setActive(m, false)}
              >
                <a style={{ color: '#cf1322' }}>{t('deactivate')}</a>
              </Popconfirm>
            ) : (
              <a onClick={() => void setActive(m, true)}>{t('activate')}</a>
            )}
          </Space>
        ),
      },
    ],
    // setActive uses stable setters and the current language only.
    [t, c, terms],
  );

  const active = [
    filters.text ? t('filterText', { text: filters.text }) : null,
    filters.topClass ? t('filterClass', { cls: terms(`topClass.${filters.topClass}`) }) : null,
    filters.includeInactive ? t('filterInactive') : null,
  ].filter((f): f is string => f !== null);

  return (
    <>
      {editing && (
        <MaterialDrawer
          material={editing === 'new' ? null : editing}
          categories={categories}
          onClose={() => setEditing(null)}
          onSaved={(m, created) => {
            setEditing(null);
            void message.success(t(created ? 'created' : 'updated', { code: m.code }));
            if (created) void load();
            else setRows((prev) => prev.map((r) => (r.materialId === m.materialId ? m : r)));
          }}
        />
      )}
      <ListScreen
        title={t('title')}
        error={error}
        onRetry={() => void load()}
        rows={rows.length}
        activeFilters={active}
        footnote={
          cursor && (
            <Button size="small" onClick={() => void load(cursor)} loading={loading}>
              {t('more')}
            </Button>
          )
        }
        actions={
          <Button type="primary" onClick={() => setEditing('new')}>
            {t('add')}
          </Button>
        }
        filters={
          <>
            <Input.Search
              allowClear
              placeholder={t('search')}
              aria-label={t('search')}
              style={{ width: 240 }}
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              onSearch={(v) => setFilters((f) => ({ ...f, text: v.trim() }))}
            />
            <Select<1 | 2 | 3>
              allowClear
              placeholder={t('allClasses')}
              aria-label={t('topClass')}
              style={{ width: 210 }}
              value={filters.topClass ?? undefined}
              onChange={(v) => setFilters((f) => ({ ...f, topClass: v ?? null }))}
              options={([1, 2, 3] as const).map((v) => ({
                value: v,
                label: `${v} ${terms(`topClass.${v}`)}`,
              }))}
            />
            <Checkbox
              checked={filters.includeInactive}
              onChange={(e) => setFilters((f) => ({ ...f, includeInactive: e.target.checked }))}
            >
              {t('includeInactive')}
            </Checkbox>
          </>
        }
      >
        {(height) => (
          <Table<MaterialDto>
            size="small"
            rowKey="materialId"
            sticky
            virtual
            loading={loading}
            columns={columns}
            dataSource={rows}
            pagination={false}
            scroll={{ x: 1140, y: height }}
            onRow={(m) => ({
              onClick: () => setEditing(m),
              style: { cursor: 'pointer', color: m.active ? undefined : '#999' },
            })}
            data-testid="materials-table"
          />
        )}
      </ListScreen>
    </>
  );
}

function MaterialDrawer({
  material,
  categories,
  onClose,
  onSaved,
}: {
  material: MaterialDto | null;
  categories: string[];
  onClose: () => void;
  onSaved: (m: MaterialDto, created: boolean) => void;
}) {
  const t = useMessages(messages);
  const c = useMessages(common);
  const terms = useTerms();
  const [form] = Form.useForm<Values>();

  const initial: Values = material
    ? {
        code: material.code,
        name: material.name,
        spec: material.spec,
        unit: material.unit,
        topClass: material.topClass,
        gbCode: material.gbCode,
        category: material.category,
        shelfLifeMonths: material.shelfLifeMonths,
        warningDays: material.warningDays,
        referencePriceFen: fenToYuan(material.referencePriceFen),
      }
    : EMPTY;

  const required = { required: true, whitespace: true, message: c('required') };
  return (
    <EntityDrawer<Values, MaterialDto>
      title={material ? t('editTitle', { code: material.code }) : t('addTitle')}
      form={form}
      initialValues={initial}
      testId="material-form"
      save={(values, idempotencyKey) => {
        const fields = {
          code: values.code.trim(),
          name: values.name.trim(),
          spec: values.spec?.trim() || null,
          unit: values.unit.trim(),
          topClass: values.topClass!,
          gbCode: values.gbCode?.trim() || null,
          category: values.category?.trim() || null,
          shelfLifeMonths: values.shelfLifeMonths ?? null,
          warningDays: values.warningDays ?? 90,
          referencePriceFen: yuanToFen(values.referencePriceFen),
        };
        return material
          ? rpc('material.update', { materialId: material.materialId, ...fields }, { idempotencyKey })
          : rpc('material.create', fields, { idempotencyKey });
      }}
      onSaved={(saved) => onSaved(saved, material === null)}
      onClose={onClose}
    >
      <Row gutter={12}>
        <Col span={10}>
          <Form.Item name="code" label={t('code')} rules={[required]}>
            <Input maxLength={30} autoFocus />
          </Form.Item>
        </Col>
        <Col span={14}>
          <Form.Item name="name" label={t('name')} rules={[required]}>
            <Input maxLength={100} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="spec" label={t('spec')}>
        <Input maxLength={300} />
      </Form.Item>
      <Row gutter={12}>
        <Col span={8}>
          <Form.Item name="unit" label={t('unit')} rules={[required]}>
            <AutoComplete
              options={UNITS.map((u) => ({ value: u }))}
              maxLength={10}
              showSearch={{ filterOption: (input, o) => (o?.value ?? '').includes(input) }}
            />
          </Form.Item>
        </Col>
        <Col span={16}>
          <Form.Item
            name="topClass"
            label={t('topClass')}
            rules={[{ required: true, message: c('required') }]}
          >
            <Select<1 | 2 | 3>
              options={([1, 2, 3] as const).map((v) => ({
                value: v,
                label: `${v} ${terms(`topClass.${v}`)}`,
              }))}
            />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item
            name="gbCode"
            label={t('gbCode')}
            extra={t('gbCodeHint')}
            dependencies={['topClass']}
            rules={[
              { pattern: /^[123]\d{6}$/, message: terms('validation.gbCode') },
              ({ getFieldValue }) => ({
                validator: (_, v: string | null) => {
                  const topClass = getFieldValue('topClass') as number | null;
                  if (!v || !/^[123]\d{6}$/.test(v) || !topClass || Number(v[0]) === topClass)
                    return Promise.resolve();
                  return Promise.reject(
                    new Error(terms('validation.gbCodeClass', { digit: v[0]!, topClass })),
                  );
                },
              }),
            ]}
          >
            <Input maxLength={7} inputMode="numeric" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="category" label={t('category')} extra={t('categoryHint')}>
            <AutoComplete
              options={categories.map((v) => ({ value: v }))}
              maxLength={30}
              showSearch={{ filterOption: (input, o) => (o?.value ?? '').includes(input) }}
            />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col span={8}>
          <Form.Item name="shelfLifeMonths" label={t('shelfLife')} extra={t('shelfLifeHint')}>
            <InputNumber<number> min={1} max={600} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item
            name="warningDays"
            label={t('warningDays')}
            extra={t('warningDaysHint')}
            rules={[{ required: true, message: c('required') }]}
          >
            <InputNumber<number> min={0} max={3650} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item
            name="referencePriceFen"
            label={t('price')}
            rules={[
              {
                validator: (_, v: string | null | undefined) =>
                  Number.isNaN(yuanToFen(v))
                    ? Promise.reject(new Error(t('priceInvalid')))
                    : Promise.resolve(),
              },
            ]}
          >
            <InputNumber<string> stringMode min="0" precision={2} style={{ width: '100%' }} prefix="¥" />
          </Form.Item>
        </Col>
      </Row>
    </EntityDrawer>
  );
}
