// Renders the app icon (build/icon.svg) into the raster files electron-builder packages:
//   build/icon.png            512×512 (Linux, and electron-builder's default build/icon.png)
//   build/icons/NxN.png       16…512 (linux.icon: the hicolor sizes of the .deb and the AppImage)
//   build/icon.ico            16…256 (win.icon: the .exe, the NSIS installer and its shortcuts)
// The outputs are committed, so packaging never runs this. After editing the SVG:
//   node scripts/build-icons.mjs           (writes the files)
//   node scripts/build-icons.mjs --check   (exits 1 if a committed file is missing or stale)
// tests/unit/icons.test.ts runs the check.
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUILD = path.join(ROOT, 'build');

const LINUX_SIZES = [16, 32, 48, 64, 128, 256, 512];
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];

/** The SVG drawn at size×size: the PNG file, and its straight (not premultiplied) RGBA pixels. */
function render(svg, size) {
  const image = new Resvg(svg, {
    fitTo: { mode: 'width', value: size },
    font: { loadSystemFonts: false }, // the icon has no text
  }).render();
  if (image.width !== size || image.height !== size)
    throw new Error(`rendered ${image.width}×${image.height}`);
  const rgba = Buffer.from(image.pixels); // resvg's pixels are premultiplied
  for (let i = 0; i < rgba.length; i += 4) {
    const a = rgba[i + 3];
    if (a === 0 || a === 255) continue;
    for (let c = 0; c < 3; c++) rgba[i + c] = Math.min(255, Math.round((rgba[i + c] * 255) / a));
  }
  return { size, png: image.asPng(), rgba };
}

/**
 * A classic 32-bit icon image (what an .ico holds below 256×256): BITMAPINFOHEADER with the
 * height doubled (XOR bitmap + AND mask), BGRA rows bottom-up, then the 1-bit AND mask (set
 * where the pixel is fully transparent; rows padded to 4 bytes).
 */
function dib({ size, rgba }) {
  const maskStride = Math.ceil(size / 32) * 4;
  const out = Buffer.alloc(40 + size * size * 4 + maskStride * size);
  out.writeUInt32LE(40, 0); // biSize
  out.writeInt32LE(size, 4); // biWidth
  out.writeInt32LE(size * 2, 8); // biHeight: XOR + AND
  out.writeUInt16LE(1, 12); // biPlanes
  out.writeUInt16LE(32, 14); // biBitCount
  // biCompression BI_RGB (0), biSizeImage 0, resolution and palette fields: all 0.
  const maskAt = 40 + size * size * 4;
  for (let y = 0; y < size; y++) {
    const row = size - 1 - y; // bottom-up
    for (let x = 0; x < size; x++) {
      const from = (y * size + x) * 4;
      const to = 40 + (row * size + x) * 4;
      out[to] = rgba[from + 2];
      out[to + 1] = rgba[from + 1];
      out[to + 2] = rgba[from];
      out[to + 3] = rgba[from + 3];
      if (rgba[from + 3] === 0) out[maskAt + row * maskStride + (x >> 3)] |= 0x80 >> (x & 7);
    }
  }
  return out;
}

/**
 * The .ico container: ICONDIR (6 bytes), one 16-byte ICONDIRENTRY per image, then the images.
 * 256×256 is stored as PNG (size 0 in the entry means 256), smaller ones as bitmaps, the layout
 * Windows itself uses and every resource tool (rcedit, NSIS) reads.
 */
function ico(images) {
  const blobs = images.map((image) => (image.size >= 256 ? image.png : dib(image)));
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach((image, i) => {
    const at = 6 + 16 * i;
    header.writeUInt8(image.size >= 256 ? 0 : image.size, at); // width
    header.writeUInt8(image.size >= 256 ? 0 : image.size, at + 1); // height
    header.writeUInt8(0, at + 2); // palette colours
    header.writeUInt8(0, at + 3); // reserved
    header.writeUInt16LE(1, at + 4); // colour planes
    header.writeUInt16LE(32, at + 6); // bits per pixel
    header.writeUInt32LE(blobs[i].length, at + 8);
    header.writeUInt32LE(offset, at + 12);
    offset += blobs[i].length;
  });
  return Buffer.concat([header, ...blobs]);
}

/** Every output file, by path relative to build/. */
function iconFiles(svg = readFileSync(path.join(BUILD, 'icon.svg'))) {
  const sizes = [...new Set([...LINUX_SIZES, ...ICO_SIZES])];
  const images = new Map(sizes.map((size) => [size, render(svg, size)]));
  const files = new Map([['icon.png', images.get(512).png]]);
  for (const size of LINUX_SIZES) files.set(`icons/${size}x${size}.png`, images.get(size).png);
  files.set('icon.ico', ico(ICO_SIZES.map((size) => images.get(size))));
  return files;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  const stale = [];
  for (const [name, data] of iconFiles()) {
    const file = path.join(BUILD, name);
    if (check) {
      if (!existsSync(file) || !readFileSync(file).equals(data)) stale.push(`build/${name}`);
    } else {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, data);
      console.log(`build/${name}  ${data.length} bytes`);
    }
  }
  if (stale.length > 0) {
    console.error(`Out of date (run node scripts/build-icons.mjs): ${stale.join(', ')}`);
    process.exit(1);
  }
}
