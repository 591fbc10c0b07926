/**
 * Image files as the compare view's messages (src/protocol/schemas/compareMessageSchemas.ts): shown as 8-bit
 * pixels in chunks, and scored against the clean one with the project's PSNR and SSIM (src/core/metrics) on
 * the files read the way `denoise apply` reads its inputs (src/core/data/decodeImageFile.ts: gray as BT.601
 * luma, 16-bit at full precision), not on the 8-bit copies.
 */
import { decodeImageFile, MAX_IMAGE_PIXELS, readImageHeader } from '../../core/data/decodeImageFile';
import type { RealImage } from '../../core/data/realImage';
import { loadSharp } from '../../core/images/loadSharp';
import { realImageQuality } from '../../core/metrics/realImageMetrics';
import type { SampleColumns } from '../../core/runs/runImages';
import { LIMITS } from '../../protocol/limits';
import type { CompareImageInfo, HostToWebview } from '../../protocol/webviewMessages';

type Role = CompareImageInfo['role'];

/** Images ready to be sent: their shapes and 8-bit pixels, and the values their figures are computed from. */
export interface CompareSet {
  readonly title: string;
  readonly images: readonly {
    readonly info: CompareImageInfo;
    readonly bytes: Uint8Array;
    /** The values the figures are computed from, decoded only when they are asked for. */
    readonly real: () => Promise<RealImage>;
  }[];
}

/** One file to compare: its label, role and path. */
export interface CompareFile {
  readonly label: string;
  readonly role: Role;
  readonly path: string;
}

/** Pixel bytes per chunk: the most whose base64 text fits LIMITS.compareChunk characters. */
export const CHUNK_BYTES = (LIMITS.compareChunk / 4) * 3;

/** 1 for a gray file, 3 for colour (alpha is not counted: it is composited over black when decoded). */
async function channelsOf(file: string): Promise<1 | 3> {
  const meta = await loadSharp()(file).metadata();
  const colours = (meta.channels ?? 3) - (meta.hasAlpha ? 1 : 0);
  return meta.space === 'b-w' || meta.space === 'grey16' || colours === 1 ? 1 : 3;
}

/**
 * The 8-bit pixels to show, decoded by libvips straight to gray or sRGB bytes (a tenth of the time of the float
 * decoding the figures need, which is what lets a 12-megapixel image show first and be scored after). Alpha
 * is composited over black and EXIF orientation applied, as decodeImageFile does.
 */
async function displayBytes(
  file: string,
  channels: 1 | 3,
): Promise<{ bytes: Uint8Array; width: number; height: number }> {
  const { data, info } = await loadSharp()(file, {
    limitInputPixels: MAX_IMAGE_PIXELS,
    failOn: 'error',
    autoOrient: true,
  })
    .flatten({ background: '#000000' })
    .toColourspace(channels === 1 ? 'b-w' : 'srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== channels)
    throw new Error(`${file}: decoded to ${info.channels} channels, expected ${channels}`);
  return { bytes: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

/**
 * Reads 1-4 image files of one size. They are all shown gray when all are gray, else all in colour (a gray
 * one repeated over the three channels), so that the error map and the figures compare like with like.
 */
export async function readCompareFiles(title: string, files: readonly CompareFile[]): Promise<CompareSet> {
  if (files.length === 0 || files.length > LIMITS.compareImages)
    throw new RangeError(`the compare view shows 1 to ${LIMITS.compareImages} images, not ${files.length}`);
  const headers = await Promise.all(files.map((f) => readImageHeader(f.path)));
  const first = headers[0];
  for (const header of headers.slice(1)) {
    if (header.width !== first.width || header.height !== first.height)
      throw new RangeError(
        `${header.file} is ${header.width}x${header.height} pixels but ${first.file} is ` +
          `${first.width}x${first.height}: the compare view shows images of one size`,
      );
  }
  const channels: 1 | 3 = (await Promise.all(files.map((f) => channelsOf(f.path)))).every((c) => c === 1) ? 1 : 3;
  const images: CompareSet['images'][number][] = [];
  for (let i = 0; i < files.length; i++) {
    const { bytes, width, height } = await displayBytes(files[i].path, channels);
    const info = { label: files[i].label, role: files[i].role, width, height, channels };
    images.push({ info, bytes, real: () => decodeImageFile(headers[i], channels, files[i].label) });
  }
  return { title, images };
}

/**
 * The columns of a run's sample grid (samples.png, epochs/epoch-NNNN.png), each a stack of its digits: clean,
 * noisy and denoised, or noisy and denoised for a run without clean images.
 */
export function gridColumnsAsCompareSet(title: string, grid: SampleColumns): CompareSet {
  const columns = [
    ...(grid.clean ? [{ role: 'clean' as const, column: grid.clean }] : []),
    { role: 'noisy' as const, column: grid.noisy },
    { role: 'denoised' as const, column: grid.denoised },
  ];
  return {
    title,
    images: columns.map(({ role, column }) => {
      const height = column.count * column.height;
      const info = { label: role, role, width: column.width, height, channels: 1 as const };
      const pixels = Float32Array.from(column.bytes, (b) => b / 255);
      const real = { name: role, pixels, width: column.width, height, channels: 1 };
      return { info, bytes: column.bytes, real: () => Promise.resolve(real) };
    }),
  };
}

/** The message naming the images, then their pixels in chunks, in the order the page assembles them. */
export function* compareMessages(set: CompareSet): Generator<HostToWebview> {
  yield { type: 'compareImages', title: set.title, images: set.images.map((i) => i.info) };
  for (let image = 0; image < set.images.length; image++) {
    const { bytes } = set.images[image];
    for (let offset = 0; offset < bytes.length; offset += CHUNK_BYTES) {
      const pixels = Buffer.from(bytes.buffer, bytes.byteOffset + offset, Math.min(CHUNK_BYTES, bytes.length - offset));
      yield { type: 'compareChunk', image, offset, pixels: pixels.toString('base64') };
    }
  }
}

/**
 * PSNR and SSIM of every image against the clean one, or undefined without a clean one. SSIM of a
 * 12-megapixel image takes a second or two, which is why this is a message of its own, sent after the pixels.
 */
export async function compareFigures(
  set: CompareSet,
): Promise<Extract<HostToWebview, { type: 'compareFigures' }> | undefined> {
  const clean = set.images.findIndex((i) => i.info.role === 'clean');
  if (clean < 0) return undefined;
  const reference = await set.images[clean].real();
  const figures = [];
  for (let i = 0; i < set.images.length; i++) {
    if (i === clean) continue;
    // One image at a time: a 12-megapixel colour image is 144 MB as floats.
    const { psnr, ssim } = realImageQuality(reference, (await set.images[i].real()).pixels);
    figures.push({ image: i, psnr, ssim });
  }
  return { type: 'compareFigures', figures };
}

/** What an image file is, guessed from its name: "clean", "noisy", "denoised" in it, else an output. */
export function roleFromFileName(name: string): Role {
  const lower = name.toLowerCase();
  if (/denois/.test(lower)) return 'denoised';
  if (/noisy|noise/.test(lower)) return 'noisy';
  if (/clean|original|ground.?truth|\bgt\b/.test(lower)) return 'clean';
  return 'output';
}

/** A run's grid of clean | noisy | denoised columns: its samples.png and each epochs/epoch-NNNN.png. */
export function isSampleGrid(file: string): boolean {
  return /(^|[\\/])samples\.png$/.test(file) || /(^|[\\/])epochs[\\/]epoch-\d+\.png$/.test(file);
}
