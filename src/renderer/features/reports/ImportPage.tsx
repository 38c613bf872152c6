/**
 * 报表 › 导入: a wizard. 1 选择文件: what the file holds (opening stock, a receipt list, a
 * catalogue, another copy's inventory), the depot, the file; 2 列对应: the guessed (or
 * remembered) column of each field, to confirm or fix; 3 预览: every row with what it will
 * write or why it cannot, each with a checkbox: the import goes ahead only when no checked row
 * is wrong (fix the file, or leave the row out); 4 完成: the receipts posted.
 */
import {
  Alert,
  Button,
  Checkbox,
  Flex,
  Radio,
  Select,
  Space,
  Steps,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { InboxOutlined } from '@ant-design/icons';
import { useMemo, useState } from 'react';
import type { InputOf } from '../../../shared/api';
import {
  IMPORT_FIELDS,
  type ImportField,
  type ImportKind,
  type ImportPreviewDto,
} from '../../../shared/schemas/import';
import { rpc, RpcFailure, uploadFile } from '../../api';
import { DepotSelect } from '../../components/DepotSelect';
import { DocLink } from '../../components/DocLink';
import { formatQuantity } from '../../format';
import { defineMessages, useMessages, useTerms } from '../../i18n/messages';
import { useSession } from '../../session';

const messages = defineMessages(
  {
    title: '导入',
    stepFile: '选择文件',
    stepMapping: '列对应',
    stepPreview: '预览',
    stepDone: '完成',
    kind: '导入内容',
    depot: '导入到储备库',
    depotHint: '表中没有储备库列时，全部行入到这个储备库',
    file: '文件',
    drop: '点击或拖入 Excel（xlsx、xls）、WPS / LibreOffice（ods）或 CSV 文件',
    createMissing: '目录中没有的物资，按文件中的名称和单位新建',
    next: '下一步',
    back: '上一步',
    reading: '正在读取…',
    sheet: '工作表',
    headerAt: '表头在第 {row} 行',
    guessed: '列对应为自动识别，请核对',
    remembered: '沿用上次为同样表头确认的列对应',
    given: '按您指定的列对应',
    field: '字段',
    column: '文件中的列',
    unused: '（不导入）',
    preview: '预览',
    counts:
      '可导入 {ok} 行 · 新建物资 {create} 行 · 目录已有 {exists} 行 · 有误 {error} 行 · 不导入 {skipped} 行',
    wrongChecked: '有 {n} 行有误且仍被勾选：修改文件后重新上传，或取消勾选这些行',
    commit: '导入 {n} 行',
    previewOnly: '您可以预览核对这个文件；入账需要保管员、调度员或管理员',
    row: '行',
    status: '状态',
    material: '物资',
    quantity: '数量',
    lot: '批号',
    producedOn: '生产日期',
    expiresOn: '有效期至',
    depotCol: '储备库',
    reason: '说明',
    ok: '可导入',
    create: '新建物资',
    exists: '目录已有',
    error: '有误',
    skipped: '不导入',
    done: '已导入 {rows} 行',
    documents: '入库单',
    newMaterials: '新建物资 {n} 种：{codes}',
    again: '再导入一个文件',
    noFile: '请选择文件',
  },
  {
    title: 'Import',
    stepFile: 'Choose the file',
    stepMapping: 'Columns',
    stepPreview: 'Preview',
    stepDone: 'Done',
    kind: 'The file holds',
    depot: 'Into depot',
    depotHint: 'Rows go to this depot when the sheet has no depot column',
    file: 'File',
    drop: 'Click or drop an Excel (xlsx, xls), WPS / LibreOffice (ods) or CSV file',
    createMissing: 'Create catalogue entries for items not in the catalogue, with the file’s name and unit',
    next: 'Next',
    back: 'Back',
    reading: 'Reading…',
    sheet: 'Sheet',
    headerAt: 'Header in row {row}',
    guessed: 'The columns were guessed: check them',
    remembered: 'The columns confirmed last time for this header',
    given: 'The columns as you set them',
    field: 'Field',
    column: 'Column in the file',
    unused: '(not imported)',
    preview: 'Preview',
    counts:
      '{ok} ready · {create} with a new material · {exists} already in the catalogue · {error} wrong · {skipped} left out',
    wrongChecked: 'Wrong rows still checked: {n}. Fix the file and upload it again, or uncheck them',
    commit: 'Import {n} rows',
    previewOnly: 'You can check this file here; posting it needs a keeper, a coordinator or an administrator',
    row: 'Row',
    status: 'Status',
    material: 'Material',
    quantity: 'Quantity',
    lot: 'Lot',
    producedOn: 'Produced',
    expiresOn: 'Expires',
    depotCol: 'Depot',
    reason: 'Note',
    ok: 'Ready',
    create: 'New material',
    exists: 'In catalogue',
    error: 'Wrong',
    skipped: 'Left out',
    done: '{rows} rows imported',
    documents: 'Receipts',
    newMaterials: '{n} new materials: {codes}',
    again: 'Import another file',
    noFile: 'Choose a file',
  },
);

const KINDS: ImportKind[] = ['opening-stock', 'receipts', 'catalogue', 'relief-depot'];
const STATUS_COLOR = {
  ok: 'green',
  create: 'blue',
  exists: 'default',
  error: 'red',
  skipped: 'default',
} as const;
type Row = ImportPreviewDto['rows'][number];
type Result = Awaited<ReturnType<typeof rpc<'import.commit'>>>;

const letter = (c: number) =>
  c < 26 ? String.fromCharCode(65 + c) : String.fromCharCode(64 + Math.floor(c / 26), 65 + (c % 26));

export default function ImportPage() {
  const t = useMessages(messages);
  const terms = useTerms();
  const mayPost = useSession().canCall('import.commit');
  const [step, setStep] = useState(0);
  const [kind, setKind] = useState<ImportKind>('opening-stock');
  const [depotId, setDepotId] = useState<number | undefined>();
  const [file, setFile] = useState<File | null>(null);
  const [createMissing, setCreateMissing] = useState(false);
  const [uploadId, setUploadId] = useState<string | null>(null);
  const [preview, setPreview] = useState<ImportPreviewDto | null>(null);
  const [mapping, setMapping] = useState<Partial<Record<ImportField, number>>>({});
  const [sheet, setSheet] = useState<string | undefined>();
  const [unchecked, setUnchecked] = useState<Set<number>>(new Set());
  const [result, setResult] = useState<Result | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const request = (
    id: string,
    extra: Partial<InputOf<'import.preview'>> = {},
  ): InputOf<'import.preview'> => ({
    uploadId: id,
    kind,
    createMissing,
    ...(depotId !== undefined ? { depotId } : {}),
    ...(sheet ? { sheet } : {}),
    ...extra,
  });
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(e instanceof RpcFailure ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const read = () =>
    run(async () => {
      if (!file) throw new RpcFailure('BAD_INPUT', t('noFile'));
      const { uploadId: id } = await uploadFile(file);
      setUploadId(id);
      const found = await rpc('import.preview', request(id));
      setPreview(found);
      setMapping(found.mapping);
      setSheet(found.sheet);
      setStep(1);
    });
  const showPreview = () =>
    run(async () => {
      const found = await rpc('import.preview', request(uploadId!, { mapping }));
      setPreview(found);
      setUnchecked(new Set());
      setStep(2);
    });
  const rows = preview?.rows ?? [];
  const taking = rows.filter((r) => !unchecked.has(r.row) && (r.status === 'ok' || r.status === 'create'));
  const wrongChecked = rows.filter((r) => r.status === 'error' && !unchecked.has(r.row)).length;
  const commit = () =>
    run(async () => {
      const done = await rpc('import.commit', request(uploadId!, { mapping, skipRows: [...unchecked] }));
      setResult(done);
      setStep(3);
    });
  const restart = () => {
    setStep(0);
    setFile(null);
    setUploadId(null);
    setPreview(null);
    setResult(null);
    setUnchecked(new Set());
    setSheet(undefined);
  };

  const columnOptions = useMemo(
    () => (preview?.headers ?? []).map((h, i) => ({ value: i, label: `${letter(i)}  ${h}` })),
    [preview?.headers],
  );
  const columns = [
    { title: t('row'), dataIndex: 'row', width: 60 },
    {
      title: t('status'),
      width: 96,
      render: (_: unknown, r: Row) => (
        <Tag color={STATUS_COLOR[unchecked.has(r.row) ? 'skipped' : r.status]}>
          {t(unchecked.has(r.row) ? 'skipped' : r.status)}
        </Tag>
      ),
    },
    {
      title: t('reason'),
      width: 320,
      render: (_: unknown, r: Row) =>
        r.reason ? (
          <Typography.Text type={r.status === 'error' ? 'danger' : 'secondary'}>{r.reason}</Typography.Text>
        ) : (
          ''
        ),
    },
    {
      title: t('material'),
      width: 240,
      render: (_: unknown, r: Row) =>
        r.material ? [r.material.code, r.material.name, r.material.spec].filter(Boolean).join(' ') : '',
    },
    {
      title: t('quantity'),
      width: 110,
      align: 'right' as const,
      render: (_: unknown, r: Row) =>
        r.quantity === null ? '' : `${formatQuantity(r.quantity)} ${r.material?.unit ?? ''}`,
    },
    { title: t('lot'), dataIndex: 'lot', width: 130 },
    { title: t('producedOn'), dataIndex: 'producedOn', width: 110 },
    { title: t('expiresOn'), dataIndex: 'expiresOn', width: 110 },
    { title: t('depotCol'), dataIndex: 'depot', width: 150 },
  ];

  return (
    <Flex vertical gap={12}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('title')}
      </Typography.Title>
      <Steps
        size="small"
        current={step}
        items={[t('stepFile'), t('stepMapping'), t('stepPreview'), t('stepDone')].map((title) => ({ title }))}
        style={{ maxWidth: 720 }}
      />
      {!mayPost && step < 3 && (
        <Alert type="info" showIcon title={t('previewOnly')} style={{ maxWidth: 720 }} />
      )}
      {error && <Alert type="error" showIcon title={error} data-testid="import-error" />}
      {step === 0 && (
        <Flex vertical gap={12} style={{ maxWidth: 720 }}>
          <div>
            <Typography.Text strong>{t('kind')}</Typography.Text>
            <div>
              <Radio.Group value={kind} onChange={(e) => setKind(e.target.value as ImportKind)}>
                {KINDS.map((k) => (
                  <Radio.Button key={k} value={k}>
                    {terms(`import.kind.${k}`)}
                  </Radio.Button>
                ))}
              </Radio.Group>
            </div>
          </div>
          {kind !== 'catalogue' && kind !== 'relief-depot' && (
            <div>
              <Typography.Text strong>{t('depot')}</Typography.Text>
              <div>
                <DepotSelect
                  mine
                  aria-label={t('depot')}
                  value={depotId}
                  onChange={setDepotId}
                  style={{ width: 280 }}
                />{' '}
                <Typography.Text type="secondary">{t('depotHint')}</Typography.Text>
              </div>
            </div>
          )}
          <Upload.Dragger
            accept=".xlsx,.xls,.ods,.csv"
            maxCount={1}
            fileList={file ? [{ uid: '1', name: file.name, status: 'done' }] : []}
            beforeUpload={(f) => {
              setFile(f);
              return false;
            }}
            onRemove={() => setFile(null)}
            data-testid="import-file"
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{t('drop')}</p>
          </Upload.Dragger>
          {kind !== 'catalogue' && (
            <Checkbox checked={createMissing} onChange={(e) => setCreateMissing(e.target.checked)}>
              {t('createMissing')}
            </Checkbox>
          )}
          <Space>
            <Button type="primary" loading={busy} disabled={!file} onClick={() => void read()}>
              {busy ? t('reading') : t('next')}
            </Button>
          </Space>
        </Flex>
      )}
      {step === 1 && preview && (
        <Flex vertical gap={12} style={{ maxWidth: 720 }}>
          <Space wrap>
            {preview.sheets.length > 1 && (
              <Select
                aria-label={t('sheet')}
                value={sheet}
                onChange={(v) => {
                  setSheet(v);
                  void run(async () => {
                    const found = await rpc('import.preview', request(uploadId!, { sheet: v }));
                    setPreview(found);
                    setMapping(found.mapping);
                  });
                }}
                options={preview.sheets.map((s) => ({ value: s, label: s }))}
                style={{ width: 200 }}
              />
            )}
            <Typography.Text>{t('headerAt', { row: preview.headerRow })}</Typography.Text>
            <Typography.Text type="secondary">{t(preview.mappingSource)}</Typography.Text>
          </Space>
          <Table
            size="small"
            pagination={false}
            rowKey="field"
            data-testid="import-mapping"
            dataSource={IMPORT_FIELDS.map((field) => ({ field }))}
            columns={[
              {
                title: t('field'),
                width: 200,
                render: (_: unknown, r: { field: ImportField }) => terms(`import.field.${r.field}`),
              },
              {
                title: t('column'),
                render: (_: unknown, r: { field: ImportField }) => (
                  <Select<number>
                    allowClear
                    aria-label={terms(`import.field.${r.field}`)}
                    placeholder={t('unused')}
                    value={mapping[r.field]}
                    onChange={(v) =>
                      setMapping((m) => {
                        const next = { ...m };
                        if (v === undefined) delete next[r.field];
                        else next[r.field] = v;
                        return next;
                      })
                    }
                    options={columnOptions}
                    style={{ width: 320 }}
                  />
                ),
              },
            ]}
          />
          <Space>
            <Button onClick={() => setStep(0)}>{t('back')}</Button>
            <Button type="primary" loading={busy} onClick={() => void showPreview()}>
              {t('preview')}
            </Button>
          </Space>
        </Flex>
      )}
      {step === 2 && preview && (
        <Flex vertical gap={8}>
          <Typography.Text data-testid="import-counts">
            {t('counts', {
              ok: preview.counts.ok - rows.filter((r) => r.status === 'ok' && unchecked.has(r.row)).length,
              create:
                preview.counts.create -
                rows.filter((r) => r.status === 'create' && unchecked.has(r.row)).length,
              exists: preview.counts.exists,
              error: wrongChecked,
              skipped: unchecked.size,
            })}
          </Typography.Text>
          {wrongChecked > 0 && (
            <Alert type="warning" showIcon title={t('wrongChecked', { n: wrongChecked })} />
          )}
          <Table<Row>
            size="small"
            // Thousands of rows scroll virtually; a short file stays a plain table.
            virtual={rows.length > 200}
            scroll={{ x: 1460, y: 420 }}
            pagination={false}
            rowKey="row"
            data-testid="import-preview"
            dataSource={rows}
            columns={columns}
            rowSelection={{
              selectedRowKeys: rows.filter((r) => !unchecked.has(r.row)).map((r) => r.row),
              onChange: (keys) => {
                const kept = new Set(keys as number[]);
                setUnchecked(new Set(rows.filter((r) => !kept.has(r.row)).map((r) => r.row)));
              },
            }}
          />
          <Space>
            <Button onClick={() => setStep(1)}>{t('back')}</Button>
            {mayPost && (
              <Button
                type="primary"
                loading={busy}
                disabled={wrongChecked > 0 || taking.length === 0}
                onClick={() => void commit()}
              >
                {t('commit', { n: taking.length })}
              </Button>
            )}
          </Space>
        </Flex>
      )}
      {step === 3 && result && (
        <Flex vertical gap={8} data-testid="import-done">
          <Alert
            type="success"
            showIcon
            title={t('done', {
              rows: result.preview.counts.ok + result.preview.counts.create,
            })}
          />
          {result.documents.length > 0 && (
            <Space wrap>
              {t('documents')}
              {result.documents.map((d) => (
                <DocLink key={d} docNo={d} />
              ))}
            </Space>
          )}
          {result.materials.length > 0 && (
            <Typography.Text>
              {t('newMaterials', { n: result.materials.length, codes: result.materials.join('、') })}
            </Typography.Text>
          )}
          <Space>
            <Button onClick={restart}>{t('again')}</Button>
          </Space>
        </Flex>
      )}
    </Flex>
  );
}
