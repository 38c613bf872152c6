/**
 * The app icon's committed raster files (build/, packaged by electron-builder.yml) are what
 * build/icon.svg renders to today (scripts/build-icons.mjs --check), and they are valid: PNG
 * sizes as named, and an .ico whose directory parses, with every image where it says.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const read = (name: string) => readFileSync(path.join(ROOT, name));

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's IHDR chunk (which must come first). */
function pngSize(data: Buffer): { width: number; height: number } {
  expect(data.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(data.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

interface IcoEntry {
  width: number;
  height: number;
  bitCount: number;
  data: Buffer;
}

function parseIco(file: Buffer): IcoEntry[] {
  expect(file.readUInt16LE(0)).toBe(0); // reserved
  expect(file.readUInt16LE(2)).toBe(1); // 1 = icon (2 would be a cursor)
  const count = file.readUInt16LE(4);
  let next = 6 + 16 * count; // the images follow the directory, in order, without gaps
  const entries: IcoEntry[] = [];
  for (let i = 0; i < count; i++) {
    const at = 6 + 16 * i;
    const bytes = file.readUInt32LE(at + 8);
    const offset = file.readUInt32LE(at + 12);
    expect(offset).toBe(next);
    next = offset + bytes;
    expect(next).toBeLessThanOrEqual(file.length);
    entries.push({
      width: file.readUInt8(at) || 256,
      height: file.readUInt8(at + 1) || 256,
      bitCount: file.readUInt16LE(at + 6),
      data: file.subarray(offset, offset + bytes),
    });
  }
  expect(next).toBe(file.length);
  return entries;
}

describe('app icon (build/)', () => {
  it('the committed PNG and ICO files are what build/icon.svg renders to', () => {
    // Exits non-zero (and execFileSync throws, with the script's message) when one is stale.
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-icons.mjs'), '--check'], {
      cwd: ROOT,
      stdio: 'pipe',
    });
  });

  it('the SVG is a square drawing without text', () => {
    const svg = read('build/icon.svg').toString('utf8');
    expect(svg).toMatch(/viewBox="0 0 512 512"/);
    expect(svg).not.toMatch(/<text|<image/);
  });

  it('the Linux PNGs have the sizes their names say', () => {
    expect(pngSize(read('build/icon.png'))).toEqual({ width: 512, height: 512 });
    for (const size of [16, 32, 48, 64, 128, 256, 512]) {
      expect(pngSize(read(`build/icons/${size}x${size}.png`))).toEqual({ width: size, height: size });
    }
  });

  it('the Windows .ico holds 16…256 in 32 bits: bitmaps below 256, a PNG at 256', () => {
    const entries = parseIco(read('build/icon.ico'));
    expect(entries.map((e) => e.width)).toEqual([16, 24, 32, 48, 64, 128, 256]);
    for (const entry of entries) {
      expect(entry.height).toBe(entry.width);
      expect(entry.bitCount).toBe(32);
      const size = entry.width;
      if (size === 256) {
        expect(pngSize(entry.data)).toEqual({ width: 256, height: 256 });
        expect(entry.data.equals(read('build/icons/256x256.png'))).toBe(true);
        continue;
      }
      // BITMAPINFOHEADER, height doubled (colour bitmap + AND mask), uncompressed 32-bit BGRA.
      const d = entry.data;
      expect([d.readUInt32LE(0), d.readInt32LE(4), d.readInt32LE(8)]).toEqual([40, size, size * 2]);
      expect([d.readUInt16LE(12), d.readUInt16LE(14), d.readUInt32LE(16)]).toEqual([1, 32, 0]);
      const maskStride = Math.ceil(size / 32) * 4;
      expect(d.length).toBe(40 + size * size * 4 + maskStride * size);
      // Rows are stored bottom-up: the corner outside the rounded square is transparent (and
      // masked), the middle of the crate (the plus) is opaque orange.
      const pixel = (x: number, y: number) => 40 + ((size - 1 - y) * size + x) * 4;
      expect(d[pixel(0, 0) + 3]).toBe(0);
      expect(d[40 + size * size * 4 + (size - 1) * maskStride]! & 0x80).toBe(0x80);
      const mid = pixel(size / 2, Math.round(size * 0.63));
      expect(d[mid + 3]).toBe(255);
      expect(d[mid + 2]).toBeGreaterThan(200); // red
      expect(d[mid]).toBeLessThan(80); // blue
    }
  });

  it('electron-builder packages them', () => {
    const config = read('electron-builder.yml').toString('utf8');
    expect(config).toMatch(/^linux:\n(?: .*\n)*? {2}icon: build\/icons\n/m);
    expect(config).toMatch(/^win:\n(?: .*\n)*? {2}icon: build\/icon\.ico\n/m);
  });
});
