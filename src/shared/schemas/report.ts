/** Reports exported as workbooks (报表 › 导出), run as jobs the screen follows. */
import { z } from 'zod';
import { dateInput, id, searchText } from './common';
import { depotLevel } from './depot';
import { topClass } from './material';
import { movementType } from './stock';

export const REPORTS = [
  'inventory',
  'movements',
  'allocations',
  'deliveries',
  'warnings',
  'stocktake',
] as const;
export type ReportName = (typeof REPORTS)[number];

/** A filter a report can take (`scope`: the stock screen's level, category and class). */
export type ReportFilter = 'depot' | 'scope' | 'material' | 'type' | 'docNo' | 'period' | 'incident';
/** The filters each report takes; any other given is ignored. */
export const REPORT_FILTERS: Record<ReportName, readonly ReportFilter[]> = {
  inventory: ['depot', 'scope'],
  movements: ['depot', 'material', 'type', 'docNo', 'period'],
  allocations: ['incident', 'depot', 'period'],
  deliveries: ['incident', 'depot', 'period'],
  warnings: ['depot'],
  stocktake: ['depot', 'period'],
};

export const reportExportInput = z.strictObject({
  report: z.enum(REPORTS),
  depotId: id.optional(),
  /** Inventory: the stock screen's filters. */
  level: depotLevel.optional(),
  category: searchText(30).optional(),
  topClass: topClass.optional(),
  /** Movements: the movement list's filters; a period of local dates, both ends included (also allocations, deliveries, stocktakes). */
  materialId: id.optional(),
  type: movementType.optional(),
  docNo: searchText(40).optional(),
  from: dateInput.optional(),
  to: dateInput.optional(),
  /** Allocations and deliveries: one incident's. */
  incidentId: id.optional(),
  /** The workbook's language (the UI's). */
  lang: z.enum(['zh-CN', 'en']).default('zh-CN'),
});

export const reportJobInput = z.strictObject({ jobId: z.string().regex(/^[0-9a-f]{32}$/) });

export const reportJobDto = z.object({
  jobId: z.string(),
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  /** Rows written so far (all sheets). */
  rows: z.number().int(),
  fileName: z.string(),
  /** Why it failed, in the caller's language. */
  error: z.string().nullable(),
});
export type ReportJobDto = z.infer<typeof reportJobDto>;
