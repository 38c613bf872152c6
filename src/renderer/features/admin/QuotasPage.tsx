/**
 * 储备定额 (admin): for one depot, every active material with its current quota, what the depot
 * holds and has available, and an input for the new quota (Enter moves down the column, as in
 * a spreadsheet). Changed rows are saved together; 0 or an empty input removes the quota.
 * Rows under their quota are tagged 低于定额.
 */
import {
  App,
  Button,
  Empty,
  InputNumber,
  Segmented,
  Table,
  Tag,
  Typography,
  Input,
  type TableColumnsType,
  type TableRef,
} from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { MaterialDto } from '../../../shared/schemas/material';
import type { BalanceRow } from '../../../shared/schemas/stock';
import { newIdempotencyKey, rpc, RpcFailure } from '../../api';
import { fetchBalancePage } from '../../balances';
import { enterMovesDown } from '../../components/columnFocus';
import { DepotSelect } from '../../components/DepotSelect';
import { ListScreen } from '../../components/ListScreen';
import { useLeaveGuard } from '../../components/useLeaveGuard';
import { useSessionState } from '../../components/useSessionState';
import { formatQuantity } from '../../format';
import { defineMessages, useMessages } from '../../i18n/messages';
import { useSession } from '../../session';

const messages = defineMessages(
  {
    title: '储备定额',
    depot: '储备库',
    chooseDepot: '请选择储备库',
    chooseDepotHint: '选择一个储备库，查看并设定该库各物资的储备定额',
    search: '物资编码、名称或规格',
    viewAll: '全部物资',
    viewQuota: '已设定额',
    viewBelow: '低于定额',
    viewChanged: '已修改',
    code: '物资编码',
    name: '物资名称',
    spec: '规格型号',
    unit: '单位',
    category: '类别',
    onHand: '账面库存',
    available: '可用',
    quota: '当前定额',
    newQuota: '新定额',
    status: '状态',
    below: '低于定额 缺 {n}',
    met: '已达定额',
    none: '未设定额',
    hint: '填 0 或清空即取消该物资的定额；Enter 移到下一行',
    save: '保存',
    saveDirty: '保存（{n} 项修改）',
    discard: '放弃修改',
    saved: '已保存 {n} 项定额',
    failed: '{n} 项未能保存，已在行内标出',
    filterText: '查询：{text}',
    leaveTitle: '有未保存的定额',
    leaveContent: '{n} 项定额修改还没有保存，离开后将丢失。',
    leave: '放弃并离开',
    stay: '留在本页',
  },
  {
    title: 'Reserve quotas',
    depot: 'Depot',
    chooseDepot: 'Choose a depot',
    chooseDepotHint: 'Choose a depot to see and set its reserve quota for each material',
    search: 'Material code, name or specification',
    viewAll: 'All materials',
    viewQuota: 'With a quota',
    viewBelow: 'Below quota',
    viewChanged: 'Changed',
    code: 'Code',
    name: 'Material',
    spec: 'Specification',
    unit: 'Unit',
    category: 'Category',
    onHand: 'On hand',
    available: 'Available',
    quota: 'Current quota',
    newQuota: 'New quota',
    status: 'Status',
    below: 'Below quota, short {n}',
    met: 'Quota met',
    none: 'No quota',
    hint: '0 or empty removes the quota; Enter moves to the next row',
    save: 'Save',
    saveDirty: 'Save ({n} changes)',
    discard: 'Discard changes',
    saved: 'Saved {n} quotas',
    failed: '{n} could not be saved: see the marked rows',
    filterText: 'Search: {text}',
    leaveTitle: 'Unsaved quotas',
    leaveContent: '{n} quota changes are not saved yet and will be lost if you leave.',
    leave: 'Discard and leave',
    stay: 'Stay',
  },
);

type View = 'all' | 'quota' | 'below' | 'changed';

interface Row {
  material: MaterialDto;
  onHand: number;
  available: number;
  quota: number;
  /** The typed quota (null = emptied), or undefined when untouched. */
  draft: number | null | undefined;
  changed: boolean;
}

async function allPages<T>(
  fetch: (after?: string) => Promise<{ rows: T[]; nextCursor: string | null }>,
): Promise<T[]> {
  const rows: T[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await fetch(after);
    rows.push(...page.rows);
    if (!page.nextCursor) return rows;
    after = page.nextCursor;
  }
}

export default function QuotasPage() {
  const t = useMessages(messages);
  const { message } = App.useApp();
  const { depots } = useSession();
  const [prefs, setPrefs] = useSessionState<{ depotId: number | null; view: View; text: string }>(
    'admin.quotas',
    { depotId: null, view: 'all', text: '' },
  );
  const [materials, setMaterials] = useState<MaterialDto[]>([]);
  const [balances, setBalances] = useState<Map<number, BalanceRow>>(new Map());
  const [quotas, setQuotas] = useState<Map<number, number>>(new Map());
  const [drafts, setDrafts] = useState<Record<number, number | null>>({});
  const [errors, setErrors] = useState<Record<number, string>>({});
  const [loading, setLoading] = useState(false);
  const [saving, setSaving] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const tableRef = useRef<TableRef>(null);
  const depotId = prefs.depotId;

  const load = useCallback(async () => {
    if (depotId === null) return;
    setLoading(true);
    setLoadError(null);
    setSaveError(null);
    try {
      const [mats, bals, qs] = await Promise.all([
        allPages((after) => rpc('material.list', { after, limit: 5000 })),
        allPages((after) => fetchBalancePage({ depotId, groupBy: 'depotMaterial', after, limit: 5000 })),
        rpc('quota.list', { depotId }),
      ]);
      setMaterials(mats);
      setBalances(new Map(bals.map((b) => [b.materialId, b])));
      setQuotas(new Map(qs.map((q) => [q.materialId, q.quantity])));
      setDrafts({});
      setErrors({});
    } catch (e) {
      setLoadError(e instanceof RpcFailure ? e.message : String(e));
    } finally {
      setLoading(false);
    }
  }, [depotId]);
  useEffect(() => {
    void load();
  }, [load]);

  const rows = useMemo<Row[]>(
    () =>
      materials.map((m) => {
        const b = balances.get(m.materialId);
        const quota = quotas.get(m.materialId) ?? 0;
        const draft = m.materialId in drafts ? drafts[m.materialId] : undefined;
        return {
          material: m,
          onHand: b?.onHand ?? 0,
          available: b?.available ?? b?.onHand ?? 0,
          quota,
          draft,
          changed: draft !== undefined && (draft ?? 0) !== quota,
        };
      }),
    [materials, balances, quotas, drafts],
  );
  const changed = useMemo(() => rows.filter((r) => r.changed), [rows]);

  // Filters look at saved quotas (plus rows being edited), so a row does not vanish while typing.
  const visible = useMemo(() => {
    const text = prefs.text.trim().toLowerCase();
    return rows.filter((r) => {
      if (prefs.view === 'quota' && r.quota === 0 && r.draft === undefined) return false;
      if (prefs.view === 'below' && !(r.quota > 0 && r.available < r.quota) && r.draft === undefined)
        return false;
      if (prefs.view === 'changed' && r.draft === undefined) return false;
      if (!text) return true;
      const m = r.material;
      return [m.code, m.name, m.spec ?? ''].some((f) => f.toLowerCase().includes(text));
    });
  }, [rows, prefs.view, prefs.text]);

  useLeaveGuard(changed.length > 0, {
    title: t('leaveTitle'),
    content: t('leaveContent', { n: changed.length }),
    leave: t('leave'),
    stay: t('stay'),
  });

  const save = async () => {
    if (depotId === null || changed.length === 0) return;
    setSaving(true);
    setSaveError(null);
    const failed: Record<number, string> = {};
    const done = new Map<number, number>();
    for (const r of changed) {
      try {
        const q = await rpc(
          'quota.set',
          { depotId, materialId: r.material.materialId, quantity: r.draft ?? 0 },
          { idempotencyKey: newIdempotencyKey() },
        );
        done.set(q.materialId, q.quantity);
      } catch (e) {
        failed[r.material.materialId] =
          e instanceof RpcFailure ? (e.fields[0]?.message ?? e.message) : String(e);
      }
    }
    setQuotas((prev) => {
      const next = new Map(prev);
      for (const [id, q] of done) {
        if (q === 0) next.delete(id);
        else next.set(id, q);
      }
      return next;
    });
    setDrafts((prev) => Object.fromEntries(Object.entries(prev).filter(([id]) => !done.has(Number(id)))));
    setErrors(failed);
    setSaving(false);
    if (done.size > 0) void message.success(t('saved', { n: done.size }));
    if (Object.keys(failed).length > 0) setSaveError(t('failed', { n: Object.keys(failed).length }));
  };

  const columns: TableColumnsType<Row> = [
    { title: t('code'), key: 'code', width: 100, render: (_, r) => r.material.code },
    { title: t('name'), key: 'name', width: 150, ellipsis: true, render: (_, r) => r.material.name },
    { title: t('spec'), key: 'spec', width: 150, ellipsis: true, render: (_, r) => r.material.spec },
    { title: t('unit'), key: 'unit', width: 50, render: (_, r) => r.material.unit },
    {
      title: t('onHand'),
      key: 'onHand',
      width: 100,
      align: 'right',
      className: 'num',
      render: (_, r) => formatQuantity(r.onHand),
    },
    {
      title: t('available'),
      key: 'available',
      width: 100,
      align: 'right',
      className: 'num',
      render: (_, r) => formatQuantity(r.available),
    },
    {
      title: t('quota'),
      key: 'quota',
      width: 100,
      align: 'right',
      className: 'num',
      render: (_, r) => (r.quota > 0 ? formatQuantity(r.quota) : ''),
    },
    {
      title: t('newQuota'),
      key: 'newQuota',
      width: 130,
      render: (_, r, i) => (
        <div>
          <InputNumber<number>
            size="small"
            min={0}
            max={1_000_000_000_000}
            precision={0}
            controls={false}
            style={{ width: '100%', background: r.changed ? '#fffbe6' : undefined }}
            styles={{ input: { textAlign: 'right', fontVariantNumeric: 'tabular-nums' } }}
            value={r.draft !== undefined ? r.draft : r.quota > 0 ? r.quota : null}
            status={errors[r.material.materialId] ? 'error' : undefined}
            aria-label={`${t('newQuota')} ${r.material.code}`}
            data-col="quota"
            data-row={i}
            formatter={(v, info) =>
              info.userTyping ? info.input : v === undefined || `${v}` === '' ? '' : formatQuantity(Number(v))
            }
            onChange={(v) => {
              setDrafts((d) => ({ ...d, [r.material.materialId]: v ?? null }));
              setErrors((e) => {
                if (!e[r.material.materialId]) return e;
                const next = { ...e };
                delete next[r.material.materialId];
                return next;
              });
            }}
            onPressEnter={enterMovesDown(() => tableRef.current, 'quota', i, visible.length)}
          />
          {errors[r.material.materialId] && (
            <div style={{ color: '#ff4d4f', fontSize: 12 }}>{errors[r.material.materialId]}</div>
          )}
        </div>
      ),
    },
    {
      title: t('status'),
      key: 'status',
      width: 140,
      render: (_, r) =>
        r.quota === 0 ? (
          <Typography.Text type="secondary">{t('none')}</Typography.Text>
        ) : r.available < r.quota ? (
          <Tag color="red">{t('below', { n: formatQuantity(r.quota - r.available) })}</Tag>
        ) : (
          <Tag color="green">{t('met')}</Tag>
        ),
    },
  ];

  const activeFilters = [
    depotId !== null ? `${t('depot')}：${depots.find((d) => d.depotId === depotId)?.name ?? depotId}` : null,
    prefs.view !== 'all'
      ? t(({ quota: 'viewQuota', below: 'viewBelow', changed: 'viewChanged' } as const)[prefs.view])
      : null,
    prefs.text.trim() ? t('filterText', { text: prefs.text.trim() }) : null,
  ].filter((f): f is string => f !== null);

  return (
    <ListScreen
      title={t('title')}
      filters={
        <>
          <DepotSelect
            placeholder={t('chooseDepot')}
            aria-label={t('depot')}
            style={{ width: 240 }}
            value={depotId ?? undefined}
            onChange={(v) => setPrefs((p) => ({ ...p, depotId: v ?? null }))}
            disabled={changed.length > 0}
          />
          <Input.Search
            allowClear
            placeholder={t('search')}
            aria-label={t('search')}
            style={{ width: 220 }}
            value={prefs.text}
            onChange={(e) => setPrefs((p) => ({ ...p, text: e.target.value }))}
          />
          <Segmented<View>
            value={prefs.view}
            onChange={(v) => setPrefs((p) => ({ ...p, view: v }))}
            options={[
              { value: 'all', label: t('viewAll') },
              { value: 'quota', label: t('viewQuota') },
              { value: 'below', label: t('viewBelow') },
              { value: 'changed', label: t('viewChanged') },
            ]}
          />
        </>
      }
      actions={
        <>
          {changed.length > 0 && (
            <Button
              onClick={() => {
                setDrafts({});
                setErrors({});
              }}
            >
              {t('discard')}
            </Button>
          )}
          <Button type="primary" onClick={() => void save()} loading={saving} disabled={changed.length === 0}>
            {changed.length > 0 ? t('saveDirty', { n: changed.length }) : t('save')}
          </Button>
        </>
      }
      error={loadError ?? saveError}
      // Retrying a failed load reloads; a failed save is retried with 保存 (the rows stay marked).
      onRetry={loadError ? () => void load() : undefined}
      rows={visible.length}
      activeFilters={activeFilters}
      footnote={t('hint')}
    >
      {(height) =>
        depotId === null ? (
          <Empty description={t('chooseDepotHint')} style={{ marginTop: 80 }} />
        ) : (
          <Table<Row>
            ref={tableRef}
            size="small"
            rowKey={(r) => r.material.materialId}
            sticky
            virtual
            loading={loading}
            columns={columns}
            dataSource={visible}
            pagination={false}
            scroll={{ x: 1020, y: height }}
            data-testid="quotas-table"
          />
        )
      }
    </ListScreen>
  );
}
