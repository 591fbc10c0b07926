import type * as tf from '@tensorflow/tfjs';

/** The geometry of one NHWC 2-D convolution, as tfjs's backend_util.computeConv2DInfo gives it. */
export type ConvGeometry = Pick<
  tf.backend_util.Conv2DInfo,
  | 'inHeight'
  | 'inWidth'
  | 'inChannels'
  | 'outHeight'
  | 'outWidth'
  | 'strideHeight'
  | 'strideWidth'
  | 'dilationHeight'
  | 'dilationWidth'
  | 'filterHeight'
  | 'filterWidth'
  | 'padInfo'
>;

/*
 * im2col / col2im written by hand: tfjs exposes no reusable im2col for the wasm backend (its XNNPACK convs
 * keep theirs inside the wasm module), and these are a few nested loops. A column row is one output pixel;
 * its (filterY, filterX, channel) order matches a [filterHeight, filterWidth, inChannels, outChannels]
 * filter read as a [filterHeight * filterWidth * inChannels, outChannels] matrix, so the convolution is one
 * matrix product with it.
 */

/**
 * Walks the column entries of images first..first+count-1 in column order: for each (output pixel, filter
 * tap) run of inChannels values, visit(columnAt, inputAt) with inputAt -1 where the tap falls in the padding.
 * im2col and its adjoint share this walk; only what they do with a run differs.
 */
function forEachColumnRun(
  g: ConvGeometry,
  first: number,
  count: number,
  visit: (columnAt: number, inputAt: number) => void,
): void {
  const { inHeight, inWidth, inChannels: c, outHeight, outWidth, filterHeight, filterWidth } = g;
  let at = 0;
  for (let b = first; b < first + count; b++) {
    const image = b * inHeight * inWidth * c;
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        for (let fy = 0; fy < filterHeight; fy++) {
          const iy = oy * g.strideHeight - g.padInfo.top + fy * g.dilationHeight;
          for (let fx = 0; fx < filterWidth; fx++, at += c) {
            const ix = ox * g.strideWidth - g.padInfo.left + fx * g.dilationWidth;
            visit(at, iy < 0 || iy >= inHeight || ix < 0 || ix >= inWidth ? -1 : image + (iy * inWidth + ix) * c);
          }
        }
      }
    }
  }
}

/**
 * Fills cols ([count * outHeight * outWidth, filterHeight * filterWidth * inChannels]) from images
 * first..first+count-1.
 */
export function im2col(x: Float32Array, g: ConvGeometry, first: number, count: number, cols: Float32Array): void {
  const c = g.inChannels;
  forEachColumnRun(g, first, count, (at, from) => {
    if (from < 0) cols.fill(0, at, at + c);
    else for (let ch = 0; ch < c; ch++) cols[at + ch] = x[from + ch];
  });
}

/** The adjoint of im2col: adds each column entry back onto the input pixel it was read from (dx must start at zero). */
export function col2imAdd(cols: Float32Array, g: ConvGeometry, first: number, count: number, dx: Float32Array): void {
  const c = g.inChannels;
  forEachColumnRun(g, first, count, (at, to) => {
    if (to >= 0) for (let ch = 0; ch < c; ch++) dx[to + ch] += cols[at + ch];
  });
}

/** Calls visit for each chunk of at most `chunk` images of the batch. */
export function forEachImageChunk(
  batchSize: number,
  chunk: number,
  visit: (first: number, count: number) => void,
): void {
  for (let first = 0; first < batchSize; first += chunk) visit(first, Math.min(chunk, batchSize - first));
}

/** True when the columns are the input itself (1x1 filter, stride 1, no padding), so im2col can be skipped. */
export function columnsAreInput(g: ConvGeometry): boolean {
  const p = g.padInfo;
  return (
    g.filterHeight === 1 &&
    g.filterWidth === 1 &&
    g.strideHeight === 1 &&
    g.strideWidth === 1 &&
    p.top === 0 &&
    p.left === 0 &&
    p.bottom === 0 &&
    p.right === 0
  );
}

/** How many images to put in one column buffer: about 4M floats (16 MB), at least one image. */
export function imagesPerChunk(g: ConvGeometry): number {
  const perImage = g.outHeight * g.outWidth * g.filterHeight * g.filterWidth * g.inChannels;
  return Math.max(1, Math.floor((4 << 20) / Math.max(1, perImage)));
}
