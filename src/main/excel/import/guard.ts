/**
 * What a file is, decided from its bytes before any parser sees it: a size cap; xlsx and ods
 * are zips, checked for a zip bomb (entry count, declared and actual inflated size, ratio);
 * xls is an OLE compound file, refused when it is an encrypted (password-protected) workbook;
 * csv is text. A Word document renamed .xlsx, a PDF, an empty file or anything else is refused
 * with the reason. Every check is cheap and bounded: a refusal comes in well under a second.
 */
import { inflateRawSync } from 'node:zlib';
import type { MessageKey } from '../../../shared/i18n';
import { AppError } from '../../../shared/rpc';
import { MAX_IMPORT_BYTES } from '../../../shared/schemas/import';

export type SpreadsheetFormat = 'xlsx' | 'xls' | 'ods' | 'csv';

export const LIMITS = {
  /** The file itself. */
  fileBytes: MAX_IMPORT_BYTES,
  /** A zip's entries, what they may inflate to in all, and how much any one may grow. */
  zipEntries: 2_000,
  inflatedBytes: 200 * 1024 * 1024,
  ratio: 200,
};

const refuse = (key: MessageKey, params: Record<string, string | number> = {}) =>
  new AppError('BAD_INPUT', key, params, [{ path: 'file', key, params }]);

const startsWith = (bytes: Buffer, magic: number[]) => magic.every((b, i) => bytes[i] === b);

interface ZipEntry {
  name: string;
  method: number;
  compressed: number;
  declared: number;
  localOffset: number;
}

/** The central directory of a zip (refused when it is not one we can read safely). */
function zipEntries(bytes: Buffer): ZipEntry[] {
  // The end-of-central-directory record: in the last 64 KiB + 22 bytes.
  const from = Math.max(0, bytes.length - 65_557);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= from; i -= 1)
    if (bytes.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd < 0) throw refuse('import.brokenZip');
  const count = bytes.readUInt16LE(eocd + 10);
  const size = bytes.readUInt32LE(eocd + 12);
  const offset = bytes.readUInt32LE(eocd + 16);
  if (count === 0xffff || offset === 0xffffffff) throw refuse('import.brokenZip');
  if (count > LIMITS.zipEntries) throw refuse('import.zipBomb', { reason: `${count} entries` });
  if (offset + size > bytes.length) throw refuse('import.brokenZip');
  const entries: ZipEntry[] = [];
  let at = offset;
  for (let n = 0; n < count; n += 1) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== 0x02014b50) throw refuse('import.brokenZip');
    const flags = bytes.readUInt16LE(at + 8);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    const entry = {
      name: bytes.toString('utf8', at + 46, at + 46 + nameLength),
      method: bytes.readUInt16LE(at + 10),
      compressed: bytes.readUInt32LE(at + 20),
      declared: bytes.readUInt32LE(at + 24),
      localOffset: bytes.readUInt32LE(at + 42),
    };
    if (flags & 0x1) throw refuse('import.encrypted');
    if (entry.compressed === 0xffffffff || entry.declared === 0xffffffff) throw refuse('import.brokenZip');
    entries.push(entry);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Inflates every entry with a ceiling of what it declared: a lie about its size is refused. */
function checkZip(bytes: Buffer): ZipEntry[] {
  const entries = zipEntries(bytes);
  const declared = entries.reduce((sum, e) => sum + e.declared, 0);
  if (declared > LIMITS.inflatedBytes)
    throw refuse('import.zipBomb', { reason: `${Math.round(declared / 1024 / 1024)} MB` });
  let inflated = 0;
  for (const e of entries) {
    if (e.declared > Math.max(e.compressed, 1024) * LIMITS.ratio)
      throw refuse('import.zipBomb', {
        reason: `${e.name} ×${Math.round(e.declared / Math.max(e.compressed, 1))}`,
      });
    const local = e.localOffset;
    if (local + 30 > bytes.length || bytes.readUInt32LE(local) !== 0x04034b50)
      throw refuse('import.brokenZip');
    const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const data = bytes.subarray(start, start + e.compressed);
    if (e.method === 0) inflated += data.length;
    else if (e.method === 8) {
      try {
        inflated += inflateRawSync(data, { maxOutputLength: Math.max(e.declared, 1) }).length;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
          throw refuse('import.zipBomb', { reason: `${e.name}` });
        throw refuse('import.brokenZip');
      }
    } else throw refuse('import.brokenZip');
    if (inflated > LIMITS.inflatedBytes) throw refuse('import.zipBomb', { reason: 'inflated size' });
  }
  return entries;
}

/** UTF-16LE, as the names in an OLE compound file's directory are written. */
const utf16 = (s: string) => Buffer.from(s, 'utf16le');

function looksLikeText(bytes: Buffer): boolean {
  const sample = bytes.subarray(0, 4096);
  let control = 0;
  for (const b of sample) if (b < 9) control += 1;
  return control === 0;
}

export function sniffSpreadsheet(bytes: Buffer): SpreadsheetFormat {
  if (bytes.length === 0) throw refuse('import.empty');
  if (bytes.length > LIMITS.fileBytes)
    throw refuse('import.tooBig', { mb: Math.round(LIMITS.fileBytes / 1024 / 1024) });
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46])) throw refuse('import.notSpreadsheet', { kind: 'PDF' });
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) {
    const names = new Set(checkZip(bytes).map((e) => e.name));
    if (names.has('xl/workbook.xml') || names.has('xl/workbook.bin')) return 'xlsx';
    if (names.has('content.xml') && bytes.includes('application/vnd.oasis.opendocument.spreadsheet'))
      return 'ods';
    if (names.has('word/document.xml')) throw refuse('import.notSpreadsheet', { kind: 'Word' });
    if (names.has('ppt/presentation.xml')) throw refuse('import.notSpreadsheet', { kind: 'PowerPoint' });
    throw refuse('import.notSpreadsheet', { kind: 'zip' });
  }
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    if (bytes.includes(utf16('EncryptedPackage')) || bytes.includes(utf16('EncryptionInfo')))
      throw refuse('import.encrypted');
    if (bytes.includes(utf16('WordDocument'))) throw refuse('import.notSpreadsheet', { kind: 'Word' });
    return 'xls';
  }
  if (looksLikeText(bytes)) return 'csv';
  throw refuse('import.notSpreadsheet', { kind: '?' });
}
