/**
 * Exporting a report to a workbook file: the report's sheets from the store, with the filters
 * resolved (a depot by its code) and named in the 说明 sheet with who exported it, when, and the
 * audit chain head read before the rows (the file reflects that state of the books or a later one).
 */
import { localDate } from '../../shared/dates';
import { isMessageKey, t, type Locale } from '../../shared/i18n';
import { AppError } from '../../shared/rpc';
import { dateInput } from '../../shared/schemas/common';
import { REPORT_FILTERS, type ReportFilter, type ReportName } from '../../shared/schemas/report';
import { auditHead } from '../services/audit.service';
import { namedDepot } from '../services/guards';
import type { ServiceContext } from '../services/context';
import { allocationSheets } from './reports/allocations';
import { deliverySheets } from './reports/deliveries';
import { inventorySheets } from './reports/inventory';
import { movementSheets } from './reports/movements';
import { stocktakeSheets } from './reports/stocktake';
import { warningSheets } from './reports/warnings';
import { writeWorkbook, type AnySheet, type Progress } from './workbook';

export { REPORTS, type ReportName } from '../../shared/schemas/report';

export const REPORT_TITLES: Record<ReportName, Record<'zh-CN' | 'en', string>> = {
  inventory: { 'zh-CN': '库存台账', en: 'Inventory ledger' },
  movements: { 'zh-CN': '出入库明细', en: 'Movement detail' },
  allocations: { 'zh-CN': '调拨汇总', en: 'Allocation summary' },
  deliveries: { 'zh-CN': '配送跟踪', en: 'Delivery tracking' },
  warnings: { 'zh-CN': '预警清单', en: 'Warnings' },
  stocktake: { 'zh-CN': '盘点差异表', en: 'Stocktake differences' },
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
    incident: '事件',
    from: (d: string) => `${d} 起`,
    to: (d: string) => `至 ${d}`,
    keeper: (depots: string) => `保管员范围：${depots}（仅含这些储备库的申请和配送单，与其屏幕所见相同）`,
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
    incident: 'Incident',
    from: (d: string) => `from ${d}`,
    to: (d: string) => `to ${d}`,
    keeper: (depots: string) =>
      `Keeper's scope: ${depots} (only the requests and orders of these depots, as their screens show)`,
  },
};

/** The reports with requests or orders in them: a keeper's copy narrows to their depots'. */
const KEEPER_SCOPED: ReadonlySet<ReportName> = new Set(['allocations', 'deliveries', 'warnings']);

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
  /** …and a period of local dates, both ends included (allocations, deliveries and stocktakes too). */
  from?: string | undefined;
  to?: string | undefined;
  /** Allocations and deliveries: one incident's. */
  incidentId?: number | undefined;
  /** Who asked (a signed-in user's name, or the operating-system account for the CLI). */
  exportedBy: string;
  /**
   * A keeper's depots: their allocations, deliveries and late orders narrow to the requests and
   * orders of these depots, as their screens do (stock is seen city-wide by everyone).
   */
  keeperDepotIds?: readonly number[] | undefined;
}

/**
 * Writes the report's workbook. Every read (the filters' names, each page of rows, the audit
 * chain head on the 说明 sheet) is on one snapshot, so the file shows one state of the books,
 * the one its chain head names, however long it takes and whatever is written meanwhile.
 */
export function exportReport(
  ctx: ServiceContext,
  request: ExportRequest,
  progress: Progress = {},
): Promise<{ file: string; rows: number[] }> {
  return ctx.snapshot((db) => exportOnSnapshot({ ...ctx, db }, request, progress));
}

async function exportOnSnapshot(
  ctx: ServiceContext,
  request: ExportRequest,
  progress: Progress,
): Promise<{ file: string; rows: number[] }> {
  const lang = request.lang === 'en' ? 'en' : 'zh-CN';
  const words = FILTER_WORDS[lang];
  const filters: string[] = [];
  const shown: string[] = [];
  let depotId: number | undefined;
  const depot = await namedDepot(ctx.db, request);
  if (depot) {
    depotId = depot.depotId;
    filters.push(`${words.depot}：${depot.name}`);
    shown.push(depot.name);
  }
  const term = (prefix: string) => (value: string) => {
    const key = `${prefix}.${value}`;
    if (!isMessageKey(key)) return value;
    const word = t(lang, key);
    // English terms are written for sentences (“in transit”); a cell starts with a capital.
    return lang === 'en' ? word.charAt(0).toUpperCase() + word.slice(1) : word;
  };
  const named = (word: string, value: string) => {
    filters.push(`${word}：${value}`);
    shown.push(value);
  };
  const takes = (filter: ReportFilter) => REPORT_FILTERS[request.report].includes(filter);
  if (takes('scope') && request.level) named(words.level, term('level')(request.level));
  if (takes('scope') && request.category) named(words.category, request.category);
  if (takes('scope') && request.topClass) named(words.topClass, term('topClass')(String(request.topClass)));
  let materialId: number | undefined;
  if (takes('material') && request.materialId !== undefined) {
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
  if (takes('type') && request.type) named(words.type, term('movementType')(request.type));
  const docNo = request.docNo?.trim() || undefined;
  if (takes('docNo') && docNo) named(words.docNo, docNo);
  let incidentId: number | undefined;
  if (takes('incident') && request.incidentId !== undefined) {
    const incident = await ctx.db
      .selectFrom('incidents')
      .select(['incidentId', 'name'])
      .where('incidentId', '=', request.incidentId)
      .executeTakeFirst();
    if (!incident) {
      const params = { id: String(request.incidentId) };
      throw new AppError('NOT_FOUND', 'incident.notFound', params, [
        { path: 'incident', key: 'incident.notFound', params },
      ]);
    }
    incidentId = incident.incidentId;
    named(words.incident, incident.name);
  }
  const period = takes('period') ? periodOf(request.from, request.to) : {};
  if (period.from || period.to)
    named(
      words.period,
      [period.from && words.from(period.from), period.to && words.to(period.to)].filter(Boolean).join(' '),
    );
  const keeperDepotIds = KEEPER_SCOPED.has(request.report) ? request.keeperDepotIds : undefined;
  if (keeperDepotIds) {
    const names = await ctx.db
      .selectFrom('depots')
      .select('name')
      .where('depotId', 'in', keeperDepotIds.length > 0 ? keeperDepotIds : [0])
      .orderBy('code')
      .execute();
    filters.push(words.keeper(names.map((d) => d.name).join(lang === 'en' ? ', ' : '、') || '—'));
  }
  const head = await auditHead(ctx.db);
  const exportedAt = ctx.clock.now();
  const title = REPORT_TITLES[request.report][lang];
  const sheets = (
    await reportSheets(ctx, request.report, lang, term, exportedAt, {
      depotId,
      materialId,
      incidentId,
      docNo,
      ...period,
      level: request.level,
      category: request.category,
      topClass: request.topClass,
      type: request.type,
      keeperDepotIds,
    })
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

type Term = (prefix: string) => (value: string) => string;

/** The object without its undefined fields (the report filters are exact optional types). */
const defined = <T extends object>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };

/** The report's sheets, given the filters it takes (already checked and resolved). */
function reportSheets(
  ctx: ServiceContext,
  report: ReportName,
  lang: 'zh-CN' | 'en',
  term: Term,
  now: Date,
  f: {
    depotId?: number | undefined;
    materialId?: number | undefined;
    incidentId?: number | undefined;
    docNo?: string | undefined;
    from?: string;
    to?: string;
    level?: 'city' | 'district' | 'town' | undefined;
    category?: string | undefined;
    topClass?: 1 | 2 | 3 | undefined;
    type?: string | undefined;
    keeperDepotIds?: readonly number[] | undefined;
  },
): AnySheet[] | Promise<AnySheet[]> {
  const period = defined({ from: f.from, to: f.to });
  switch (report) {
    case 'inventory':
      return inventorySheets(
        ctx,
        lang,
        defined({ depotId: f.depotId, level: f.level, category: f.category, topClass: f.topClass }),
        term('batchSource'),
      );
    case 'movements':
      return movementSheets(
        ctx.db,
        lang,
        defined({ depotId: f.depotId, materialId: f.materialId, type: f.type, docNo: f.docNo, ...period }),
        term('movementType'),
      );
    case 'allocations':
      return allocationSheets(
        ctx.db,
        lang,
        defined({
          depotId: f.depotId,
          incidentId: f.incidentId,
          keeperDepotIds: f.keeperDepotIds,
          ...period,
        }),
        term,
      );
    case 'deliveries':
      return deliverySheets(
        ctx.db,
        lang,
        defined({
          depotId: f.depotId,
          incidentId: f.incidentId,
          keeperDepotIds: f.keeperDepotIds,
          ...period,
        }),
        term,
        now,
      );
    case 'warnings':
      return warningSheets(
        ctx,
        lang,
        defined({ depotId: f.depotId, keeperDepotIds: f.keeperDepotIds }),
        term,
      );
    case 'stocktake':
      return stocktakeSheets(ctx.db, lang, defined({ depotId: f.depotId, ...period }), term);
  }
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
