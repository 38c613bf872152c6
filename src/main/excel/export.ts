/**
 * Exporting a report to a workbook file: the report's sheets from the store, with the filters
 * resolved (a depot by its code) and named in the 说明 sheet with who exported it, when, and the
 * audit chain head read before the rows (the file reflects that state of the books or a later one).
 */
import { localDate } from '../../shared/dates';
import { isMessageKey, t, type Locale } from '../../shared/i18n';
import { AppError } from '../../shared/rpc';
import { dateInput } from '../../shared/schemas/common';
import type { ReportName } from '../../shared/schemas/report';
import { auditHead } from '../services/audit.service';
import type { ServiceContext } from '../services/context';
import { inventorySheets } from './reports/inventory';
import { movementSheets } from './reports/movements';
import { writeWorkbook, type Progress } from './workbook';

export { REPORTS, type ReportName } from '../../shared/schemas/report';

export const REPORT_TITLES: Record<ReportName, Record<'zh-CN' | 'en', string>> = {
  inventory: { 'zh-CN': '库存台账', en: 'Inventory ledger' },
  movements: { 'zh-CN': '出入库明细', en: 'Movement detail' },
};
const FILTER_WORDS = {
  'zh-CN': {
    depot: '储备库',
    level: '级别',
    category: '类别',
    topClass: '大类',
    material: '物资',
    type: '类型',
    docNo: '单号',
    period: '日期',
    from: (d: string) => `${d} 起`,
    to: (d: string) => `至 ${d}`,
  },
  en: {
    depot: 'Depot',
    level: 'Level',
    category: 'Category',
    topClass: 'Class',
    material: 'Material',
    type: 'Type',
    docNo: 'Document',
    period: 'Dates',
    from: (d: string) => `from ${d}`,
    to: (d: string) => `to ${d}`,
  },
};

export interface ExportRequest {
  report: ReportName;
  file: string;
  lang: Locale;
  /** One depot: by its code (the CLI) or its id (the screens). */
  depotCode?: string | undefined;
  depotId?: number | undefined;
  /** Inventory: depot level, material category and class (the stock screen's filters). */
  level?: 'city' | 'district' | 'town' | undefined;
  category?: string | undefined;
  topClass?: 1 | 2 | 3 | undefined;
  /** Movements: one material, kind or document (the movement list's filters)… */
  materialId?: number | undefined;
  type?: string | undefined;
  docNo?: string | undefined;
  /** …and a period of local dates, both ends included. */
  from?: string | undefined;
  to?: string | undefined;
  /** Who asked (a signed-in user's name, or the operating-system account for the CLI). */
  exportedBy: string;
}

export async function exportReport(
  ctx: ServiceContext,
  request: ExportRequest,
  progress: Progress = {},
): Promise<{ file: string; rows: number[] }> {
  const lang = request.lang === 'en' ? 'en' : 'zh-CN';
  const words = FILTER_WORDS[lang];
  const filters: string[] = [];
  const shown: string[] = [];
  let depotId: number | undefined;
  if (request.depotCode !== undefined || request.depotId !== undefined) {
    let query = ctx.db.selectFrom('depots').select(['depotId', 'name']);
    query =
      request.depotId !== undefined
        ? query.where('depotId', '=', request.depotId)
        : query.where('code', '=', request.depotCode!);
    const depot = await query.executeTakeFirst();
    if (!depot) {
      const [key, params] =
        request.depotId !== undefined
          ? (['depot.notFound', { id: String(request.depotId) }] as const)
          : (['depot.codeNotFound', { code: request.depotCode! }] as const);
      throw new AppError('NOT_FOUND', key, params, [{ path: 'depot', key, params }]);
    }
    depotId = depot.depotId;
    filters.push(`${words.depot}：${depot.name}`);
    shown.push(depot.name);
  }
  const term = (prefix: string) => (value: string) => {
    const key = `${prefix}.${value}`;
    return isMessageKey(key) ? t(lang, key) : value;
  };
  const named = (word: string, value: string) => {
    filters.push(`${word}：${value}`);
    shown.push(value);
  };
  const inventory = request.report === 'inventory';
  if (inventory && request.level) named(words.level, term('level')(request.level));
  if (inventory && request.category) named(words.category, request.category);
  if (inventory && request.topClass) named(words.topClass, term('topClass')(String(request.topClass)));
  let materialId: number | undefined;
  if (!inventory && request.materialId !== undefined) {
    const material = await ctx.db
      .selectFrom('materials')
      .select(['materialId', 'code', 'name'])
      .where('materialId', '=', request.materialId)
      .executeTakeFirst();
    if (!material) {
      const params = { id: String(request.materialId) };
      throw new AppError('NOT_FOUND', 'material.notFound', params, [
        { path: 'materialId', key: 'material.notFound', params },
      ]);
    }
    materialId = material.materialId;
    named(words.material, `${material.code} ${material.name}`);
  }
  if (!inventory && request.type) named(words.type, term('movementType')(request.type));
  const docNo = request.docNo?.trim() || undefined;
  if (!inventory && docNo) named(words.docNo, docNo);
  const period = periodOf(request.from, request.to);
  if (!inventory && (period.from || period.to))
    named(
      words.period,
      [period.from && words.from(period.from), period.to && words.to(period.to)].filter(Boolean).join(' '),
    );
  const head = await auditHead(ctx.db);
  const exportedAt = ctx.clock.now();
  const title = REPORT_TITLES[request.report][lang];
  const defined = <T extends object>(o: T) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  const sheets = (
    inventory
      ? inventorySheets(
          ctx,
          lang,
          defined({ depotId, level: request.level, category: request.category, topClass: request.topClass }),
          term('batchSource'),
        )
      : movementSheets(
          ctx.db,
          lang,
          defined({ depotId, materialId, type: request.type, docNo, ...period }),
          term('movementType'),
        )
  ).map((sheet) => ({
    ...sheet,
    title: `${sheet.title}（${[...shown, localDate(exportedAt)].join(' · ')}）`,
  }));
  const rows = await writeWorkbook(
    request.file,
    sheets,
    {
      lang,
      report: title,
      filters,
      exportedBy: request.exportedBy,
      exportedAt,
      auditHead: head ? { auditId: head.auditId, hash: head.hash } : null,
    },
    progress,
  );
  return { file: request.file, rows };
}

/** A period's ends as real dates (`2026-02-30` is refused), from ≤ to. */
function periodOf(from: string | undefined, to: string | undefined): { from?: string; to?: string } {
  const check = (value: string | undefined, field: 'from' | 'to') => {
    if (value === undefined) return undefined;
    const parsed = dateInput.safeParse(value);
    if (!parsed.success)
      throw new AppError('BAD_INPUT', `export.bad${field === 'from' ? 'From' : 'To'}`, { value }, [
        { path: field, key: `export.bad${field === 'from' ? 'From' : 'To'}`, params: { value } },
      ]);
    return parsed.data;
  };
  const period = { from: check(from, 'from'), to: check(to, 'to') };
  if (period.from && period.to && period.from > period.to) {
    const params = { from: period.from, to: period.to };
    throw new AppError('BAD_INPUT', 'export.periodReversed', params, [
      { path: 'to', key: 'export.periodReversed', params },
    ]);
  }
  return Object.fromEntries(Object.entries(period).filter(([, v]) => v !== undefined));
}
