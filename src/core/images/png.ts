import { PNG } from 'pngjs';
import { decodeOwnGrayPng } from './grayPng';

/** A single grayscale image with pixels in [0,1], row-major. */
export interface GrayImage {
  readonly pixels: Float32Array;
  readonly width: number;
  readonly height: number;
}

/** Encodes pixels as an 8-bit grayscale PNG; values outside [0,1] are clipped and NaN becomes black. */
export function encodeGrayPng(pixels: Float32Array, width: number, height: number): Buffer {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`a PNG needs a positive integer size, got ${width}x${height}`);
  }
  if (pixels.length !== width * height) {
    throw new RangeError(`expected ${width * height} pixels for ${width}x${height}, got ${pixels.length}`);
  }
  // Sized by hand rather than via the constructor, which would allocate an unused RGBA buffer.
  const png = new PNG();
  png.width = width;
  png.height = height;
  png.data = Buffer.alloc(width * height);
  for (let i = 0; i < pixels.length; i++) {
    const v = pixels[i];
    // Written so that NaN fails both comparisons and lands on 0.
    png.data[i] = v > 0 ? (v < 1 ? Math.round(v * 255) : 255) : 0;
  }
  // Same input and output colour type: pngjs takes the one-byte-per-pixel buffer as it is.
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 });
}

/** A single grayscale image as 8-bit values, row-major. */
export interface GrayBytes {
  readonly bytes: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/**
 * Decodes any PNG (gray, RGB, palette, with or without alpha, 8 or 16 bits) to grayscale in [0,1]:
 * ITU-R BT.601 luma (0.299R + 0.587G + 0.114B), composited over black where the image is transparent.
 * Throws pngjs's error when the data is not a valid PNG.
 */
export function decodeGrayPng(buf: Buffer): GrayImage {
  const own = decodeOwnGrayPng(buf);
  if (own) {
    const pixels = new Float32Array(own.bytes.length);
    for (let i = 0; i < pixels.length; i++) pixels[i] = own.bytes[i] / 255;
    return { pixels, width: own.width, height: own.height };
  }
  // pngjs always hands back 8-bit RGBA, whatever the file's colour type and depth.
  const png = PNG.sync.read(buf);
  const { data, width, height } = png;
  const pixels = new Float32Array(width * height);
  for (let i = 0; i < pixels.length; i++) {
    const r = data[4 * i];
    const g = data[4 * i + 1];
    const b = data[4 * i + 2];
    const a = data[4 * i + 3];
    // Gray pixels are taken as they are, so that 8-bit gray values come back exactly as v/255.
    const luma = r === g && g === b ? r : 0.299 * r + 0.587 * g + 0.114 * b;
    pixels[i] = a === 255 ? luma / 255 : (luma * a) / (255 * 255);
  }
  return { pixels, width, height };
}

/**
 * decodeGrayPng's image as 8-bit values (each rounded from its [0,1] value). The project's own gray PNGs
 * come back byte for byte without the round trip through floats, which was a third of the time of reading a run's
 * epoch grid (the epoch slider reads one per compared run).
 */
export function decodeGrayPngBytes(buf: Buffer): GrayBytes {
  const own = decodeOwnGrayPng(buf);
  if (own) return own;
  const { pixels, width, height } = decodeGrayPng(buf);
  const bytes = new Uint8Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) bytes[i] = Math.round(pixels[i] * 255);
  return { bytes, width, height };
}
