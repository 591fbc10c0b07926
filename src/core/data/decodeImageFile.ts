import { statSync } from 'node:fs';
import type { Metadata } from 'sharp';
import { loadSharp } from '../images/loadSharp';
import { DatasetError } from './datasetError';
import type { RealImage } from './realImage';

/** The formats an image folder may hold, by sharp's (libvips's) format names, and the file endings they use. */
export const IMAGE_FORMATS: Readonly<Record<string, readonly string[]>> = {
  png: ['.png'],
  jpeg: ['.jpg', '.jpeg'],
  tiff: ['.tif', '.tiff'],
  webp: ['.webp'],
};

/**
 * Largest image a dataset file may declare: 100 megapixels, more than any camera's photograph. A
 * decompression bomb (a tiny file whose header announces gigapixels) is refused from its header, and
 * sharp's limitInputPixels refuses it again should a header lie.
 */
export const MAX_IMAGE_PIXELS = 100_000_000;

/**
 * Most pixels a JPEG may declare per byte of file. The densest JPEG there is, one flat colour, holds about 340
 * pixels a byte (measured with libjpeg-turbo and mozjpeg at quality 1); a file declaring 50 times that is
 * missing most of its data. libjpeg only warns at such a premature end and fills the rest with gray, so a
 * 300-byte file declaring 9999x10000 pixels decoded to a 100-megapixel image (3.4 GB of memory, 13 s):
 * sharp's failOn 'warning' would catch it, but also refuses the benign warnings of ordinary camera files.
 */
export const JPEG_MAX_PIXELS_PER_BYTE = 16_384;

/** What a file's header says, read without decoding its pixels. */
export interface ImageHeader {
  readonly file: string;
  readonly width: number;
  readonly height: number;
  readonly format: string;
  /** 16-bit samples (TIFF or PNG), decoded without losing their precision. */
  readonly sixteenBit: boolean;
  /** Colour channels, alpha not counted: 1 gray, 3 colour (RGB, or CMYK, which is converted to RGB). */
  readonly channels: 1 | 3;
}

const decoderOptions = { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error', autoOrient: true } as const;

/** Why sharp refused a file, its first line (libvips repeats JPEG warnings on the following ones). */
function reason(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0];
}

/**
 * Reads and checks a file's header: a supported format, a sane size. Throws a DatasetError naming the file
 * and the reason for anything else (not an image, an unsupported format, a decompression bomb).
 */
export async function readImageHeader(file: string): Promise<ImageHeader> {
  const sharp = loadSharp();
  let bytes: number;
  try {
    bytes = statSync(file).size;
  } catch (err) {
    throw new DatasetError(`${file}: cannot be read (${reason(err)})`);
  }
  // libvips would call an empty file "unsupported image format", which sends the user looking for the wrong fault.
  if (bytes === 0) throw new DatasetError(`${file}: the file is empty (0 bytes)`);
  let meta: Metadata;
  try {
    // Headers only: no pixel limit here, so that an oversized image gets the clear message below.
    meta = await sharp(file, { ...decoderOptions, limitInputPixels: false }).metadata();
  } catch (err) {
    throw new DatasetError(`${file}: not a readable image (${reason(err)})`);
  }
  const format = String(meta.format);
  if (!(format in IMAGE_FORMATS)) {
    throw new DatasetError(`${file}: unsupported image format '${format}'; use PNG, JPEG, TIFF or WebP`);
  }
  const { width, height } = meta;
  if (!width || !height) throw new DatasetError(`${file}: the header gives no image size`);
  if (width * height > MAX_IMAGE_PIXELS) {
    throw new DatasetError(
      `${file}: header says ${width}x${height} pixels, more than the ` +
        `${MAX_IMAGE_PIXELS.toLocaleString('en-US')}-pixel limit for a dataset image; refused before decoding`,
    );
  }
  if (format === 'jpeg' && width * height > JPEG_MAX_PIXELS_PER_BYTE * bytes) {
    throw new DatasetError(
      `${file}: header says ${width}x${height} pixels but the file is only ${bytes} bytes, far less than any JPEG ` +
        'of that size; it is truncated or a decompression bomb; refused before decoding',
    );
  }
  return { file, width, height, format, sixteenBit: meta.depth === 'ushort', channels: colourChannels(file, meta) };
}

/**
 * The colour channels of a file, alpha not counted. A file that is neither gray nor colour (a TIFF of 5 bands,
 * a 2-band colour image) is refused here, by what it holds: decoding would only fail later with a count of
 * channels that does not say why.
 */
function colourChannels(file: string, meta: Metadata): 1 | 3 {
  const gray = meta.space === 'b-w' || meta.space === 'grey16';
  const channels = meta.channels ?? 0;
  const colour = meta.space === 'cmyk' ? 3 : channels - (meta.hasAlpha ? 1 : 0);
  if (gray && colour === 1) return 1;
  if (!gray && colour === 3) return 3;
  throw new DatasetError(
    `${file}: ${channels} channel(s) (${meta.space ?? 'unknown'} colour space${meta.hasAlpha ? ', with alpha' : ''}); ` +
      'Denoise Lab reads gray or RGB images (with or without alpha) and CMYK JPEGs',
  );
}

/**
 * Decodes a file at full resolution into `channels` (1: gray, 3: RGB) values per pixel in [0,1]. Alpha is
 * composited over black and EXIF orientation applied. Gray is ITU-R BT.601 luma (0.299R + 0.587G + 0.114B)
 * computed here rather than by libvips (whose gray is luminance in linear light), the same as pngFolder's
 * decoder and MATLAB's rgb2gray, with which the BSD68 figures of the literature were made; a gray file
 * keeps its values exactly.
 */
export async function decodeImageFile(header: ImageHeader, channels: 1 | 3, name: string): Promise<RealImage> {
  const sharp = loadSharp();
  let data: Buffer;
  let width: number;
  let height: number;
  try {
    const result = await sharp(header.file, decoderOptions)
      .flatten({ background: '#000000' })
      .toColourspace(header.sixteenBit ? 'rgb16' : 'srgb')
      .raw({ depth: header.sixteenBit ? 'ushort' : 'uchar' })
      .toBuffer({ resolveWithObject: true });
    data = result.data;
    ({ width, height } = result.info);
    if (result.info.channels !== 3) throw new Error(`decoded to ${result.info.channels} channels, expected 3`);
  } catch (err) {
    throw new DatasetError(`${header.file}: cannot be decoded (${reason(err)}); the file may be truncated or corrupt`);
  }
  const samples = header.sixteenBit ? new Uint16Array(data.buffer, data.byteOffset, data.length / 2) : data;
  const scale = header.sixteenBit ? 1 / 65535 : 1 / 255;
  const count = width * height;
  const pixels = new Float32Array(count * channels);
  if (channels === 3) {
    for (let i = 0; i < pixels.length; i++) pixels[i] = samples[i] * scale;
  } else {
    for (let i = 0; i < count; i++) {
      const r = samples[3 * i];
      const g = samples[3 * i + 1];
      const b = samples[3 * i + 2];
      pixels[i] = (r === g && g === b ? r : 0.299 * r + 0.587 * g + 0.114 * b) * scale;
    }
  }
  return { name, pixels, height, width, channels };
}

/** An image file's samples as stored (8 or 16 bits), channels last: what `denoise apply` holds of a file. */
export interface ImageSamples {
  readonly name: string;
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
  /** 0-255 samples, or 0-65535 for a 16-bit file. */
  readonly samples: Uint8Array | Uint16Array;
}

/** Bytes a file's samples take in `channels` channels (ImageSamples). */
export function samplesBytes(header: ImageHeader, channels: 1 | 3): number {
  return header.width * header.height * channels * (header.sixteenBit ? 2 : 1);
}

/**
 * Decodes a file at full resolution to its samples in `channels` channels, alpha composited over black and EXIF
 * orientation applied: a quarter (8-bit) or half (16-bit) of decodeImageFile's floats, so `denoise apply` holds
 * a 100-megapixel photograph in 100-300 MB. Gray is the first of the three RGB samples: apply gives a gray model
 * only gray files and RGB files whose three channels are equal (checkInputImage), where that is exact.
 */
export async function decodeImageSamples(header: ImageHeader, channels: 1 | 3, name: string): Promise<ImageSamples> {
  let data: Buffer;
  let info: { width: number; height: number; channels: number };
  try {
    let image = loadSharp()(header.file, decoderOptions)
      .flatten({ background: '#000000' })
      .toColourspace(header.sixteenBit ? 'rgb16' : 'srgb');
    if (channels === 1) image = image.extractChannel(0);
    ({ data, info } = await image
      .raw({ depth: header.sixteenBit ? 'ushort' : 'uchar' })
      .toBuffer({ resolveWithObject: true }));
    if (info.channels !== channels) throw new Error(`decoded to ${info.channels} channels, expected ${channels}`);
  } catch (err) {
    throw new DatasetError(`${header.file}: cannot be decoded (${reason(err)}); the file may be truncated or corrupt`);
  }
  // A plain Uint8Array over sharp's Buffer: a Buffer's slice() is a view, not the copy a typed array's is.
  const samples = header.sixteenBit
    ? new Uint16Array(data.buffer, data.byteOffset, data.length / 2)
    : new Uint8Array(data.buffer, data.byteOffset, data.length);
  return { name, width: info.width, height: info.height, channels, samples };
}

/**
 * Decodes a file as gray and resizes it to size x size (stretched when the aspect ratio differs), for
 * models that take one fixed image size (dense, vae). Resized by sharp (libvips: shrink-on-load, then a
 * Lanczos-3 kernel), then made gray; both are linear, so the order does not matter beyond 8-bit rounding.
 */
export async function decodeResizedGray(header: ImageHeader, size: number): Promise<Float32Array> {
  const sharp = loadSharp();
  let data: Buffer;
  try {
    data = await sharp(header.file, decoderOptions)
      .flatten({ background: '#000000' })
      .resize(size, size, { fit: 'fill' })
      .toColourspace(header.sixteenBit ? 'rgb16' : 'srgb')
      .raw({ depth: header.sixteenBit ? 'ushort' : 'uchar' })
      .toBuffer();
  } catch (err) {
    throw new DatasetError(`${header.file}: cannot be decoded (${reason(err)}); the file may be truncated or corrupt`);
  }
  const samples = header.sixteenBit ? new Uint16Array(data.buffer, data.byteOffset, data.length / 2) : data;
  const scale = header.sixteenBit ? 1 / 65535 : 1 / 255;
  const out = new Float32Array(size * size);
  for (let i = 0; i < out.length; i++) {
    const r = samples[3 * i];
    const g = samples[3 * i + 1];
    const b = samples[3 * i + 2];
    out[i] = (r === g && g === b ? r : 0.299 * r + 0.587 * g + 0.114 * b) * scale;
  }
  return out;
}
