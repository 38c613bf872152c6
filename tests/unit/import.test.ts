/**
 * Import: each messy-file feature with its own small workbook made here in code (SheetJS), the
 * preview's rows and reasons, the all-or-nothing commit (receipts, catalogue entries, audit with
 * the file's SHA-256, the mapping remembered), the round trip through another copy's inventory
 * export, and the hostile files refused before any parser runs, with nothing written.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import * as XLSX from 'xlsx';
import { exportReport } from '../../src/main/excel/export';
import { readGrid } from '../../src/main/excel/import/parse';
import { commitImport, previewImport, type ImportRequest } from '../../src/main/services/import.service';
import { resolveSession } from '../../src/main/services/auth.service';
import { write } from '../../src/main/services/write';
import { createTestEnv, createWorld, levelOf, snapshot, type TestEnv } from './harness';

let env: TestEnv;
let w: Awaited<ReturnType<typeof createWorld>>;

beforeEach(async () => {
  env = await createTestEnv();
  w = await createWorld(env);
});
afterEach(() => env.close());

type Rows = (string | number | null | { f: string; v: number })[][];

/** A workbook of one sheet, as bytes; `merges` as SheetJS ranges ("B3:D3"). */
function workbook(
  rows: Rows,
  options: { merges?: string[]; type?: 'xlsx' | 'xls' | 'ods' | 'csv'; sheet?: string } = {},
) {
  const ws = XLSX.utils.aoa_to_sheet(
    rows.map((r) => r.map((c) => (c !== null && typeof c === 'object' ? null : c))),
  );
  rows.forEach((r, ri) =>
    r.forEach((c, ci) => {
      if (c !== null && typeof c === 'object')
        ws[XLSX.utils.encode_cell({ r: ri, c: ci })] = { t: 'n', f: c.f, v: c.v };
    }),
  );
  if (options.merges) ws['!merges'] = options.merges.map((m) => XLSX.utils.decode_range(m));
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, options.sheet ?? '库存');
  return Buffer.from(XLSX.write(wb, { type: 'buffer', bookType: options.type ?? 'xlsx' }) as Buffer);
}

const request = (bytes: Buffer, options: Partial<ImportRequest> = {}): ImportRequest => ({
  kind: 'opening-stock',
  fileName: '期初库存.xlsx',
  bytes,
  lang: 'zh-CN',
  depotCode: 'QD-SN',
  ...options,
});

/** A keeper of 市南区储备库: opening stock is theirs to post. */
const keeperActor = async () =>
  resolveSession(env.app.svc, (await env.user('keeper', [w.shinan.depotId])).token);

const MESSY: Rows = [
  ['市南区应急物资储备库 期初库存表'],
  ['填报单位：市南区应急管理局', null, null, null, null, '填报日期：2026年11月30日'],
  ['序号', '物资信息', null, null, '库存信息', null, null, null],
  [null, '货物名称', '规格型号', '计量单位', '实有数量', '存放位置', '生产日期', '有效期至'],
  [1, '救灾专用单帐篷', '12平方米', '顶', ' 2,000 ', 'A区', '2026.01.05', '2031/11/30'],
  [2, '棉被', '2m*1.8m', null, '0.3万', 'B区', '2026年3月1日', 20310301],
  [],
  [3, '救生衣', null, '件', '３００件', 'C区', null, null],
  [4, '救生衣', null, null, { f: '100+20', v: 120 }, 'C区', null, null],
  ['小计', null, null, null, 2420],
  ['注：数量为实有数量'],
  ['填表人：张三　　审核人：李四'],
];
const MESSY_MERGES = ['A1:H1', 'B3:D3', 'E3:H3', 'A3:A4'];

test('a messy ledger: title and 填报单位 rows, two-level merged header, 序号, synonyms, 万, separators, full-width digits, date spellings, formulas, totals and footers', async () => {
  const preview = await previewImport(env.app.svc, request(workbook(MESSY, { merges: MESSY_MERGES })));
  expect(preview.headerRow).toBe(4);
  expect(preview.headers.slice(1, 5)).toEqual([
    '物资信息›货物名称',
    '物资信息›规格型号',
    '物资信息›计量单位',
    '库存信息›实有数量',
  ]);
  expect(preview.mapping).toMatchObject({
    name: 1,
    spec: 2,
    unit: 3,
    quantity: 4,
    location: 5,
    producedOn: 6,
    expiresOn: 7,
  });
  expect(preview.errors).toEqual([]);
  expect(
    preview.rows.map((r) => [r.row, r.material?.code, r.quantity, r.producedOn, r.expiresOn, r.status]),
  ).toEqual([
    [5, 'M0001', 2000, '2026-01-05', '2031-11-30', 'ok'],
    [6, 'M0002', 3000, '2026-03-01', '2031-03-01', 'ok'],
    [8, 'M0003', 300, null, null, 'ok'],
    [9, 'M0003', 120, null, null, 'ok'],
  ]);
  // Nothing is written by a preview.
  expect(await levelOf(env, w.shinan.depotId, w.tent.materialId)).toMatchObject({ onHand: 0 });
});

test('the commit posts one opening-balance receipt per depot, audits the file by SHA-256, remembers the mapping, and never posts the same file twice', async () => {
  const bytes = workbook(MESSY, { merges: MESSY_MERGES });
  const actor = await keeperActor();
  const done = await commitImport(env.app.svc, actor, request(bytes));
  expect(done.documents).toHaveLength(1);
  expect(await levelOf(env, w.shinan.depotId, w.tent.materialId)).toMatchObject({ onHand: 2000 });
  expect(await levelOf(env, w.shinan.depotId, w.jacket.materialId)).toMatchObject({ onHand: 420 });
  const lots = await env.app.db
    .selectFrom('batches')
    .selectAll()
    .where('depotId', '=', w.shinan.depotId)
    .execute();
  expect(lots.every((b) => b.source === 'opening' && b.lotNo === 'QC-20261130')).toBe(true);
  const audit = await env.app.db
    .selectFrom('auditLog')
    .selectAll()
    .where('action', '=', 'import.commit')
    .executeTakeFirstOrThrow();
  const sha = createHash('sha256').update(bytes).digest('hex');
  expect(audit.entityId).toBe(sha);
  expect(JSON.parse(audit.afterJson!)).toMatchObject({
    fileName: '期初库存.xlsx',
    sha256: sha,
    rows: 4,
    documents: done.documents,
  });

  const again = await snapshot(env);
  await expect(commitImport(env.app.svc, actor, request(bytes))).rejects.toMatchObject({
    code: 'CONFLICT',
    key: 'import.already',
  });
  expect(await snapshot(env)).toEqual(again);
  // Behind that check, the database itself holds one commit record per file.
  const twice = write(env.app.svc, actor, 'import.commit', async () => ({
    result: null,
    audit: { entityType: 'import', entityId: sha, after: {} },
  }));
  await expect(twice).rejects.toMatchObject({ code: 'CONFLICT', key: 'error.duplicate' });
  expect(await snapshot(env)).toEqual(again);

  // The same layout next time: the confirmed mapping is used again.
  const next = await previewImport(
    env.app.svc,
    request(workbook([...MESSY.slice(0, 5)], { merges: MESSY_MERGES })),
  );
  expect(next.mappingSource).toBe('remembered');
});

test('bad rows are named with their row and reason; the commit writes nothing until they are fixed or deselected', async () => {
  const bytes = workbook([
    ['物资编码', '物资名称', '单位', '数量', '有效期至', '储备库'],
    ['M0001', '救灾专用单帐篷', '顶', 100, '2031-01-01', null],
    ['M0002', '棉被', '床', -5, null, null],
    ['M0003', '救生衣', '件', '若干', null, null],
    ['M0001', '救灾专用单帐篷', '顶', 10, '2026-02-30', null],
    ['M0001', '救灾专用单帐篷', '顶', 10, null, 'QD-XX'],
    ['M0003', '救生衣', '米', 10, null, null],
    [null, '救灾专用帐蓬', '顶', 10, null, null],
    [null, '冲锋舟', '艘', 2, null, null],
  ]);
  const preview = await previewImport(env.app.svc, request(bytes));
  expect(preview.errors).toEqual([
    { row: 3, field: 'quantity', reason: '数量「-5」不是有效的正整数' },
    { row: 4, field: 'quantity', reason: '数量「若干」不是有效的正整数' },
    { row: 5, field: 'expiresOn', reason: '有效期至「2026-02-30」不是有效日期（应如 2026-11-30）' },
    { row: 6, field: 'depot', reason: '储备库「QD-XX」不存在' },
    { row: 7, field: 'unit', reason: '单位「米」与目录中的「件」不一致' },
    {
      row: 8,
      field: 'name',
      reason: expect.stringMatching(/^目录中没有物资「救灾专用帐蓬」；相近的有：M0001 救灾专用单帐篷/),
    },
    { row: 9, field: 'name', reason: '目录中没有物资「冲锋舟」' },
  ]);
  const actor = await keeperActor();
  const before = await snapshot(env);
  await expect(commitImport(env.app.svc, actor, request(bytes))).rejects.toMatchObject({
    code: 'BAD_INPUT',
    key: 'import.refused',
    params: { count: 7 },
  });
  expect(await snapshot(env)).toEqual(before);

  // Deselecting the bad rows, with the unknown 冲锋舟 created from the file: the rest goes in.
  const done = await commitImport(
    env.app.svc,
    actor,
    request(bytes, { skipRows: [3, 4, 5, 6, 7, 8], createMissing: true }),
  );
  expect(done.materials).toEqual(['IMP20261130-001']);
  const boat = await env.app.db
    .selectFrom('materials')
    .selectAll()
    .where('code', '=', 'IMP20261130-001')
    .executeTakeFirstOrThrow();
  expect(boat).toMatchObject({ name: '冲锋舟', unit: '艘', topClass: 1 });
  expect(await levelOf(env, w.shinan.depotId, boat.materialId)).toMatchObject({ onHand: 2 });
  expect(await levelOf(env, w.shinan.depotId, w.tent.materialId)).toMatchObject({ onHand: 100 });
});

test('units in the header or the cell, quantities in 万, xls, ods and GB18030 csv all read the same', async () => {
  const rows: Rows = [
    ['品名', '数量（顶）'],
    ['救灾专用单帐篷', '1.2万'],
  ];
  for (const type of ['xlsx', 'xls', 'ods'] as const) {
    const preview = await previewImport(env.app.svc, request(workbook(rows, { type })));
    expect([type, preview.rows[0]]).toMatchObject([
      type,
      { quantity: 12000, material: { code: 'M0001', unit: '顶' }, status: 'ok' },
    ]);
  }
  const wrongUnit = await previewImport(
    env.app.svc,
    request(
      workbook([
        ['品名', '数量（床）'],
        ['救灾专用单帐篷', 5],
      ]),
    ),
  );
  expect(wrongUnit.errors[0]).toMatchObject({ row: 2, field: 'unit' });
  // 品名,数量 / 棉被,"3,000床" in GB18030 (what Excel on a Chinese Windows saves as CSV).
  const csv = Buffer.from('c6b7c3fb2cCAFDC1BF0d0ac3dEB1BB2c22332c303030b4b222', 'hex');
  const fromCsv = await previewImport(env.app.svc, request(csv, { fileName: '库存.csv' }));
  expect(fromCsv.rows.map((r) => [r.material?.code, r.quantity, r.status])).toEqual([['M0002', 3000, 'ok']]);
});

test('a catalogue: new entries created with the file’s unit, existing codes left as they are, a code twice refused', async () => {
  const bytes = workbook([
    ['物资目录'],
    ['编码', '名称', '规格', '单位', '类别', '国标编码'],
    ['M0001', '救灾专用单帐篷', '12㎡', '顶', null, null],
    ['P-001', '排水泵', '300m³/h', '台', '排涝', '2010101'],
    ['P-002', '发电机', '50kW', '台', '电力', null],
  ]);
  const preview = await previewImport(
    env.app.svc,
    request(bytes, { kind: 'catalogue', depotCode: undefined }),
  );
  expect(preview.rows.map((r) => [r.row, r.status, r.reason])).toEqual([
    [3, 'exists', null],
    [4, 'ok', '新建物资，按国标编码 2010101 归入「应急装备及配套物资」'],
    [5, 'ok', '新建物资，暂归入「基本生活保障物资」（无国标编码，可在物资目录中修改）'],
  ]);
  const admin = await resolveSession(env.app.svc, w.admin.token);
  const done = await commitImport(
    env.app.svc,
    admin,
    request(bytes, { kind: 'catalogue', depotCode: undefined }),
  );
  expect(done.materials).toEqual(['P-001', 'P-002']);
  expect(
    await env.app.db
      .selectFrom('materials')
      .select(['code', 'unit', 'topClass', 'gbCode', 'category'])
      .where('code', 'like', 'P-%')
      .orderBy('code')
      .execute(),
  ).toEqual([
    { code: 'P-001', unit: '台', topClass: 2, gbCode: '2010101', category: '排涝' },
    { code: 'P-002', unit: '台', topClass: 1, gbCode: null, category: '电力' },
  ]);
  const twice = await previewImport(
    env.app.svc,
    request(
      workbook([
        ['编码', '名称', '单位'],
        ['X-1', '水桶', '个'],
        ['X-1', '水盆', '个'],
      ]),
      { kind: 'catalogue' },
    ),
  );
  expect(twice.errors).toEqual([{ row: 3, field: 'code', reason: '编码「X-1」在第 2 行已出现过' }]);
});

test('round trip: another copy’s inventory export imports to the same figures', async () => {
  await env.call(w.admin.token, 'stock.receive', {
    depotId: w.city.depotId,
    source: 'procurement',
    lines: [
      {
        materialId: w.tent.materialId,
        quantity: 1200,
        lotNo: 'T-1',
        producedOn: '2026-01-05',
        unitPriceFen: 132000,
      },
      {
        materialId: w.quilt.materialId,
        quantity: 300,
        lotNo: 'Q-1',
        supplier: '供应商甲',
        expiresOn: '2031-03-01',
      },
    ],
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'relief-depot-roundtrip-'));
  try {
    const file = path.join(dir, 'inventory.xlsx');
    await exportReport(env.app.svc, { report: 'inventory', file, lang: 'zh-CN', exportedBy: '甲' });
    const other = await createTestEnv();
    try {
      await createWorld(other);
      const admin = await other.app.db
        .selectFrom('users')
        .select(['userId', 'username', 'displayName', 'role'])
        .where('role', '=', 'admin')
        .executeTakeFirstOrThrow();
      const done = await commitImport(
        other.app.svc,
        { ...admin, depotIds: [] },
        {
          kind: 'relief-depot',
          fileName: 'inventory.xlsx',
          bytes: readFileSync(file),
          lang: 'zh-CN',
        },
      );
      expect(done.documents).toHaveLength(1);
      const lotsOf = (e: TestEnv) =>
        e.app.db
          .selectFrom('batches as b')
          .innerJoin('batchBalances as bb', 'bb.batchId', 'b.batchId')
          .innerJoin('materials as m', 'm.materialId', 'b.materialId')
          .innerJoin('depots as d', 'd.depotId', 'b.depotId')
          .select([
            'd.code as depot',
            'm.code',
            'b.lotNo',
            'b.producedOn',
            'b.expiresOn',
            'b.unitPriceFen',
            'b.supplier',
            'bb.onHand',
          ])
          .where('bb.onHand', '>', 0)
          .orderBy('b.lotNo')
          .execute();
      expect(await lotsOf(other)).toEqual(await lotsOf(env));
    } finally {
      await other.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A zip of these entries (stored or deflated), with sizes as declared. */
function zip(entries: { name: string; data: Buffer; declared?: number; deflate?: boolean }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const body = e.deflate ? deflateRawSync(e.data) : e.data;
    const name = Buffer.from(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(e.deflate ? 8 : 0, 8);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(e.declared ?? e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(e.deflate ? 8 : 0, 10);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(e.declared ?? e.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

test('hostile and wrong files are refused with the reason, before any parser runs, and nothing is written', async () => {
  const zeros = Buffer.alloc(50 * 1024 * 1024);
  const cfb = (stream: string) =>
    Buffer.concat([
      Buffer.from('d0cf11e0a1b11ae1', 'hex'),
      Buffer.alloc(504),
      Buffer.from(stream, 'utf16le'),
    ]);
  const cases: [string, Buffer, string][] = [
    ['empty', Buffer.alloc(0), 'import.empty'],
    ['pdf', Buffer.from('%PDF-1.7\n%âãÏÓ\n'), 'import.notSpreadsheet'],
    [
      'docx',
      zip([{ name: 'word/document.xml', data: Buffer.from('<w:document/>') }]),
      'import.notSpreadsheet',
    ],
    // 50 MB of zeros deflated to about 50 KB: the ratio gives it away.
    ['bomb', zip([{ name: 'xl/workbook.xml', data: zeros, deflate: true }]), 'import.zipBomb'],
    // It declares 1 KB and inflates to 50 MB: inflating stops at what it declared.
    [
      'liar',
      zip([{ name: 'xl/workbook.xml', data: zeros, declared: 1024, deflate: true }]),
      'import.zipBomb',
    ],
    [
      'many',
      zip(Array.from({ length: 2_001 }, (_, i) => ({ name: `x/${i}`, data: Buffer.from('x') }))),
      'import.zipBomb',
    ],
    ['password', cfb('EncryptedPackage'), 'import.encrypted'],
    ['broken', Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(100)]), 'import.brokenZip'],
    ['binary', Buffer.from([0x00, 0x01, 0x02, 0x03, 0xff, 0xfe]), 'import.notSpreadsheet'],
  ];
  const actor = await keeperActor();
  const before = await snapshot(env);
  for (const [name, bytes, key] of cases) {
    const start = Date.now();
    await expect([
      name,
      await commitImport(env.app.svc, actor, request(bytes)).catch((e: unknown) => e),
    ]).toEqual([name, expect.objectContaining({ key })]);
    expect([name, Date.now() - start < 1000]).toEqual([name, true]);
  }
  // A sheet with no header the import knows, and a real header past the caps.
  await expect(
    previewImport(
      env.app.svc,
      request(
        workbook([
          ['甲', '乙'],
          [1, 2],
        ]),
      ),
    ),
  ).rejects.toMatchObject({ key: 'import.noHeader' });
  expect(await snapshot(env)).toEqual(before);
});

test('formula-looking text is read as text, never evaluated; huge dimensions are capped', async () => {
  const preview = await previewImport(
    env.app.svc,
    request(
      workbook([
        ['品名', '单位', '数量', '批号'],
        ['=HYPERLINK("http://x","棉被")', '床', 3, '=1+1'],
        ['棉被', '床', 2, '+SUM(A1)'],
      ]),
      { createMissing: true },
    ),
  );
  expect(preview.rows.map((r) => [r.material?.name, r.lot, r.status])).toEqual([
    ['=HYPERLINK("http://x","棉被")', '=1+1', 'create'],
    ['棉被', '+SUM(A1)', 'ok'],
  ]);
  // A sheet that says it spans A1:XFD1048576 and has a cell in the last row and column: the
  // reader stops at the row cap and reads no column past the column cap.
  const huge = await previewImport(
    env.app.svc,
    request(
      minimalXlsx(
        '<dimension ref="A1:XFD1048576"/><sheetData>' +
          '<row r="1"><c r="A1" t="inlineStr"><is><t>品名</t></is></c><c r="B1" t="inlineStr"><is><t>数量</t></is></c></row>' +
          '<row r="2"><c r="A2" t="inlineStr"><is><t>棉被</t></is></c><c r="B2"><v>1</v></c><c r="XFD2"><v>9</v></c></row>' +
          '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>棉被</t></is></c><c r="B1048576"><v>1</v></c></row>' +
          '</sheetData>',
      ),
    ),
  ).catch((e: unknown) => e);
  expect(huge).toMatchObject({ key: 'import.tooManyRows' });
});

/** An xlsx written by hand: one sheet with this XML inside <worksheet>. */
function minimalXlsx(sheet: string): Buffer {
  const entry = (name: string, xml: string) => ({ name, data: Buffer.from(xml) });
  return zip([
    entry(
      '[Content_Types].xml',
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    ),
    entry(
      '_rels/.rels',
      '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    ),
    entry(
      'xl/workbook.xml',
      '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="x" sheetId="1" r:id="rId1"/></sheets></workbook>',
    ),
    entry(
      'xl/_rels/workbook.xml.rels',
      '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    ),
    entry(
      'xl/worksheets/sheet1.xml',
      `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${sheet}</worksheet>`,
    ),
  ]);
}

test('a parse that outlasts its time limit is stopped and refused; the app goes on', async () => {
  const bytes = workbook(MESSY, { merges: MESSY_MERGES });
  await expect(readGrid(bytes, { limits: { timeLimitMs: 1 } })).rejects.toMatchObject({
    code: 'BAD_INPUT',
    key: 'import.tooSlow',
  });
  // The same file with time to spare reads whole.
  expect((await readGrid(bytes)).rows).toHaveLength(MESSY.length);
});

test('statistics staff may check a file against the books, but posting it is for those who post stock', async () => {
  const staff = await env.user('staff');
  const bytes = workbook([
    ['品名', '单位', '数量'],
    ['棉被', '床', 30],
  ]);
  const uploaded = await env.app.upload(staff.token, '期初.xlsx', bytes, 'zh-CN');
  if (!uploaded.ok) throw new Error(JSON.stringify(uploaded.error));
  const input = {
    uploadId: (uploaded.result as { uploadId: string }).uploadId,
    kind: 'opening-stock' as const,
    depotId: w.shinan.depotId,
  };
  const preview = await env.call(staff.token, 'import.preview', input);
  expect(preview.rows.map((r) => [r.row, r.status, r.quantity])).toEqual([[2, 'ok', 30]]);
  const before = await snapshot(env);
  expect(await env.fail(staff.token, 'import.commit', input)).toMatchObject({ code: 'FORBIDDEN' });
  expect(await snapshot(env)).toEqual(before);
});
