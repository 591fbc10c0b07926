import type * as tf from '@tensorflow/tfjs';
import { CBLAS, type BlasLibrary } from './loadBlas';

/*
 * Stride-1 convolutions without a full im2col. Full im2col copies every input value filterHeight x filterWidth
 * times in JavaScript, and that copy, not the sgemm, was most of a 3x3 convolution's time (128x28x28x32:
 * im2col 40 ms, sgemm 20 ms). Here the input is laid out once on a padded grid of
 * (outHeight + (fh-1)d) x (outWidth + (fw-1)d) positions, each holding one filter ROW's worth of values
 * (filterWidth x inChannels: a copy filterWidth times, not fh x fw). Output position p of the padded grid is
 * then the sum over filter rows fy of rows[p + fy*d*gridWidth] x filter[fy]: one sgemm per filter row, on
 * contiguous overlapping rows. Grid positions outside the real output are computed and thrown away
 * (about 15% extra work for a 3x3 'same' on 28x28), and no output position reads across images.
 */

type Geometry = tf.backend_util.Conv2DInfo;

export function rowShiftApplies(g: Geometry): boolean {
  return g.strideHeight === 1 && g.strideWidth === 1 && g.filterHeight > 1;
}

interface Grid {
  height: number;
  width: number;
  /** Values per grid position: filterWidth x inChannels. */
  rowLength: number;
  /** Grid positions of one image. */
  positions: number;
}

function grid(g: Geometry): Grid {
  const height = g.outHeight + (g.filterHeight - 1) * g.dilationHeight;
  const width = g.outWidth + (g.filterWidth - 1) * g.dilationWidth;
  return { height, width, rowLength: g.filterWidth * g.inChannels, positions: height * width };
}

/** Images per chunk so the row buffer stays near 1M floats (4 MB): chunks from 2 to 48 images timed the same. */
function imagesPerChunk(g: Geometry, grd: Grid): number {
  return Math.max(1, Math.floor((1 << 20) / (grd.positions * grd.rowLength)));
}

const scratch: Float32Array[] = [new Float32Array(0), new Float32Array(0)];
function buffer(slot: 0 | 1, size: number): Float32Array {
  if (scratch[slot].length < size) scratch[slot] = new Float32Array(size);
  return scratch[slot].subarray(0, size);
}

/** rows[(image, r, q), fx, c] = x[image, r - padTop, q + fx*d - padLeft, c], zero outside the image. */
function fillRows(x: Float32Array, g: Geometry, grd: Grid, first: number, count: number, rows: Float32Array): void {
  const { inHeight, inWidth, inChannels: c, filterWidth } = g;
  const d = g.dilationWidth;
  let at = 0;
  for (let b = first; b < first + count; b++) {
    const image = b * inHeight * inWidth * c;
    for (let r = 0; r < grd.height; r++) {
      const iy = r - g.padInfo.top;
      if (iy < 0 || iy >= inHeight) {
        rows.fill(0, at, at + grd.width * grd.rowLength);
        at += grd.width * grd.rowLength;
        continue;
      }
      const line = image + iy * inWidth * c;
      for (let q = 0; q < grd.width; q++) {
        for (let fx = 0; fx < filterWidth; fx++, at += c) {
          const ix = q + fx * d - g.padInfo.left;
          if (ix < 0 || ix >= inWidth) rows.fill(0, at, at + c);
          else {
            const from = line + ix * c;
            for (let ch = 0; ch < c; ch++) rows[at + ch] = x[from + ch];
          }
        }
      }
    }
  }
}

/** How many grid positions a per-filter-row sgemm covers: all but the last (fh-1)d grid lines of the chunk. */
const productRows = (g: Geometry, grd: Grid, count: number) => count * grd.positions - (g.filterHeight - 1) * g.dilationHeight * grd.width;

/** y = conv2d(x, filter), stride 1, into y (the whole batch). */
export function rowShiftConv2d(blas: BlasLibrary, x: Float32Array, w: Float32Array, g: Geometry, y: Float32Array): void {
  const grd = grid(g);
  const co = g.outChannels;
  const chunk = imagesPerChunk(g, grd);
  for (let first = 0; first < g.batchSize; first += chunk) {
    const count = Math.min(chunk, g.batchSize - first);
    const rows = buffer(0, count * grd.positions * grd.rowLength);
    const out = buffer(1, count * grd.positions * co);
    fillRows(x, g, grd, first, count, rows);
    const m = productRows(g, grd, count);
    for (let fy = 0; fy < g.filterHeight; fy++) {
      blas.sgemm(
        CBLAS.rowMajor, CBLAS.noTrans, CBLAS.noTrans, m, co, grd.rowLength, 1,
        rows.subarray(fy * g.dilationHeight * grd.width * grd.rowLength), grd.rowLength,
        w.subarray(fy * grd.rowLength * co), co, fy === 0 ? 0 : 1, out, co,
      );
    }
    // Keep the real output positions: the first outWidth of each of the first outHeight grid lines.
    for (let b = 0; b < count; b++) {
      for (let oy = 0; oy < g.outHeight; oy++) {
        const from = (b * grd.positions + oy * grd.width) * co;
        y.set(out.subarray(from, from + g.outWidth * co), (((first + b) * g.outHeight + oy) * g.outWidth) * co);
      }
    }
  }
}

/** dy placed on the grid (zeros at the positions that are not real outputs). */
function fillGridGradient(dy: Float32Array, g: Geometry, grd: Grid, first: number, count: number, out: Float32Array): void {
  const co = g.outChannels;
  out.fill(0);
  for (let b = 0; b < count; b++) {
    for (let oy = 0; oy < g.outHeight; oy++) {
      const from = (((first + b) * g.outHeight + oy) * g.outWidth) * co;
      out.set(dy.subarray(from, from + g.outWidth * co), (b * grd.positions + oy * grd.width) * co);
    }
  }
}

/** dfilter = sum over chunks and filter rows of rows[shifted]ᵀ x dy-on-grid, into dw. */
export function rowShiftBackpropFilter(blas: BlasLibrary, x: Float32Array, dy: Float32Array, g: Geometry, dw: Float32Array): void {
  const grd = grid(g);
  const co = g.outChannels;
  const chunk = imagesPerChunk(g, grd);
  for (let first = 0; first < g.batchSize; first += chunk) {
    const count = Math.min(chunk, g.batchSize - first);
    const rows = buffer(0, count * grd.positions * grd.rowLength);
    const dOut = buffer(1, count * grd.positions * co);
    fillRows(x, g, grd, first, count, rows);
    fillGridGradient(dy, g, grd, first, count, dOut);
    const m = productRows(g, grd, count);
    for (let fy = 0; fy < g.filterHeight; fy++) {
      blas.sgemm(
        CBLAS.rowMajor, CBLAS.trans, CBLAS.noTrans, grd.rowLength, co, m, 1,
        rows.subarray(fy * g.dilationHeight * grd.width * grd.rowLength), grd.rowLength, dOut, co,
        first === 0 ? 0 : 1, dw.subarray(fy * grd.rowLength * co, (fy + 1) * grd.rowLength * co), co,
      );
    }
  }
}

/** dx = conv2dBackpropInput(dy, filter), stride 1: row gradients by sgemm, then each input pixel gathers its filterWidth terms. */
export function rowShiftBackpropInput(blas: BlasLibrary, dy: Float32Array, w: Float32Array, g: Geometry, dx: Float32Array): void {
  const grd = grid(g);
  const { inHeight, inWidth, inChannels: c, outChannels: co, filterWidth } = g;
  const d = g.dilationWidth;
  const chunk = imagesPerChunk(g, grd);
  for (let first = 0; first < g.batchSize; first += chunk) {
    const count = Math.min(chunk, g.batchSize - first);
    const dRows = buffer(0, count * grd.positions * grd.rowLength);
    const dOut = buffer(1, count * grd.positions * co);
    fillGridGradient(dy, g, grd, first, count, dOut);
    dRows.fill(0);
    const m = productRows(g, grd, count);
    for (let fy = 0; fy < g.filterHeight; fy++) {
      blas.sgemm(
        CBLAS.rowMajor, CBLAS.noTrans, CBLAS.trans, m, grd.rowLength, co, 1, dOut, co,
        w.subarray(fy * grd.rowLength * co), co, 1,
        dRows.subarray(fy * g.dilationHeight * grd.width * grd.rowLength), grd.rowLength,
      );
    }
    // dx[iy, ix] = sum over fx of dRows[grid (iy + padTop, ix + padLeft - fx*d), fx].
    for (let b = 0; b < count; b++) {
      for (let iy = 0; iy < inHeight; iy++) {
        const r = iy + g.padInfo.top;
        let to = (((first + b) * inHeight + iy) * inWidth) * c;
        if (r >= grd.height) {
          dx.fill(0, to, to + inWidth * c);
          continue;
        }
        for (let ix = 0; ix < inWidth; ix++, to += c) {
          for (let ch = 0; ch < c; ch++) dx[to + ch] = 0;
          for (let fx = 0; fx < filterWidth; fx++) {
            const q = ix + g.padInfo.left - fx * d;
            if (q < 0 || q >= grd.width) continue;
            const from = ((b * grd.positions + r * grd.width + q) * filterWidth + fx) * c;
            for (let ch = 0; ch < c; ch++) dx[to + ch] += dRows[from + ch];
          }
        }
      }
    }
  }
}
