/*
 * The layout the direct residual-CNN step (residualCnnStep.ts) keeps every activation and gradient in: the
 * whole batch on one zero-padded grid per layer, NHWC, as paddedGrid.ts lays out a chunk for one
 * convolution. The difference is that a layer's output is written straight onto the next layer's input
 * grid, so nothing is copied onto or off a grid between layers.
 *
 * For a k x k 'same' convolution (k odd, p = (k-1)/2) a grid line is an image line plus p zero columns, and
 * an image is p zero lines plus its lines; neighbours share their zeros. Pixel (b, y, x) sits at position
 *   b*P + (y+p)*W' + (x+p),   W' = width + p,  P = (height + p) * W'.
 * Output q of a product over grid positions is sum over taps t of grid[q + offset_t] x filter[t], with
 * offset_t = fy*W' + fx; output q belongs to the pixel at position q + center (center = p*W' + p), which is
 * where it is written. Products run over q in [0, rows): the last real output of the batch is rows - 1, and
 * q + center then ends exactly at n*P. Positions at or past n*P, and in the padding, must hold zeros when a
 * product reads them; `clearPadding` restores that after a product wrote junk there.
 */

/** Zeros in `count` runs of `length` floats of grid, `stride` floats apart, the first at grid[start]. */
export type ZeroRuns = (grid: Float32Array, start: number, count: number, stride: number, length: number) => void;

const fillRuns: ZeroRuns = (grid, start, count, stride, length) => {
  for (let i = 0, at = start; i < count; i++, at += stride) grid.fill(0, at, at + length);
};

export class BatchGrid {
  readonly pad: number;
  /** W': positions per grid line. */
  readonly lineWidth: number;
  /** P: positions per image. */
  readonly imagePositions: number;
  /** Tap offsets in filter order (fy, fx), in positions. */
  readonly offsets: readonly number[];
  /** Where output q is written: q + center is its pixel's position. */
  readonly center: number;

  constructor(
    readonly height: number,
    readonly width: number,
    readonly kernel: number,
  ) {
    this.pad = (kernel - 1) / 2;
    this.lineWidth = width + this.pad;
    this.imagePositions = (height + this.pad) * this.lineWidth;
    const offsets: number[] = [];
    for (let fy = 0; fy < kernel; fy++) for (let fx = 0; fx < kernel; fx++) offsets.push(fy * this.lineWidth + fx);
    this.offsets = offsets;
    this.center = this.pad * this.lineWidth + this.pad;
  }

  /** Output positions a product covers for n images. */
  rows(n: number): number {
    return (n - 1) * this.imagePositions + (this.height - 1) * this.lineWidth + this.width;
  }

  /** Grid positions that n images' products read: their rows plus the last tap's offset. */
  length(n: number): number {
    return this.rows(n) + this.offsets[this.offsets.length - 1];
  }

  /** Grid position of pixel (b, y, 0). */
  lineStart(b: number, y: number): number {
    return b * this.imagePositions + (y + this.pad) * this.lineWidth + this.pad;
  }

  /**
   * Zeros at every position of the first length(n) that is not a pixel of the n images: the padding lines and
   * columns a product just wrote junk into, and whatever an earlier, larger batch left past the last image.
   * zeroRuns does the work (the step passes a WebAssembly one: as Float32Array fills the zeroing took
   * 0.9-1.5 ms a step, measured once on BENCHMARKS.md's 2-core AVX-512 machine).
   */
  clearPadding(grid: Float32Array, channels: number, n: number, zeroRuns: ZeroRuns = fillRuns): void {
    const { pad, lineWidth, imagePositions, height } = this;
    // The first p columns of every grid line: a line's left padding and the line before's right padding.
    zeroRuns(grid, 0, n * (height + pad), lineWidth * channels, pad * channels);
    // The p padding lines at the top of each image (the bottom padding of the image before).
    zeroRuns(grid, 0, n, imagePositions * channels, pad * lineWidth * channels);
    grid.fill(0, n * imagePositions * channels, this.length(n) * channels);
  }

  /** The images' pixels (n rows of height*width, one channel) onto a one-channel grid, zeros elsewhere. */
  fillFromImages(grid: Float32Array, images: Float32Array, n: number): void {
    const { height, width } = this;
    grid.fill(0, 0, this.length(n));
    for (let b = 0; b < n; b++) {
      for (let y = 0; y < height; y++) {
        const from = (b * height + y) * width;
        grid.set(images.subarray(from, from + width), this.lineStart(b, y));
      }
    }
  }

  /**
   * Calls visit(q0, q1) for runs of the output rows [start, end), a few images each, so a product's operands stay
   * cache-sized.
   */
  forEachChunk(start: number, end: number, channels: number, visit: (q0: number, q1: number) => void): void {
    // About 256K floats per grid chunk, as in paddedGrid.ts (8-image chunks timed 7% faster than 32-image
    // ones, once, on BENCHMARKS.md's 2-core AVX-512 machine).
    const step = Math.max(1, Math.floor((256 << 10) / (this.imagePositions * channels))) * this.imagePositions;
    for (let q0 = start; q0 < end; q0 += step) visit(q0, Math.min(end, q0 + step));
  }
}
