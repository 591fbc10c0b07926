import { PNG } from 'pngjs';
import sharp from 'sharp';

/** A width x height image whose pixel (x, y), channel c, is f(x, y, c) in 0-255, as raw RGB bytes. */
export function rgbBytes(width: number, height: number, f: (x: number, y: number, c: number) => number): Uint8Array {
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) for (let c = 0; c < 3; c++) out[(y * width + x) * 3 + c] = f(x, y, c);
  return out;
}

/** Encodes raw RGB bytes in a format sharp writes (png, jpeg at quality 100, lossless webp). */
export async function encodeRgb(
  bytes: Uint8Array,
  width: number,
  height: number,
  format: 'png' | 'jpeg' | 'webp',
): Promise<Buffer> {
  const image = sharp(bytes, { raw: { width, height, channels: 3 } });
  if (format === 'png') return image.png().toBuffer();
  if (format === 'jpeg') return image.jpeg({ quality: 100, chromaSubsampling: '4:4:4' }).toBuffer();
  return image.webp({ lossless: true }).toBuffer();
}

/** An 8-bit gray PNG (pngjs, colour type 0) whose pixel (x, y) is f(x, y) in 0-255. */
export function grayPng(width: number, height: number, f: (x: number, y: number) => number): Buffer {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = f(x, y);
      png.data.set([v, v, v, 255], (y * width + x) * 4);
    }
  }
  return PNG.sync.write(png, { colorType: 0 });
}

/** A 16-bit gray PNG from 0-65535 values (pngjs takes 16-bit input as native-endian RGBA words). */
export function gray16Png(width: number, height: number, values: readonly number[]): Buffer {
  const png = new PNG({ width, height });
  const words = new Uint16Array(width * height * 4);
  values.forEach((v, i) => words.set([v, v, v, 65535], i * 4));
  png.data = Buffer.from(words.buffer);
  return PNG.sync.write(png, { colorType: 0, bitDepth: 16 });
}

/**
 * An uncompressed 16-bit gray TIFF (little-endian, one strip), written by hand: sharp writes TIFF at 8 bits
 * from raw input, and the point is to read what scanners and microscopes save.
 */
export function gray16Tiff(width: number, height: number, values: readonly number[]): Buffer {
  const tags: [number, number, number][] = [
    [256, 3, width],
    [257, 3, height],
    [258, 3, 16],
    [259, 3, 1],
    [262, 3, 1],
    [273, 4, 0],
    [277, 3, 1],
    [278, 3, height],
    [279, 4, width * height * 2],
  ];
  const dataOffset = 8 + 2 + tags.length * 12 + 4;
  tags[5][2] = dataOffset;
  const buf = Buffer.alloc(dataOffset + width * height * 2);
  buf.write('II', 0, 'latin1');
  buf.writeUInt16LE(42, 2);
  buf.writeUInt32LE(8, 4);
  buf.writeUInt16LE(tags.length, 8);
  tags.forEach(([tag, type, value], i) => {
    const o = 10 + i * 12;
    buf.writeUInt16LE(tag, o);
    buf.writeUInt16LE(type, o + 2);
    buf.writeUInt32LE(1, o + 4);
    if (type === 3) buf.writeUInt16LE(value, o + 8);
    else buf.writeUInt32LE(value, o + 8);
  });
  values.forEach((v, i) => buf.writeUInt16LE(v, dataOffset + 2 * i));
  return buf;
}
