/**
 * Where each image goes in a grid of columns (e.g. clean | noisy | denoised) with one row per image,
 * and how large to show it: pixels are scaled by a whole number so they stay square and crisp.
 */
export interface GridLayout {
  /** Size of the canvas in image pixels. */
  readonly width: number;
  readonly height: number;
  /** Top-left corner of column c, row k. */
  cell(column: number, row: number): { x: number; y: number };
}

export function gridLayout(
  columns: number,
  rows: number,
  imageWidth: number,
  imageHeight: number,
  gap = 1,
): GridLayout {
  if (columns < 1 || rows < 1) return { width: 0, height: 0, cell: () => ({ x: 0, y: 0 }) };
  return {
    width: columns * imageWidth + (columns - 1) * gap,
    height: rows * imageHeight + (rows - 1) * gap,
    cell: (column, row) => ({ x: column * (imageWidth + gap), y: row * (imageHeight + gap) }),
  };
}

/**
 * The whole-number magnification that fits `width` image pixels into `available` CSS pixels, between 1
 * and `max` (MNIST digits at 3× are 84 px, large enough to read, small enough for a narrow panel).
 */
export function displayScale(width: number, available: number, max = 3): number {
  if (width <= 0) return 1;
  return Math.max(1, Math.min(max, Math.floor(available / width)));
}

/** Gray bytes to RGBA, the format ImageData wants. */
export function grayToRgba(gray: Uint8Array, rgba: Uint8ClampedArray, offset = 0): void {
  for (let i = 0; i < gray.length; i++) {
    const o = (offset + i) * 4;
    rgba[o] = rgba[o + 1] = rgba[o + 2] = gray[i];
    rgba[o + 3] = 255;
  }
}
