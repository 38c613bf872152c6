/**
 * The demo material catalogue, built from the public reserve list (data/public-reserve-items.csv):
 * rows are grouped by name and specification (the specification without the notes about where a
 * figure came from), each group becomes one material with its local category, GB/T 38565 top
 * class, unit, reference price (when the source states 单价) and, for perishable and medical
 * items only, a shelf life. No GB/T 38565 code is invented.
 */
import { findDataFile, readCsvFile } from './csv';

export interface CatalogueItem {
  code: string;
  name: string;
  spec: string | null;
  unit: string;
  topClass: 1 | 2 | 3;
  category: string;
  shelfLifeMonths: number | null;
  warningDays: number;
  referencePriceFen: number | null;
  /** The median quantity the public sources name for it (in `unit`): sizes the demo stock. */
  refQuantity: number;
  /** The quantity in the Qingdao city-level reserve need list (2020), when it is on it. */
  qingdaoNeed: number | null;
  /** How many CSV rows the item was built from. */
  sourceRows: number;
}

/** Local categories → GB/T 38565-2020 top class (1 living support, 2 equipment, 3 engineering materials). */
export const CATEGORY_TOP_CLASS: Record<string, 1 | 2 | 3> = {
  帐篷: 1,
  被服: 1,
  床具: 1,
  生活用品: 1,
  照明: 1,
  医疗防疫: 1,
  食品饮水: 1,
  取暖: 1,
  住宿: 1,
  发电: 2,
  排水泵: 2,
  舟艇: 2,
  救生: 2,
  机械车辆: 2,
  工具: 2,
  通信: 2,
  防护: 2,
  防汛物料: 3,
};
const CATEGORY_ORDER = Object.keys(CATEGORY_TOP_CLASS);

/** Perishable and medical items: shelf life in months and the warning window before expiry. */
const SHELF_LIFE: Record<string, { months: number; warningDays: number }> = {
  一次性医用外科口罩: { months: 24, warningDays: 90 },
  防护服: { months: 36, warningDays: 90 },
  消毒剂: { months: 24, warningDays: 60 },
  野战食品: { months: 24, warningDays: 60 },
  方便食品和矿泉水: { months: 12, warningDays: 45 },
  矿泉水: { months: 12, warningDays: 45 },
  水泥: { months: 3, warningDays: 30 },
};

/** Where the sources disagree on the unit, the one a depot would use. */
const PREFERRED_UNIT: Record<string, string> = {
  棉被: '床',
  折叠床: '张',
  救生衣: '件',
  编织袋: '条',
  铁锹: '把',
  大锤: '把',
  铅丝: '公斤',
  雨鞋: '双',
  应急灯: '盏',
  便携式查险灯: '盏',
  救灾帐篷: '顶',
  毛巾被: '条',
  发电机组: '台',
  柴油泵: '台',
  头盔: '顶',
};

/** Unit when the source gives none. */
function defaultUnit(name: string): string {
  if (name.includes('帐篷')) return '顶';
  if (/被|毯|褥/.test(name)) return '床';
  if (name.includes('口罩')) return '只';
  if (/床|垫/.test(name)) return '张';
  if (/衣|服/.test(name)) return '件';
  return '个';
}

/** Same quantity in another unit (only the conversions the sources need). */
function convert(quantity: number, from: string, to: string): number | null {
  if (from === to || from === '') return quantity;
  if (from === '吨' && to === '公斤') return quantity * 1000;
  return null;
}

const NOTE_IN_PARENS = /[（(][^()（）]*(原文|原网页|同文|另处|近似|合计|以'|鞋以)[^()（）]*[)）]/g;
const NOTE_PART =
  /^(原文|原网页|储备方式|调往|现有库存|已送抵|各方累计|区间|存储量区间|小计|单价|乡自储|与商店|同文|另一报道|支持|抗旱装备|含|中央救灾)|按实际需求|合计|调运/;

/** The specification without notes about sources, quantities, prices or shipments. */
export function cleanSpec(raw: string): string | null {
  const parts = raw
    .replace(NOTE_IN_PARENS, '')
    .split(/[;；]/)
    .map((p) => p.trim())
    .filter((p) => p !== '' && !NOTE_PART.test(p));
  return parts.length > 0 ? parts.join(';') : null;
}

export function unitPriceFen(raw: string): number | null {
  const m = /单价\s*(\d+(?:\.\d+)?)\s*元/.exec(raw);
  return m ? Math.round(Number(m[1]) * 100) : null;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

interface Group {
  name: string;
  spec: string | null;
  category: string;
  rows: { unit: string; quantity: number | null; price: number | null; qingdao: boolean }[];
  order: number;
}

export function buildCatalogue(records: Record<string, string>[]): CatalogueItem[] {
  const groups = new Map<string, Group>();
  for (const [order, r] of records.entries()) {
    const name = (r['name'] ?? '').trim();
    if (!name) continue;
    const rawSpec = r['spec'] ?? '';
    const spec = cleanSpec(rawSpec);
    const key = `${name}\u0000${spec ?? ''}`;
    let group = groups.get(key);
    if (!group)
      groups.set(key, (group = { name, spec, category: (r['category'] ?? '').trim(), rows: [], order }));
    const quantity = r['quantity'] ? Number(r['quantity']) : null;
    group.rows.push({
      unit: (r['unit'] ?? '').trim(),
      quantity: quantity !== null && Number.isFinite(quantity) && quantity > 0 ? quantity : null,
      price: unitPriceFen(rawSpec),
      qingdao: (r['source'] ?? '').includes('青岛市应急管理局'),
    });
  }

  const items = [...groups.values()].map((g) => {
    const counts = new Map<string, number>();
    for (const row of g.rows) if (row.unit) counts.set(row.unit, (counts.get(row.unit) ?? 0) + 1);
    const mostCommon = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
    const unit = PREFERRED_UNIT[g.name] ?? mostCommon ?? defaultUnit(g.name);
    const quantities = g.rows
      .map((row) => (row.quantity === null ? null : convert(row.quantity, row.unit, unit)))
      .filter((q): q is number => q !== null);
    const shelf = SHELF_LIFE[g.name];
    const qingdao = g.rows.find((row) => row.qingdao && row.quantity !== null);
    return {
      group: g,
      item: {
        code: '',
        name: g.name,
        spec: g.spec,
        unit,
        topClass: CATEGORY_TOP_CLASS[g.category] ?? 1,
        category: g.category,
        shelfLifeMonths: shelf?.months ?? null,
        warningDays: shelf?.warningDays ?? 90,
        referencePriceFen: g.rows.find((row) => row.price !== null)?.price ?? null,
        refQuantity: Math.max(1, Math.round(quantities.length > 0 ? median(quantities) : 100)),
        qingdaoNeed: qingdao?.quantity ?? null,
        sourceRows: g.rows.length,
      } satisfies CatalogueItem,
    };
  });
  const rank = (category: string) => {
    const i = CATEGORY_ORDER.indexOf(category);
    return i < 0 ? CATEGORY_ORDER.length : i;
  };
  items.sort(
    (a, b) =>
      a.item.topClass - b.item.topClass ||
      rank(a.item.category) - rank(b.item.category) ||
      a.group.order - b.group.order,
  );
  return items.map(({ item }, i) => ({ ...item, code: `WZ${String(i + 1).padStart(4, '0')}` }));
}

let cached: CatalogueItem[] | null = null;

/** The catalogue from the project's copy of the CSV (read once). */
export function loadCatalogue(file?: string): CatalogueItem[] {
  if (file) return buildCatalogue(readCsvFile(file));
  cached ??= buildCatalogue(readCsvFile(findDataFile()));
  return cached;
}
