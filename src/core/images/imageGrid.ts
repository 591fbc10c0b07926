import { encodeGrayPng, type GrayImage } from './png';

/** `count` same-sized gray images one after another in `pixels` (the layout of data's ImageSet). */
export interface GridImages extends GrayImage {
  readonly count: number;
}

export interface GridColumn {
  /** Names the column in error messages; the webview draws the labels itself. */
  readonly title: string;
  readonly images: GridImages;
}

export interface GridOptions {
  /** Integer nearest-neighbour magnification of every image (default 2). */
  readonly scale?: number;
  /** Pixels of background between neighbouring cells (default 2). */
  readonly gap?: number;
}

export interface ImageGrid {
  readonly png: Buffer;
  readonly width: number;
  readonly height: number;
}

/** Grey of the gaps: dark enough to frame white strokes, light enough to tell apart from a black image. */
export const GRID_BACKGROUND = 0.25;

/**
 * Draws the images of each column top to bottom, columns side by side (e.g. clean | noisy | denoised),
 * so that row k compares the k-th image of every column. Cell (column c, row k) starts at
 * x = c * (width * scale + gap), y = k * (height * scale + gap).
 */
export function renderImageGrid(columns: readonly GridColumn[], options: GridOptions = {}): ImageGrid {
  const scale = options.scale ?? 2;
  const gap = options.gap ?? 2;
  if (!Number.isInteger(scale) || scale < 1)
    throw new RangeError(`grid scale must be a positive integer, got ${scale}`);
  if (!Number.isInteger(gap) || gap < 0) throw new RangeError(`grid gap must be a non-negative integer, got ${gap}`);
  if (columns.length === 0) throw new RangeError('an image grid needs at least one column');
  const first = columns[0];
  const { count, height: h, width: w } = first.images;
  for (const column of columns) {
    const { images } = column;
    if (images.count !== count || images.height !== h || images.width !== w) {
      throw new RangeError(
        `grid column "${column.title}" has ${images.count} images of ${images.width}x${images.height} ` +
          `but column "${first.title}" has ${count} images of ${w}x${h}; all columns must match`,
      );
    }
  }
  if (count === 0) throw new RangeError('an image grid needs at least one image per column');

  const cellWidth = w * scale;
  const cellHeight = h * scale;
  const width = columns.length * cellWidth + (columns.length - 1) * gap;
  const height = count * cellHeight + (count - 1) * gap;
  const out = new Float32Array(width * height).fill(GRID_BACKGROUND);
  columns.forEach(({ images }, c) => {
    const x0 = c * (cellWidth + gap);
    for (let k = 0; k < count; k++) {
      const y0 = k * (cellHeight + gap);
      const image = k * h * w;
      for (let y = 0; y < cellHeight; y++) {
        const srcRow = image + Math.floor(y / scale) * w;
        const dstRow = (y0 + y) * width + x0;
        for (let x = 0; x < cellWidth; x++) out[dstRow + x] = images.pixels[srcRow + Math.floor(x / scale)];
      }
    }
  });
  return { png: encodeGrayPng(out, width, height), width, height };
}
