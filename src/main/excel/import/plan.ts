/**
 * What an import would write, row by row, from a sheet's cells and the column mapping: each
 * data row's material (matched by code first, then by name and specification; close names are
 * offered when nothing matches; with create-missing an unmatched item becomes a new catalogue
 * entry with the file's unit), quantity, lot, dates, price and depot, or the reason it cannot
 * be taken, named in the user's language with its row number as Excel shows it. Pure: the
 * catalogue and the depots are handed in, so the same plan is made for the preview and again
 * inside the commit's transaction.
 */
import { t, type Locale, type MessageKey } from '../../../shared/i18n';
import type { ImportKind } from '../../../shared/schemas/import';
import { gbCode } from '../../../shared/schemas/material';
import type { Cell } from './parse';
import { notData, numberingColumns, type Field, type Layout } from './layout';
import { cellText, foldWidth, looseText, parseDate, parseQuantity, parseYuan } from './values';

export { IMPORT_KINDS, type ImportKind } from '../../../shared/schemas/import';

/** The fields a kind cannot do without (besides a name or a code). */
export const NEEDS: Record<ImportKind, readonly Field[]> = {
  catalogue: ['unit'],
  'opening-stock': ['quantity'],
  receipts: ['quantity'],
  'relief-depot': ['quantity', 'lotNo'],
};

export interface CatalogueEntry {
  materialId: number;
  code: string;
  name: string;
  spec: string | null;
  unit: string;
  active: boolean;
}
export interface DepotEntry {
  depotId: number;
  code: string;
  name: string;
}

export type RowStatus = 'ok' | 'create' | 'exists' | 'error' | 'skipped';

/** A GB/T 38565 code as the catalogue takes it (shared/schemas/material.ts). */
export function validGbCode(code: string | null): boolean {
  return code !== null && gbCode.safeParse(code).success;
}

/** The top class a new catalogue entry gets: its GB/T 38565 code's, or 1 without one. */
export function newEntryClass(gbCode: string | null): 1 | 2 | 3 {
  return validGbCode(gbCode) ? (Number(gbCode![0]) as 1 | 2 | 3) : 1;
}

export interface PlannedRow {
  /** The row number as Excel shows it. */
  row: number;
  material: { code: string | null; name: string; spec: string | null; unit: string | null } | null;
  /** The catalogue entry it is (null: new, or not found). */
  materialId: number | null;
  quantity: number | null;
  lot: string | null;
  producedOn: string | null;
  expiresOn: string | null;
  unitPriceFen: number | null;
  supplier: string | null;
  category: string | null;
  gbCode: string | null;
  depotId: number | null;
  depot: string | null;
  status: RowStatus;
  /** Why it is refused (or what happens to it), in the user's language. */
  reason: string | null;
  /** The field the reason is about. */
  field: Field | null;
}

export interface PlanOptions {
  kind: ImportKind;
  lang: Locale;
  /** The depot the rows go to when the sheet names none. */
  depot: DepotEntry | null;
  createMissing: boolean;
  /** Rows (Excel numbers) the user left out. */
  skipRows: ReadonlySet<number>;
  /** The lot number given to rows without one (an opening balance's, a receipt's). */
  defaultLot: string;
}

/** Two-letter fragments shared, as a share of both (Dice): 0 nothing alike, 1 the same. */
function likeness(a: string, b: string): number {
  const grams = (s: string) => {
    const out = new Map<string, number>();
    for (let i = 0; i < s.length - 1; i += 1)
      out.set(s.slice(i, i + 2), (out.get(s.slice(i, i + 2)) ?? 0) + 1);
    return out;
  };
  if (a.length < 2 || b.length < 2) return a === b ? 1 : 0;
  const ga = grams(a);
  const gb = grams(b);
  let shared = 0;
  for (const [g, n] of ga) shared += Math.min(n, gb.get(g) ?? 0);
  return (2 * shared) / (a.length - 1 + (b.length - 1));
}

export class Catalogue {
  private byCode = new Map<string, CatalogueEntry>();
  private byNameSpec = new Map<string, CatalogueEntry[]>();
  private byName = new Map<string, CatalogueEntry[]>();
  constructor(readonly entries: CatalogueEntry[]) {
    for (const m of entries) {
      this.byCode.set(looseText(m.code), m);
      const key = `${looseText(m.name)}|${looseText(m.spec ?? '')}`;
      this.byNameSpec.set(key, [...(this.byNameSpec.get(key) ?? []), m]);
      this.byName.set(looseText(m.name), [...(this.byName.get(looseText(m.name)) ?? []), m]);
    }
  }
  code(code: string) {
    return this.byCode.get(looseText(code));
  }
  /** By name and specification; by name alone when the file gives no specification and the name is unique. */
  named(name: string, spec: string | null) {
    const exact = this.byNameSpec.get(`${looseText(name)}|${looseText(spec ?? '')}`);
    if (exact?.length === 1) return exact[0];
    if (!spec) {
      const same = this.byName.get(looseText(name));
      if (same?.length === 1) return same[0];
    }
    return undefined;
  }
  /** Up to three entries whose names are close to this one. */
  close(name: string): CatalogueEntry[] {
    const target = looseText(name);
    return this.entries
      .map((m) => ({ m, score: likeness(target, looseText(m.name)) }))
      .filter((x) => x.score >= 0.4)
      .sort((a, b) => b.score - a.score)
      .slice(0, 3)
      .map((x) => x.m);
  }
}

export function planRows(
  rows: Cell[][],
  layout: Layout,
  mapping: Partial<Record<Field, number>>,
  catalogue: Catalogue,
  depots: DepotEntry[],
  options: PlanOptions,
): PlannedRow[] {
  const say = (key: MessageKey, params: Record<string, string | number> = {}) => t(options.lang, key, params);
  const fieldName = (f: Field) => t(options.lang, `import.field.${f}`);
  const numbering = numberingColumns(layout.headers);
  const depotByCode = new Map(depots.map((d) => [looseText(d.code), d]));
  const depotByName = new Map(depots.map((d) => [looseText(d.name), d]));
  const quantityUnit = mapping.quantity === undefined ? null : (layout.headerUnits[mapping.quantity] ?? null);
  const seenCodes = new Map<string, number>();
  const stock = options.kind !== 'catalogue';
  const planned: PlannedRow[] = [];
  for (let r = layout.headerRow; r < rows.length; r += 1) {
    const cells = rows[r] ?? [];
    if (notData(cells, numbering)) continue;
    const cell = (f: Field): Cell | undefined => (mapping[f] === undefined ? undefined : cells[mapping[f]!]);
    const text = (f: Field) => foldWidth(cellText(cell(f))) || null;
    const row: PlannedRow = {
      row: r + 1,
      material: null,
      materialId: null,
      quantity: null,
      lot: null,
      producedOn: null,
      expiresOn: null,
      unitPriceFen: null,
      supplier: text('supplier'),
      category: text('category'),
      gbCode: text('gbCode'),
      depotId: null,
      depot: null,
      status: 'ok',
      reason: null,
      field: null,
    };
    planned.push(row);
    const refuse = (field: Field | null, key: MessageKey, params: Record<string, string | number> = {}) => {
      if (row.status === 'error') return;
      row.status = 'error';
      row.reason = say(key, params);
      row.field = field;
    };
    const code = text('code');
    const name = text('name');
    const spec = text('spec');
    let unit = text('unit');

    if (stock) {
      const raw = cell('quantity');
      const quantity = parseQuantity(raw);
      if (!quantity || !Number.isInteger(quantity.value) || quantity.value <= 0)
        refuse('quantity', 'import.row.quantity', { value: cellText(raw) });
      else row.quantity = quantity.value;
      unit ??= quantity?.unit ?? quantityUnit;
      for (const f of ['producedOn', 'expiresOn'] as const) {
        const given = cellText(cell(f));
        if (!given) continue;
        const date = parseDate(cell(f));
        if (date === undefined) refuse(f, 'import.row.date', { field: fieldName(f), value: given });
        else row[f] = date;
      }
      if (row.producedOn && row.expiresOn && row.expiresOn < row.producedOn)
        refuse('expiresOn', 'import.row.expiresBeforeProduced', {
          expiresOn: row.expiresOn,
          producedOn: row.producedOn,
        });
      const price = cellText(cell('unitPrice'));
      if (price) {
        const fen = parseYuan(cell('unitPrice'));
        if (fen === undefined) refuse('unitPrice', 'import.row.price', { value: price });
        else row.unitPriceFen = fen;
      }
      row.lot = text('lotNo') ?? options.defaultLot;
      if (row.lot.length > 50) refuse('lotNo', 'import.row.tooLong', { field: fieldName('lotNo'), max: 50 });
      const depotCode = text('depotCode');
      const depotName = text('depot');
      const depot = depotCode
        ? depotByCode.get(looseText(depotCode))
        : depotName
          ? (depotByName.get(looseText(depotName)) ?? depotByCode.get(looseText(depotName)))
          : (options.depot ?? undefined);
      if (depot) {
        row.depotId = depot.depotId;
        row.depot = depot.name;
      } else if (depotCode || depotName)
        refuse(depotCode ? 'depotCode' : 'depot', 'import.row.unknownDepot', {
          depot: depotCode ?? depotName!,
        });
      else refuse(null, 'import.noDepot');
    }

    if (!name && !code) {
      refuse(mapping.name === undefined ? 'code' : 'name', 'import.row.noMaterial');
      continue;
    }
    const found =
      (code ? catalogue.code(code) : undefined) ?? (name ? catalogue.named(name, spec) : undefined);
    row.material = {
      code: found?.code ?? code,
      name: found?.name ?? name ?? '',
      spec: found?.spec ?? spec,
      unit: found?.unit ?? unit,
    };
    if (found) {
      row.materialId = found.materialId;
      if (unit && looseText(unit) !== looseText(found.unit))
        refuse('unit', 'import.row.unitMismatch', { unit, expected: found.unit });
      if (!found.active && stock) refuse('name', 'import.row.inactive', { name: found.name });
      if (!stock && row.status !== 'error') row.status = 'exists';
      continue;
    }
    if (!stock && code) {
      const first = seenCodes.get(looseText(code));
      if (first !== undefined) refuse('code', 'import.row.duplicate', { code, first });
      else seenCodes.set(looseText(code), row.row);
    }
    if (stock && !options.createMissing) {
      const close = name ? catalogue.close(name) : [];
      const shown = name ?? code!;
      if (close.length > 0)
        refuse('name', 'import.row.unknownMaterialClose', {
          name: shown,
          close: close.map((m) => `${m.code} ${m.name}${m.spec ? `（${m.spec}）` : ''}`).join('、'),
        });
      else refuse(code && !name ? 'code' : 'name', 'import.row.unknownMaterial', { name: shown });
      continue;
    }
    if (!name) refuse('name', 'import.row.noMaterial');
    if (!unit) refuse('unit', 'import.row.noUnit');
    if (row.status === 'error') continue;
    if (stock) row.status = 'create';
    // Where the new entry goes in GB/T 38565: said before anything is written.
    const topClass = say(`topClass.${newEntryClass(row.gbCode)}` as const);
    row.reason = validGbCode(row.gbCode)
      ? say('import.row.newEntry', { class: topClass, gbCode: row.gbCode! })
      : say('import.row.newEntryNoCode', { class: topClass });
  }
  for (const r of planned) if (options.skipRows.has(r.row)) r.status = 'skipped';
  return planned;
}
