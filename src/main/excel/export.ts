/**
 * Exporting a report to a workbook file: the report's sheets from the store, with the filters
 * resolved (a depot by its code) and named in the 说明 sheet with who exported it, when, and the
 * audit chain head read before the rows (the file reflects that state of the books or a later one).
 */
import { localDate } from '../../shared/dates';
import { isMessageKey, t, type Locale } from '../../shared/i18n';
import { AppError } from '../../shared/rpc';
import { auditHead } from '../services/audit.service';
import type { ServiceContext } from '../services/context';
import { inventorySheets } from './reports/inventory';
import { writeWorkbook } from './workbook';

export const REPORTS = ['inventory'] as const;
export type ReportName = (typeof REPORTS)[number];

const REPORT_TITLES: Record<ReportName, Record<'zh-CN' | 'en', string>> = {
  inventory: { 'zh-CN': '库存台账', en: 'Inventory ledger' },
};
const DEPOT_FILTER = { 'zh-CN': '储备库', en: 'Depot' };

export interface ExportRequest {
  report: ReportName;
  file: string;
  lang: Locale;
  depotCode?: string | undefined;
  /** Who asked (a signed-in user's name, or the operating-system account for the CLI). */
  exportedBy: string;
}

export async function exportReport(
  ctx: ServiceContext,
  request: ExportRequest,
): Promise<{ file: string; rows: number[] }> {
  const lang = request.lang === 'en' ? 'en' : 'zh-CN';
  const filters: string[] = [];
  let depotId: number | undefined;
  if (request.depotCode !== undefined) {
    const depot = await ctx.db
      .selectFrom('depots')
      .select(['depotId', 'name'])
      .where('code', '=', request.depotCode)
      .executeTakeFirst();
    if (!depot)
      throw new AppError('NOT_FOUND', 'depot.codeNotFound', { code: request.depotCode }, [
        { path: 'depot', key: 'depot.codeNotFound', params: { code: request.depotCode } },
      ]);
    depotId = depot.depotId;
    filters.push(`${DEPOT_FILTER[lang]}：${depot.name}`);
  }
  const head = await auditHead(ctx.db);
  const exportedAt = ctx.clock.now();
  const title = REPORT_TITLES[request.report][lang];
  const sourceName = (source: string) => {
    const key = `batchSource.${source}`;
    return isMessageKey(key) ? t(lang, key) : source;
  };
  const sheets = inventorySheets(ctx, lang, depotId === undefined ? {} : { depotId }, sourceName).map(
    (sheet) => ({
      ...sheet,
      title: `${sheet.title}（${[...filters.map((f) => f.split('：')[1]), localDate(exportedAt)].join(' · ')}）`,
    }),
  );
  const rows = await writeWorkbook(request.file, sheets, {
    lang,
    report: title,
    filters,
    exportedBy: request.exportedBy,
    exportedAt,
    auditHead: head ? { auditId: head.auditId, hash: head.hash } : null,
  });
  return { file: request.file, rows };
}
