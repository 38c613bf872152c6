/** Imports from spreadsheets (报表 › 导入): a file uploaded once, then previewed and committed by its id. */
import { z } from 'zod';
import { id } from './common';

/** The largest file an import takes (checked before it travels, on arrival and by the guard). */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

export const IMPORT_KINDS = ['catalogue', 'opening-stock', 'receipts', 'relief-depot'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export const IMPORT_FIELDS = [
  'code',
  'gbCode',
  'name',
  'spec',
  'unit',
  'category',
  'quantity',
  'lotNo',
  'producedOn',
  'expiresOn',
  'unitPrice',
  'supplier',
  'depotCode',
  'depot',
  'location',
  'note',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

export const uploadId = z.string().regex(/^[0-9a-f]{32}$/);

export const importInput = z.strictObject({
  uploadId,
  kind: z.enum(IMPORT_KINDS),
  depotId: id.optional(),
  sheet: z.string().min(1).max(100).optional(),
  /** Field → column (0-based); given, it replaces the guess. */
  mapping: z.partialRecord(z.enum(IMPORT_FIELDS), z.number().int().min(0).max(200)).optional(),
  createMissing: z.boolean().default(false),
  /** Rows, as Excel numbers them, left out. */
  skipRows: z.array(z.number().int().min(1)).max(100_000).default([]),
});

const rowStatus = z.enum(['ok', 'create', 'exists', 'error', 'skipped']);

export const importPreviewDto = z.object({
  kind: z.enum(IMPORT_KINDS),
  fileName: z.string(),
  sha256: z.string(),
  sheets: z.array(z.string()),
  sheet: z.string(),
  headerRow: z.number().int(),
  headers: z.array(z.string()),
  mapping: z.partialRecord(z.enum(IMPORT_FIELDS), z.number().int()),
  mappingSource: z.enum(['guessed', 'remembered', 'given']),
  signature: z.string(),
  rows: z.array(
    z.object({
      row: z.number().int(),
      material: z
        .object({
          code: z.string().nullable(),
          name: z.string(),
          spec: z.string().nullable(),
          unit: z.string().nullable(),
        })
        .nullable(),
      materialId: z.number().int().nullable(),
      quantity: z.number().nullable(),
      lot: z.string().nullable(),
      producedOn: z.string().nullable(),
      expiresOn: z.string().nullable(),
      unitPriceFen: z.number().int().nullable(),
      supplier: z.string().nullable(),
      category: z.string().nullable(),
      gbCode: z.string().nullable(),
      depotId: z.number().int().nullable(),
      depot: z.string().nullable(),
      status: rowStatus,
      reason: z.string().nullable(),
      field: z.enum(IMPORT_FIELDS).nullable(),
    }),
  ),
  errors: z.array(
    z.object({ row: z.number().int(), field: z.enum(IMPORT_FIELDS).nullable(), reason: z.string() }),
  ),
  counts: z.object({
    ok: z.number(),
    create: z.number(),
    exists: z.number(),
    error: z.number(),
    skipped: z.number(),
  }),
});
export type ImportPreviewDto = z.infer<typeof importPreviewDto>;

export const importResultDto = z.object({
  preview: importPreviewDto,
  documents: z.array(z.string()),
  materials: z.array(z.string()),
});
