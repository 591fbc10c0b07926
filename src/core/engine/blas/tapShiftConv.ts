import { CBLAS, type BlasLibrary } from './loadBlas';
import { fillRowsWithBias } from './biasRows';
import {
  copyInputGradientFromGrid,
  copyOutputsFromGrid,
  fillGradientGrid,
  fillInputGrid,
  forEachChunk,
  grid,
  type Geometry,
} from './paddedGrid';

/*
 * Stride-1 convolutions as one small matrix product per filter tap on the padded grid (paddedGrid.ts), with
 * no im2col at all: for each tap the shifted grid rows are an ordinary [positions x inChannels] matrix (row
 * stride inChannels), so each tap is one sgemm accumulating (beta 1) into the output grid.
 *
 * Why: im2col copies every input value fh x fw times in JavaScript, and that copy cost more than the product.
 * Measured once on BENCHMARKS.md's 2-core AVX-512 machine, a 128x28x28x32 3x3 layer: full im2col took 28-45 ms
 * of copying for a 20 ms sgemm; copying by filter rows still 15 ms for a 12 ms sgemm. Here the copies are one
 * pass each way, and OpenBLAS ran the per-tap products (K = channels = 32) at 190-200 GFLOP/s on cache-sized
 * chunks, against 80-90 for the tall im2col product. Against copying by filter rows at batch 128, 3x3 'same':
 * 28x28 32->32 forward 12.6 ms against 28.8, input gradient 11.8 against 31.0, filter gradient 16.2 against
 * 26.4. Where one side has a single channel the per-tap products are outer products or matrix-vector products;
 * oneChannelConv.ts handles those layers.
 */

/** y = conv2d(x, filter) (+ bias), stride 1, for the whole batch. */
export function tapShiftConv2d(
  blas: BlasLibrary,
  x: Float32Array,
  w: Float32Array,
  g: Geometry,
  y: Float32Array,
  bias?: Float32Array,
): void {
  const grd = grid(g);
  const { inChannels: ci, outChannels: co } = g;
  forEachChunk(g, grd, (chunk) => {
    fillInputGrid(x, g, grd, chunk);
    const { inputGrid: input, outputGrid: out, rows: m } = chunk;
    if (bias) fillRowsWithBias(blas, out, m, bias);
    grd.offsets.forEach((offset, tap) => {
      blas.sgemm(
        CBLAS.rowMajor,
        CBLAS.noTrans,
        CBLAS.noTrans,
        m,
        co,
        ci,
        1,
        input.subarray(offset * ci),
        ci,
        w.subarray(tap * ci * co, (tap + 1) * ci * co),
        co,
        tap === 0 && !bias ? 0 : 1,
        out,
        co,
      );
    });
    copyOutputsFromGrid(g, grd, chunk, y);
  });
}

/**
 * The filter gradient below needs the taps of a filter row to be adjacent on the grid (TensorFlow.js never asks for a
 * dilated one).
 */
export function filterGradientOnGridApplies(g: Geometry): boolean {
  return g.dilationWidth === 1;
}

/**
 * dfilter = sum over chunks of grid[shifted by tap]ᵀ x dy-on-grid, into dw. Where the taps of a filter row are
 * adjacent grid positions (no dilation across), one product covers a whole filter row: the fw positions from p
 * onwards are fw x inChannels contiguous floats, so taking every fw-th output position p (the rows of one
 * "phase" j, p = j + fw r) makes an ordinary matrix with row stride fw x inChannels. That is fw products of
 * [fw*ci x co] per filter row instead of fw x fh products of [ci x co]: 32->32 3x3, 2 threads, measured once on
 * BENCHMARKS.md's 2-core AVX-512 machine, the products ran at 190 GFLOP/s instead of 155 (long sums into small
 * 32x32 tiles are what OpenBLAS does worst), and the pass took 12.7 ms instead of 14.8. Needs dilationWidth 1
 * (filterGradientOnGridApplies).
 */
export function tapShiftBackpropFilter(
  blas: BlasLibrary,
  x: Float32Array,
  dy: Float32Array,
  g: Geometry,
  dw: Float32Array,
): void {
  const grd = grid(g);
  const { inChannels: ci, outChannels: co, filterHeight: fh, filterWidth: fw } = g;
  forEachChunk(g, grd, (chunk) => {
    fillInputGrid(x, g, grd, chunk);
    fillGradientGrid(dy, g, grd, chunk);
    const { inputGrid: input, outputGrid: dOut, rows: m } = chunk;
    for (let fy = 0; fy < fh; fy++) {
      const rowOffset = grd.offsets[fy * fw];
      for (let phase = 0; phase < fw && phase < m; phase++) {
        blas.sgemm(
          CBLAS.rowMajor,
          CBLAS.trans,
          CBLAS.noTrans,
          fw * ci,
          co,
          Math.ceil((m - phase) / fw),
          1,
          input.subarray((phase + rowOffset) * ci),
          fw * ci,
          dOut.subarray(phase * co),
          fw * co,
          chunk.first === 0 && phase === 0 ? 0 : 1,
          dw.subarray(fy * fw * ci * co, (fy + 1) * fw * ci * co),
          co,
        );
      }
    }
  });
}

/**
 * dx = conv2dBackpropInput(dy, filter), stride 1: each tap adds dy-on-grid x filter[tap]ᵀ onto the input grid shifted
 * by the tap; dx is the grid's interior.
 */
export function tapShiftBackpropInput(
  blas: BlasLibrary,
  dy: Float32Array,
  w: Float32Array,
  g: Geometry,
  dx: Float32Array,
): void {
  const grd = grid(g);
  const { inChannels: ci, outChannels: co } = g;
  forEachChunk(g, grd, (chunk) => {
    fillGradientGrid(dy, g, grd, chunk);
    const { inputGrid: dInput, outputGrid: dOut, rows: m } = chunk;
    dInput.fill(0);
    grd.offsets.forEach((offset, tap) => {
      blas.sgemm(
        CBLAS.rowMajor,
        CBLAS.noTrans,
        CBLAS.trans,
        m,
        ci,
        co,
        1,
        dOut,
        co,
        w.subarray(tap * ci * co, (tap + 1) * ci * co),
        co,
        1,
        dInput.subarray(offset * ci),
        ci,
      );
    });
    copyInputGradientFromGrid(dInput, g, grd, chunk, dx);
  });
}
