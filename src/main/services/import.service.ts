/**
 * Importing a spreadsheet: preview what it would write, then commit all of it or nothing.
 * The file is checked and parsed off the main thread (excel/import/parse.ts), its table found
 * (layout.ts), its columns mapped (the guess, the user's own mapping, or the one remembered for
 * this layout), and every row planned against the catalogue and depots (plan.ts). The commit
 * plans again inside its transaction, refuses if any row still has a reason, creates the new
 * catalogue entries, posts one receipt per depot (source: opening balance for opening stock and
 * another copy's inventory, procurement for a receipt list), remembers the mapping, and records
 * the file's name and SHA-256 in the audit log. The same file is never posted twice.
 */
import { createHash } from 'node:crypto';
import { localDate, localMinute } from '../../shared/dates';
import { t, type Locale, type MessageKey } from '../../shared/i18n';
import { AppError } from '../../shared/rpc';
import type { DbOrTrx, Trx } from '../db/database';
import { FIELDS, findLayout, HEADER_SEARCH, type Field, type Layout } from '../excel/import/layout';
import { readGrid, type Grid } from '../excel/import/parse';
import {
  Catalogue,
  NEEDS,
  newEntryClass,
  planRows,
  type ImportKind,
  type PlannedRow,
  type RowStatus,
  validGbCode,
} from '../excel/import/plan';
import type { Actor, ServiceContext } from './context';
import { namedDepot } from './guards';
import { insertMaterial } from './material.service';
import { postReceipt } from './stock.service';
import { write } from './write';

export interface ImportRequest {
  kind: ImportKind;
  fileName: string;
  bytes: Buffer;
  lang: Locale;
  /** The depot rows go to when the sheet names none: by id (the screens) or code (the CLI). */
  depotId?: number | undefined;
  depotCode?: string | undefined;
  sheet?: string | undefined;
  /** The user's mapping: field → column (0-based); a field left out is not read. */
  mapping?: Partial<Record<Field, number>> | undefined;
  createMissing?: boolean | undefined;
  /** Rows (as Excel numbers them) the user deselected. */
  skipRows?: number[] | undefined;
}

export interface ImportPreview {
  kind: ImportKind;
  fileName: string;
  sha256: string;
  sheets: string[];
  sheet: string;
  headerRow: number;
  headers: string[];
  mapping: Partial<Record<Field, number>>;
  /** Where the mapping came from: guessed from the header, remembered for this layout, or given. */
  mappingSource: 'guessed' | 'remembered' | 'given';
  signature: string;
  rows: PlannedRow[];
  errors: { row: number; field: Field | null; reason: string }[];
  counts: Record<RowStatus, number>;
}

const SOURCE: Record<Exclude<ImportKind, 'catalogue'>, 'opening' | 'procurement'> = {
  'opening-stock': 'opening',
  receipts: 'procurement',
  'relief-depot': 'opening',
};
/** Another copy's inventory: its lots sheet, told apart by its About sheet. */
const OUR_LOTS = ['批次明细', 'Lots'];
const OUR_ABOUT = ['说明', 'About'];

const mappingKey = (kind: ImportKind, signature: string) => `import.mapping.${kind}.${signature}`;

function refuse(key: MessageKey, params: Record<string, string | number> = {}, path = 'file'): AppError {
  return new AppError('BAD_INPUT', key, params, [{ path, key, params }]);
}

async function readSheet(request: ImportRequest): Promise<Grid> {
  const grid = await readGrid(request.bytes, {
    sheet: request.sheet ?? (request.kind === 'relief-depot' ? OUR_LOTS : undefined),
  });
  if (request.kind === 'relief-depot' && !grid.sheets.some((s) => OUR_ABOUT.includes(s)))
    throw refuse('import.notOurExport');
  return grid;
}

async function chooseMapping(
  db: DbOrTrx,
  request: ImportRequest,
  layout: Layout,
): Promise<{ mapping: Partial<Record<Field, number>>; source: ImportPreview['mappingSource'] }> {
  let mapping = layout.mapping;
  let source: ImportPreview['mappingSource'] = 'guessed';
  if (request.mapping) {
    mapping = request.mapping;
    source = 'given';
  } else {
    const stored = await db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', mappingKey(request.kind, layout.signature))
      .executeTakeFirst();
    if (stored) {
      mapping = JSON.parse(stored.value) as Partial<Record<Field, number>>;
      source = 'remembered';
    }
  }
  for (const [field, column] of Object.entries(mapping) as [Field, number][])
    if (!FIELDS.includes(field) || !Number.isInteger(column) || column < 0 || column >= layout.headers.length)
      throw refuse(
        'import.badColumn',
        {
          field: t(request.lang, `import.field.${field}`),
          column: column + 1,
          columns: layout.headers.length,
        },
        'mapping',
      );
  const missing = [...NEEDS[request.kind], ...(mapping.name === undefined ? (['code'] as const) : [])].find(
    (f) => mapping[f] === undefined,
  );
  if (missing)
    throw refuse('import.missingColumn', { field: t(request.lang, `import.field.${missing}`) }, 'mapping');
  return { mapping, source };
}

async function plan(db: DbOrTrx, request: ImportRequest, grid: Grid, today: string): Promise<ImportPreview> {
  const layout = findLayout(grid.rows, NEEDS[request.kind]);
  if (!layout)
    throw refuse('import.noHeader', {
      rows: HEADER_SEARCH,
      needs: NEEDS[request.kind].map((f) => t(request.lang, `import.field.${f}`)).join('、'),
    });
  const { mapping, source } = await chooseMapping(db, request, layout);
  const depot = await namedDepot(db, request);
  const stock = request.kind !== 'catalogue';
  if (stock && !depot && mapping.depot === undefined && mapping.depotCode === undefined)
    throw refuse('import.noDepot', {}, 'depot');
  const [materials, depots] = await Promise.all([
    db.selectFrom('materials').select(['materialId', 'code', 'name', 'spec', 'unit', 'active']).execute(),
    db.selectFrom('depots').select(['depotId', 'code', 'name']).execute(),
  ]);
  const rows = planRows(
    grid.rows,
    layout,
    mapping,
    new Catalogue(materials.map((m) => ({ ...m, active: m.active === 1 }))),
    depots,
    {
      kind: request.kind,
      lang: request.lang,
      depot,
      createMissing: request.createMissing ?? false,
      skipRows: new Set(request.skipRows ?? []),
      defaultLot: `${request.kind === 'receipts' ? 'RK' : 'QC'}-${today.replaceAll('-', '')}`,
    },
  );
  const counts = { ok: 0, create: 0, exists: 0, error: 0, skipped: 0 };
  for (const r of rows) counts[r.status] += 1;
  return {
    kind: request.kind,
    fileName: request.fileName,
    sha256: fileDigest(request.bytes),
    sheets: grid.sheets,
    sheet: grid.sheet,
    headerRow: layout.headerRow,
    headers: layout.headers,
    mapping,
    mappingSource: source,
    signature: layout.signature,
    rows,
    errors: rows
      .filter((r) => r.status === 'error')
      .map((r) => ({ row: r.row, field: r.field, reason: r.reason! })),
    counts,
  };
}

export async function previewImport(ctx: ServiceContext, request: ImportRequest): Promise<ImportPreview> {
  const grid = await readSheet(request);
  return plan(ctx.db, request, grid, localDate(ctx.clock.now()));
}

export interface ImportResult {
  preview: ImportPreview;
  /** The receipts posted (one per depot) and the catalogue entries created, by code. */
  documents: string[];
  materials: string[];
}

/** A refusal of a receipt line (`lines.3.expiresOn`), told as the file's row it came from. */
function atRow(error: unknown, rows: PlannedRow[], lang: Locale): unknown {
  if (!(error instanceof AppError)) return error;
  const issue = error.fields.find((i) => /^lines\.\d+/.test(i.path));
  if (!issue) return error;
  const row = rows[Number(issue.path.split('.')[1])]!.row;
  const reason = t(lang, issue.key, issue.params ?? {});
  return new AppError(error.code, 'import.rowFailed', { row, reason }, [
    { path: `rows.${row}`, key: 'import.rowFailed', params: { row, reason } },
  ]);
}

/** A code for a new entry: the file's, when it is free; otherwise IMP + date + a number. */
async function freeCode(trx: Trx, wanted: string | null, today: string, taken: Set<string>): Promise<string> {
  const free = async (code: string) =>
    !taken.has(code) &&
    !(await trx.selectFrom('materials').select('materialId').where('code', '=', code).executeTakeFirst());
  if (wanted && wanted.length <= 30 && (await free(wanted))) return wanted;
  for (let n = 1; ; n += 1) {
    const code = `IMP${today.replaceAll('-', '')}-${String(n).padStart(3, '0')}`;
    if (await free(code)) return code;
  }
}

/** The file's SHA-256, hex: what the audit records, and how a second import of it is known. */
function fileDigest(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function commitImport(
  ctx: ServiceContext,
  actor: Actor,
  request: ImportRequest,
): Promise<ImportResult> {
  const grid = await readSheet(request);
  return write(ctx, actor, 'import.commit', async (trx, at) => {
    // Two commits of one file at once (two server processes): the second waits here, then sees the first.
    await ctx.dialect.lockKey(trx, `import:${fileDigest(request.bytes)}`);
    const today = localDate(at.instant);
    const preview = await plan(trx, request, grid, today);
    const before = await trx
      .selectFrom('auditLog')
      .select(['at', 'afterJson'])
      .where('action', '=', 'import.commit')
      .where('entityId', '=', preview.sha256)
      .executeTakeFirst();
    if (before) {
      const docs = (JSON.parse(before.afterJson ?? '{}') as { documents?: string[] }).documents ?? [];
      throw new AppError('CONFLICT', 'import.already', {
        at: localMinute(new Date(before.at)),
        docs: docs.join('、') || '—',
      });
    }
    if (preview.counts.error > 0)
      throw new AppError(
        'BAD_INPUT',
        'import.refused',
        { count: preview.counts.error },
        // Each row with its reason, so a caller can list them without reading the file again.
        preview.errors.map((e) => ({
          path: `rows.${e.row}`,
          key: 'import.rowFailed',
          params: { row: e.row, reason: e.reason },
        })),
      );
    const taking = preview.rows.filter((r) => r.status === 'ok' || r.status === 'create');
    if (taking.length === 0) throw refuse('import.nothing');

    // New catalogue entries: the catalogue's own rows, and the unmatched items of a stock file (once each).
    const created = new Map<string, number>();
    const codes: string[] = [];
    const taken = new Set<string>();
    for (const r of taking) {
      if (request.kind !== 'catalogue' && r.status !== 'create') continue;
      const m = r.material!;
      const key = `${m.name}|${m.spec ?? ''}|${m.unit}`;
      if (created.has(key)) continue;
      const gbCode = validGbCode(r.gbCode) ? r.gbCode : null;
      const code = await freeCode(trx, m.code, today, taken);
      taken.add(code);
      const row = await insertMaterial(
        trx,
        {
          code,
          name: m.name.slice(0, 100),
          spec: m.spec?.slice(0, 300) ?? null,
          unit: m.unit!.slice(0, 10),
          topClass: newEntryClass(gbCode),
          gbCode,
          category: r.category?.slice(0, 30) ?? null,
          warningDays: 90,
        },
        at.iso,
      );
      created.set(key, row.materialId);
      codes.push(code);
    }

    const documents: string[] = [];
    if (request.kind !== 'catalogue') {
      const byDepot = new Map<number, PlannedRow[]>();
      for (const r of taking) byDepot.set(r.depotId!, [...(byDepot.get(r.depotId!) ?? []), r]);
      for (const [depotId, rows] of byDepot) {
        const { docNo } = await postReceipt(
          trx,
          actor,
          {
            depotId,
            source: SOURCE[request.kind],
            note: t(request.lang, 'import.note', { file: request.fileName }).slice(0, 500),
            lines: rows.map((r) => ({
              materialId:
                r.materialId ??
                created.get(`${r.material!.name}|${r.material!.spec ?? ''}|${r.material!.unit}`)!,
              quantity: r.quantity!,
              lotNo: r.lot!,
              producedOn: r.producedOn,
              expiresOn: r.expiresOn,
              unitPriceFen: r.unitPriceFen,
              supplier: r.supplier?.slice(0, 100) ?? undefined,
            })),
          },
          at,
        ).catch((error: unknown) => {
          throw atRow(error, rows, request.lang);
        });
        documents.push(docNo);
      }
    }
    const value = JSON.stringify(preview.mapping);
    await trx
      .insertInto('settings')
      .values({ key: mappingKey(request.kind, preview.signature), value, updatedAt: at.iso })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updatedAt: at.iso }))
      .execute();
    return {
      result: { preview, documents, materials: codes },
      audit: {
        entityType: 'import',
        entityId: preview.sha256,
        after: {
          kind: request.kind,
          fileName: request.fileName,
          sha256: preview.sha256,
          sheet: preview.sheet,
          rows: taking.length,
          skipped: preview.counts.skipped,
          documents,
          materials: codes,
        },
      },
    };
  });
}
