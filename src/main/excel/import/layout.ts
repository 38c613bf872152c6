/**
 * Finding the table in a sheet: the header row among the first rows (title and 填报单位 rows
 * above it are passed over), a two-level merged header read as one (物资信息 › 品名), each
 * column's field guessed from the header's words and their synonyms (物资名称 ≈ 品名 ≈ 货物名称 …),
 * a unit written in the header (数量（顶）), and the rows that are not data: blank rows, 合计 /
 * 小计 rows and footers (注：…, 填表人：…). The header's words make the layout's signature,
 * under which a confirmed mapping is remembered.
 */
import { createHash } from 'node:crypto';
import { IMPORT_FIELDS, type ImportField } from '../../../shared/schemas/import';
import type { Cell } from './parse';
import { cellText, headerUnit, looseText } from './values';

export const FIELDS = IMPORT_FIELDS;
export type Field = ImportField;

/** Header words per field, compared loosely (width folded, no spaces, lower case). */
const SYNONYMS: Record<Field, string[]> = {
  code: [
    '物资编码',
    '编码',
    '物资代码',
    '物料编码',
    '货物编码',
    '商品编码',
    '物资编号',
    '代码',
    'materialcode',
    'code',
  ],
  gbCode: ['国标编码', '国标代码', '国标分类编码', '分类代码', 'gb/t38565编码', 'gb/t38565code', 'gbcode'],
  name: [
    '物资名称',
    '品名',
    '货物名称',
    '名称',
    '物资品名',
    '商品名称',
    '物品名称',
    '品名称',
    'material',
    'name',
  ],
  spec: ['规格型号', '规格', '型号', '规格/型号', '规格及型号', 'specification', 'spec'],
  unit: ['单位', '计量单位', 'unit'],
  category: ['类别', '物资类别', '分类', '品类', '物资分类', 'category'],
  quantity: [
    '数量',
    '库存数量',
    '实有数量',
    '现有数量',
    '结存数量',
    '储备数量',
    '库存',
    '账面库存',
    '入库数量',
    '实存数量',
    'quantity',
    'onhand',
  ],
  lotNo: ['批号', '批次', '批次号', '生产批号', 'lot', 'lotno'],
  producedOn: ['生产日期', '出厂日期', 'producedon'],
  expiresOn: ['有效期至', '有效期', '失效日期', '到期日期', '保质期至', '有效日期', 'expireson'],
  unitPrice: ['单价', '单价(元)', '单价（元）', '价格', '单价元', 'unitprice', 'unitprice(yuan)'],
  supplier: ['供应商', '生产厂家', '厂家', '生产企业', '供货单位', 'supplier'],
  depotCode: ['储备库编码', '仓库编码', 'depotcode'],
  depot: ['储备库', '仓库', '储备库名称', '仓库名称', '存储单位', 'depot'],
  location: ['存放地点', '存放位置', '库位', '货位', '存放库位', 'location'],
  note: ['备注', '说明', 'note', 'remark'],
};
/** Numbering columns (序号): recognised so they are not mistaken for data, and ignored. */
const NUMBERING = ['序号', '编号', 'no', 'no.', '#'];

const WORD_TO_FIELD = new Map<string, Field>(
  FIELDS.flatMap((f) => SYNONYMS[f].map((w) => [looseText(w), f] as const)),
);

/** The field a header names, if any, and a unit it carries in brackets. */
export function fieldOf(header: string): { field: Field | null; unit: string | null } {
  const loose = looseText(header).replace(/（/g, '(').replace(/）/g, ')');
  const direct = WORD_TO_FIELD.get(loose);
  if (direct) return { field: direct, unit: null };
  const { text, unit } = headerUnit(header);
  const field = WORD_TO_FIELD.get(looseText(text)) ?? null;
  return field ? { field, unit } : { field: null, unit: null };
}

export interface Layout {
  /** The header's last row, as Excel numbers rows (1-based); data starts below it. */
  headerRow: number;
  /** Each column's header text (a two-level header as 物资信息›品名). */
  headers: string[];
  /** The column (0-based) of each field found; the caller may override it. */
  mapping: Partial<Record<Field, number>>;
  /** Units written in headers, per column. */
  headerUnits: Record<number, string>;
  /** A digest of the header's words: the same layout gives the same signature. */
  signature: string;
}

/** Rows searched for a header. */
export const HEADER_SEARCH = 30;

function guess(headers: string[]) {
  const mapping: Partial<Record<Field, number>> = {};
  const headerUnits: Record<number, string> = {};
  headers.forEach((h, column) => {
    // The lower level of a two-level header names the column; the upper is only a group.
    const { field, unit } = fieldOf(h.split('›').at(-1)!);
    if (field && mapping[field] === undefined) mapping[field] = column;
    if (unit) headerUnits[column] = unit;
  });
  return { mapping, headerUnits };
}

/**
 * The best header among the first rows: one row, or two read together (a merged group above
 * its columns). The most fields recognised wins; it needs at least a name or a code and the
 * fields `needs` asks for.
 */
export function findLayout(rows: Cell[][], needs: readonly Field[]): Layout | null {
  let best: { score: number; layout: Omit<Layout, 'signature'> } | null = null;
  const limit = Math.min(rows.length, HEADER_SEARCH);
  for (let r = 0; r < limit; r += 1) {
    const single = (rows[r] ?? []).map(cellText);
    const candidates: { headers: string[]; headerRow: number }[] = [{ headers: single, headerRow: r + 1 }];
    if (r + 1 < rows.length) {
      const lower = (rows[r + 1] ?? []).map(cellText);
      const width = Math.max(single.length, lower.length);
      const merged = Array.from({ length: width }, (_, c) => {
        const up = single[c] ?? '';
        const down = lower[c] ?? '';
        if (!down || down === up) return up;
        return up ? `${up}›${down}` : down;
      });
      candidates.push({ headers: merged, headerRow: r + 2 });
    }
    for (const candidate of candidates) {
      const { mapping, headerUnits } = guess(candidate.headers);
      const found = Object.keys(mapping) as Field[];
      if (mapping.name === undefined && mapping.code === undefined) continue;
      if (!needs.every((f) => mapping[f] !== undefined)) continue;
      // A bare group row (物资信息 above 品名) never beats the two rows read together.
      const score = found.length;
      if (!best || score > best.score)
        best = {
          score,
          layout: { headerRow: candidate.headerRow, headers: candidate.headers, mapping, headerUnits },
        };
    }
  }
  if (!best) return null;
  const words = best.layout.headers.map(looseText).join('|');
  return { ...best.layout, signature: createHash('sha256').update(words).digest('hex').slice(0, 16) };
}

const TOTALS = /^(合计|小计|总计|累计|共计|总合计|total|subtotal)/;
const FOOTER =
  /^(注[:：]|备注[:：]|说明[:：]|填表人|制表人|填报人|审核人|负责人|单位负责人|填报日期|制表日期|联系人|联系电话)/;

/** Why a row below the header is not data ('blank', 'totals', 'footer'), or null when it is. */
export function notData(
  row: Cell[],
  numberingColumns: ReadonlySet<number>,
): 'blank' | 'totals' | 'footer' | null {
  const all = row.map((c) => looseText(cellText(c)));
  // A row with nothing but its number (序号) is blank too.
  const filled = all.filter((t, i) => t !== '' && !numberingColumns.has(i));
  if (filled.length === 0) return 'blank';
  if (FOOTER.test(filled[0]!)) return 'footer';
  // 合计 may stand in the 序号 column itself.
  if (all.slice(0, 4).some((t) => TOTALS.test(t))) return 'totals';
  return null;
}

/** Columns that only number the rows (序号). */
export function numberingColumns(headers: string[]): Set<number> {
  const words = new Set(NUMBERING.map(looseText));
  return new Set(headers.flatMap((h, i) => (words.has(looseText(h.split('›').at(-1)!)) ? [i] : [])));
}
