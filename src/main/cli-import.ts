/**
 * `relief-depot import <kind> FILE [--depot CODE] [--sheet NAME] [--create-missing] [--json]
 * [--commit]`: without --commit, a preview (a table of what would be written and every bad row,
 * or with --json one JSON object); with --commit, all of it or nothing, exit 1 if anything was
 * refused. At the machine, the write is recorded as the first active administrator's, with the
 * operating-system account named in the receipt's note.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { t, type Locale } from '../shared/i18n';
import { AppError } from '../shared/rpc';
import type { App } from './app';
import { IMPORT_KINDS, type ImportKind, type PlannedRow } from './excel/import/plan';
import { toRpcError } from './rpc/errors';
import {
  commitImport,
  previewImport,
  type ImportPreview,
  type ImportRequest,
} from './services/import.service';

const TEXTS = {
  'zh-CN': {
    usage:
      '用法: relief-depot import catalogue|opening-stock|receipts|relief-depot 文件 [--depot 编码] [--sheet 工作表] [--create-missing] [--json] [--commit]',
    cannotRead: (f: string, reason: string) => `无法读取 ${f}（${reason}）`,
    header: (p: ImportPreview) =>
      `${p.fileName} › ${p.sheet}：表头在第 ${p.headerRow} 行（列对应：${p.mappingSource === 'remembered' ? '沿用上次确认的' : p.mappingSource === 'given' ? '指定的' : '自动识别'}）`,
    columns: ['行', '状态', '物资', '数量', '批号', '生产日期', '有效期至', '储备库', '说明'],
    status: { ok: '可导入', create: '新建物资', exists: '目录已有', error: '有误', skipped: '已跳过' },
    summary: (c: ImportPreview['counts']) =>
      `可导入 ${c.ok} 行，新建物资 ${c.create} 行，目录已有 ${c.exists} 行，有误 ${c.error} 行`,
    previewOnly: '这只是预览，没有写入任何数据；确认无误后加 --commit 导入。',
    committed: (docs: string[], materials: string[]) =>
      `已导入：${[docs.length > 0 ? `入库单 ${docs.join('、')}` : '', materials.length > 0 ? `新建物资 ${materials.length} 种` : ''].filter(Boolean).join('；')}`,
  },
  en: {
    usage:
      'Usage: relief-depot import catalogue|opening-stock|receipts|relief-depot FILE [--depot CODE] [--sheet NAME] [--create-missing] [--json] [--commit]',
    cannotRead: (f: string, reason: string) => `Cannot read ${f} (${reason})`,
    header: (p: ImportPreview) =>
      `${p.fileName} › ${p.sheet}: header in row ${p.headerRow} (mapping ${p.mappingSource === 'remembered' ? 'as confirmed last time' : p.mappingSource === 'given' ? 'as given' : 'guessed'})`,
    columns: ['Row', 'Status', 'Material', 'Quantity', 'Lot', 'Produced', 'Expires', 'Depot', 'Note'],
    status: {
      ok: 'ready',
      create: 'new material',
      exists: 'in catalogue',
      error: 'wrong',
      skipped: 'skipped',
    },
    summary: (c: ImportPreview['counts']) =>
      `${c.ok} rows ready, ${c.create} with a new material, ${c.exists} already in the catalogue, ${c.error} wrong`,
    previewOnly: 'This is only a preview: nothing was written. Add --commit to import.',
    committed: (docs: string[], materials: string[]) =>
      `Imported: ${[docs.length > 0 ? `receipts ${docs.join(', ')}` : '', materials.length > 0 ? `${materials.length} new materials` : ''].filter(Boolean).join('; ')}`,
  },
};

const letter = (column: number) =>
  column < 26
    ? String.fromCharCode(65 + column)
    : String.fromCharCode(64 + Math.floor(column / 26), 65 + (column % 26));

/** The preview as one JSON object (the shape the issue names, with the sheet and counts beside it). */
export function previewJson(p: ImportPreview) {
  return {
    file: p.fileName,
    sha256: p.sha256,
    sheet: p.sheet,
    headerRow: p.headerRow,
    mappingSource: p.mappingSource,
    mapping: Object.fromEntries(
      Object.entries(p.mapping).map(([field, column]) => [
        field,
        { column: letter(column), header: p.headers[column] },
      ]),
    ),
    rows: p.rows.map((r: PlannedRow) => ({
      row: r.row,
      material: r.material && { code: r.material.code, name: r.material.name, unit: r.material.unit },
      quantity: r.quantity,
      lot: r.lot,
      producedOn: r.producedOn,
      expiresOn: r.expiresOn,
      depot: r.depot,
      status: r.status,
      reason: r.reason,
    })),
    errors: p.errors,
    counts: p.counts,
  };
}

function printTable(p: ImportPreview, say: (typeof TEXTS)['en']) {
  console.log(say.header(p));
  const body = p.rows.map((r) => [
    String(r.row),
    say.status[r.status],
    r.material ? [r.material.code, r.material.name, r.material.unit].filter(Boolean).join(' ') : '',
    r.quantity === null ? '' : r.quantity.toLocaleString('en-US'),
    r.lot ?? '',
    r.producedOn ?? '',
    r.expiresOn ?? '',
    r.depot ?? '',
    r.reason ?? '',
  ]);
  console.log([say.columns, ...body].map((cells) => cells.join('\t')).join('\n'));
  console.log(say.summary(p.counts));
}

export async function importCommand(
  app: App,
  args: {
    kind: string | undefined;
    file: string | undefined;
    depot: string | undefined;
    sheet: string | undefined;
    createMissing: boolean;
    json: boolean;
    commit: boolean;
    locale: Locale;
    osUser: string;
  },
): Promise<number> {
  const say = TEXTS[args.locale === 'en' ? 'en' : 'zh-CN'];
  if (!args.kind || !args.file || !(IMPORT_KINDS as readonly string[]).includes(args.kind)) {
    console.error(say.usage);
    return 2;
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(args.file);
  } catch (error) {
    console.error(say.cannotRead(args.file, (error as NodeJS.ErrnoException).code ?? String(error)));
    return 1;
  }
  const request: ImportRequest = {
    kind: args.kind as ImportKind,
    fileName: path.basename(args.file),
    bytes,
    lang: args.locale,
    depotCode: args.depot,
    sheet: args.sheet,
    createMissing: args.createMissing,
  };
  try {
    if (!args.commit) {
      const preview = await previewImport(app.svc, request);
      if (args.json) console.log(JSON.stringify(previewJson(preview), null, 2));
      else {
        printTable(preview, say);
        console.log(say.previewOnly);
      }
      return preview.counts.error > 0 ? 1 : 0;
    }
    const admin = await app.db
      .selectFrom('users')
      .select(['userId', 'username', 'displayName', 'role'])
      .where('role', '=', 'admin')
      .where('active', '=', 1)
      .orderBy('userId')
      .executeTakeFirst();
    if (!admin) throw new AppError('CONFLICT', 'import.noAdmin');
    const actor = { ...admin, displayName: `${admin.displayName}（${args.osUser}）`, depotIds: [] };
    const done = await commitImport(app.svc, actor, request);
    if (args.json)
      console.log(
        JSON.stringify(
          { ...previewJson(done.preview), documents: done.documents, materials: done.materials },
          null,
          2,
        ),
      );
    else console.log(say.committed(done.documents, done.materials));
    return 0;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const message = toRpcError(args.locale, error).message;
    if (args.json)
      console.log(
        JSON.stringify(
          { error: { code: error.code, message, rows: error.fields.map((f) => f.path) } },
          null,
          2,
        ),
      );
    else {
      console.error(message);
      // A refused commit lists its rows, each with its reason.
      if (error.key === 'import.refused')
        for (const f of error.fields) console.error(t(args.locale, f.key, f.params ?? {}));
    }
    return 1;
  }
}
