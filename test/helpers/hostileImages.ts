/**
 * Image files for the hostile-input tests: intact files of every layout the loaders meet (8 and 16 bits, 1 to 5
 * channels, palette, CMYK, progressive), seeded byte-level damage to them, and decompression bombs whose headers
 * stay well-formed (checksums fixed) so that only the declared size can give them away.
 */
import { crc32 } from 'node:zlib';
import { PNG } from 'pngjs';
import sharp from 'sharp';
import { gray16Png } from './imageFiles';
import { SeededRandom } from '../../src/core/random/seededRandom';

export type Format = 'png' | 'jpeg' | 'tiff' | 'webp';
export const ENDING: Record<Format, string> = { png: '.png', jpeg: '.jpg', tiff: '.tif', webp: '.webp' };

/** An intact file: its bytes, and what a correct reader gets from it (colour channels without alpha). */
export interface BaseImage {
  readonly label: string;
  readonly format: Format;
  readonly bytes: Buffer;
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3 | 4 | 5;
  /** Exact pixel values survive (all but lossy JPEG and WebP). */
  readonly lossless: boolean;
}

export const W = 13;
export const H = 9;
/** The value of channel c at (x, y), 10-242 for up to 5 channels: a smooth gradient that differs per channel. */
export const value = (x: number, y: number, c: number) => 10 + 6 * x + 5 * y + 30 * c;

function raw(channels: number, f = value): Buffer {
  const out = Buffer.alloc(W * H * channels);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) for (let c = 0; c < channels; c++) out[(y * W + x) * channels + c] = f(x, y, c);
  return out;
}

/** A gray PNG (colour type 0) or gray with alpha (type 4), by pngjs: sharp writes 1-channel input as RGB. */
function pngjs(channels: 1 | 2): Buffer {
  const png = new PNG({ width: W, height: H });
  for (let i = 0; i < W * H; i++) {
    const v = value(i % W, Math.floor(i / W), 0);
    png.data.set([v, v, v, channels === 2 ? value(i % W, Math.floor(i / W), 1) : 255], 4 * i);
  }
  return PNG.sync.write(png, { colorType: channels === 2 ? 4 : 0 });
}

const input = (channels: 1 | 2 | 3 | 4) => sharp(raw(channels), { raw: { width: W, height: H, channels } });

/**
 * An uncompressed TIFF (little-endian, one strip) written by hand, for layouts sharp does not write: 16-bit
 * gray, five channels, and sizes that lie. `samples` holds the strip as stored.
 */
export function tiffFile(o: {
  width: number;
  height: number;
  spp: number;
  bits: 8 | 16;
  photometric: 1 | 2;
  extraSamples?: number[];
  samples: Buffer;
}): Buffer {
  const extra = o.extraSamples ?? [];
  const tags: [tag: number, type: number, count: number, value: number][] = [
    [256, 4, 1, o.width],
    [257, 4, 1, o.height],
    [258, 3, 1, o.bits],
    [259, 3, 1, 1],
    [262, 3, 1, o.photometric],
    [273, 4, 1, 0],
    [277, 3, 1, o.spp],
    [278, 4, 1, o.height],
    [279, 4, 1, o.samples.length],
    [284, 3, 1, 1],
  ];
  if (extra.length) tags.push([338, 3, extra.length, 0]);
  const dataOffset = 8 + 2 + tags.length * 12 + 4;
  tags[5][3] = dataOffset;
  const buf = Buffer.alloc(dataOffset + o.samples.length);
  buf.write('II', 0, 'latin1');
  buf.writeUInt16LE(42, 2);
  buf.writeUInt32LE(8, 4);
  buf.writeUInt16LE(tags.length, 8);
  tags.forEach(([tag, type, count, v], i) => {
    const at = 10 + i * 12;
    buf.writeUInt16LE(tag, at);
    buf.writeUInt16LE(type, at + 2);
    buf.writeUInt32LE(count, at + 4);
    if (tag === 338) extra.forEach((e, k) => buf.writeUInt16LE(e, at + 8 + 2 * k));
    else if (type === 3) buf.writeUInt16LE(v, at + 8);
    else buf.writeUInt32LE(v, at + 8);
  });
  o.samples.copy(buf, dataOffset);
  return buf;
}

/** 8-bit values widened to 16 bits (v * 257), little-endian, as a 16-bit file stores them. */
function widened(bytes: Buffer): Buffer {
  const out = Buffer.alloc(bytes.length * 2);
  bytes.forEach((v, i) => out.writeUInt16LE(v * 257, 2 * i));
  return out;
}

/** Every intact file of the set. */
export async function baseImages(): Promise<BaseImage[]> {
  const base = (
    label: string,
    format: Format,
    bytes: Buffer,
    channels: BaseImage['channels'],
    lossless = true,
  ): BaseImage => ({ label, format, bytes, width: W, height: H, channels, lossless });
  return [
    base('png-gray8', 'png', pngjs(1), 1),
    base('png-rgb8', 'png', await input(3).png().toBuffer(), 3),
    base('png-rgba8', 'png', await input(4).png().toBuffer(), 3),
    base('png-gray-alpha', 'png', pngjs(2), 1),
    base(
      'png-gray16',
      'png',
      gray16Png(
        W,
        H,
        [...raw(1)].map((v) => v * 257),
      ),
      1,
    ),
    base('png-rgb16', 'png', await input(3).toColourspace('rgb16').png().toBuffer(), 3),
    base('png-palette', 'png', await input(3).png({ palette: true, colours: 256, dither: 0 }).toBuffer(), 3, false),
    base(
      'jpeg-gray',
      'jpeg',
      await input(1).toColourspace('b-w').jpeg({ quality: 95, chromaSubsampling: '4:4:4' }).toBuffer(),
      1,
      false,
    ),
    base('jpeg-rgb', 'jpeg', await input(3).jpeg({ quality: 95, chromaSubsampling: '4:4:4' }).toBuffer(), 3, false),
    base('jpeg-cmyk', 'jpeg', await input(3).toColourspace('cmyk').jpeg().toBuffer(), 4, false),
    base('jpeg-progressive', 'jpeg', await input(3).jpeg({ progressive: true }).toBuffer(), 3, false),
    base('tiff-gray8', 'tiff', tiffFile({ width: W, height: H, spp: 1, bits: 8, photometric: 1, samples: raw(1) }), 1),
    base('tiff-rgb8', 'tiff', await input(3).tiff({ compression: 'lzw' }).toBuffer(), 3),
    base('tiff-rgba8', 'tiff', await input(4).tiff({ compression: 'deflate' }).toBuffer(), 3),
    base(
      'tiff-gray-alpha',
      'tiff',
      tiffFile({ width: W, height: H, spp: 2, bits: 8, photometric: 1, extraSamples: [2], samples: raw(2) }),
      1,
    ),
    base(
      'tiff-gray16',
      'tiff',
      tiffFile({ width: W, height: H, spp: 1, bits: 16, photometric: 1, samples: widened(raw(1)) }),
      1,
    ),
    base(
      'tiff-5-channels',
      'tiff',
      tiffFile({ width: W, height: H, spp: 5, bits: 8, photometric: 2, extraSamples: [0, 0], samples: raw(5) }),
      5,
    ),
    base('webp-lossy', 'webp', await input(3).webp({ quality: 90 }).toBuffer(), 3, false),
    base('webp-rgba-lossless', 'webp', await input(4).webp({ lossless: true }).toBuffer(), 3),
    base('webp-rgb-lossless', 'webp', await input(3).webp({ lossless: true }).toBuffer(), 3),
    base('webp-rgba-lossy', 'webp', await input(4).webp({ quality: 90, alphaQuality: 100 }).toBuffer(), 3, false),
    base('webp-near-lossless', 'webp', await input(3).webp({ nearLossless: true, quality: 60 }).toBuffer(), 3, false),
  ];
}

/** Rewrites the width and height a file declares, keeping the header well-formed (PNG's checksum is fixed). */
export function declareSize(format: Format, original: Buffer, width: number, height: number): Buffer {
  const buf = Buffer.from(original);
  switch (format) {
    case 'png':
      buf.writeUInt32BE(width, 16);
      buf.writeUInt32BE(height, 20);
      buf.writeUInt32BE(crc32(buf.subarray(12, 29)), 29);
      return buf;
    case 'jpeg': {
      // The frame header (SOF0/1/2): FF Cn, length, precision, height, width.
      for (let i = 2; i + 9 < buf.length; i++) {
        if (buf[i] === 0xff && buf[i + 1] >= 0xc0 && buf[i + 1] <= 0xc2) {
          buf.writeUInt16BE(Math.min(height, 0xffff), i + 5);
          buf.writeUInt16BE(Math.min(width, 0xffff), i + 7);
          return buf;
        }
      }
      throw new Error('no JPEG frame header');
    }
    case 'tiff': {
      // Width (256) and height (257) in the first directory, rewritten as LONGs; either byte order.
      const le = buf.toString('latin1', 0, 2) === 'II';
      const u16 = (at: number) => (le ? buf.readUInt16LE(at) : buf.readUInt16BE(at));
      const ifd = le ? buf.readUInt32LE(4) : buf.readUInt32BE(4);
      for (let i = 0, n = u16(ifd); i < n; i++) {
        const at = ifd + 2 + 12 * i;
        const tag = u16(at);
        if (tag !== 256 && tag !== 257) continue;
        const v = tag === 256 ? width : height;
        if (le) (buf.writeUInt16LE(4, at + 2), buf.writeUInt32LE(v, at + 8));
        else (buf.writeUInt16BE(4, at + 2), buf.writeUInt32BE(v, at + 8));
      }
      return buf;
    }
    case 'webp': {
      const chunk = buf.toString('latin1', 12, 16);
      if (chunk === 'VP8L') {
        // 14 bits each of width-1 and height-1 after the signature byte at 20.
        const packed = ((width - 1) & 0x3fff) | (((height - 1) & 0x3fff) << 14) | (buf.readUInt32LE(21) & 0xf0000000);
        buf.writeUInt32LE(packed >>> 0, 21);
      } else if (chunk === 'VP8X') {
        buf.writeUIntLE(width - 1, 24, 3);
        buf.writeUIntLE(height - 1, 27, 3);
      } else {
        buf.writeUInt16LE(width & 0x3fff, 26);
        buf.writeUInt16LE(height & 0x3fff, 28);
      }
      return buf;
    }
  }
}

/** One damaged copy of a file and what was done to it. */
export interface Damaged {
  readonly how: string;
  readonly bytes: Buffer;
}

/**
 * `count` seeded damaged copies of `base`: cut at offsets spread over the file and at random ones, header
 * bytes flipped, body bytes flipped, spans zeroed, junk appended, and sizes declared far beyond the limit.
 */
export function damagedCopies(base: BaseImage, count: number, rng: SeededRandom): Damaged[] {
  const src = base.bytes;
  const out: Damaged[] = [];
  const cuts = [1, 2, 4, 7, 8, 12, 16, 20, 24, 30, 33, 40, 50, 64, 100];
  for (const at of cuts) if (at < src.length) out.push({ how: `cut at ${at}`, bytes: src.subarray(0, at) });
  for (let k = 1; k < 12; k++) {
    const at = Math.floor((src.length * k) / 12);
    out.push({ how: `cut at ${at} of ${src.length}`, bytes: src.subarray(0, at) });
  }
  out.push({ how: 'last byte cut', bytes: src.subarray(0, src.length - 1) });
  out.push({ how: `declared 50000x50000`, bytes: declareSize(base.format, src, 50_000, 50_000) });
  out.push({ how: `declared 16383x16383`, bytes: declareSize(base.format, src, 16_383, 16_383) });
  out.push({ how: `declared 9999x10000`, bytes: declareSize(base.format, src, 9_999, 10_000) });
  out.push({ how: 'declared 1x1', bytes: declareSize(base.format, src, 1, 1) });
  while (out.length < count) {
    const buf = Buffer.from(src);
    const kind = rng.nextInt(5);
    if (kind <= 1) {
      const n = 1 + rng.nextInt(3);
      for (let i = 0; i < n; i++) buf[rng.nextInt(Math.min(buf.length, 64))] ^= 1 << rng.nextInt(8);
      out.push({ how: `${n} header bit(s) flipped`, bytes: buf });
    } else if (kind === 2) {
      const n = 1 + rng.nextInt(6);
      for (let i = 0; i < n; i++) buf[rng.nextInt(buf.length)] = rng.nextInt(256);
      out.push({ how: `${n} byte(s) overwritten`, bytes: buf });
    } else if (kind === 3) {
      const at = rng.nextInt(buf.length);
      buf.fill(0, at, Math.min(buf.length, at + 1 + rng.nextInt(32)));
      out.push({ how: `zeroed from ${at}`, bytes: buf });
    } else {
      const junk = Buffer.alloc(1 + rng.nextInt(200), rng.nextInt(256));
      out.push({ how: `${junk.length} junk bytes appended`, bytes: Buffer.concat([src, junk]) });
    }
  }
  return out.slice(0, count);
}
