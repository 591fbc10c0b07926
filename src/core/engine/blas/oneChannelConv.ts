import { CBLAS, type BlasLibrary } from './loadBlas';
import { fillRowsWithBias } from './biasRows';
import {
  copyInputGradientFromGrid,
  copyOutputsFromGrid,
  fillGradientGrid,
  fillInputGrid,
  forEachChunk,
  grid,
  gridApplies,
  scratchBuffer,
  type Geometry,
  type Grid,
} from './paddedGrid';

/*
 * Stride-1 convolutions where the input or the output has a single channel: a grayscale image going into the
 * first layer, or the last layer's one-channel output (the residual CNN's noise estimate). On the padded grid
 * (paddedGrid.ts) one product per filter tap would be an outer product or a matrix-vector product, which
 * OpenBLAS runs at 10-30 GFLOP/s. Here the one-channel side is laid out once per chunk as [taps x positions]
 * rows, each row that side shifted by one tap's offset (one contiguous copy per tap, a ninth of a 32-channel
 * grid for 3x3), and each pass is a single product with all taps in it. Timed once on BENCHMARKS.md's 2-core
 * AVX-512 machine at batch 128, 28x28, 3x3 'same', 2 threads, against one product per tap:
 * 1->32 forward 3.1 -> 1.0 ms, filter gradient 5.8 -> 1.9;
 * 32->1 forward 5.0 -> 2.9, input gradient 3.1 -> 1.0, filter gradient 6.8 -> 1.9.
 */

/** Stride 1 on the grid, with one channel on the input side or the output side. */
export function oneChannelApplies(g: Geometry): boolean {
  return gridApplies(g) && (g.inChannels === 1 || g.outChannels === 1);
}

/** [taps x length]: row t is the one-channel input grid seen from tap t, grid[offset_t .. offset_t + length). */
function inputSeenByTaps(inputGrid: Float32Array, grd: Grid, length: number): Float32Array {
  const rows = scratchBuffer(2, grd.offsets.length * length);
  grd.offsets.forEach((offset, tap) => rows.set(inputGrid.subarray(offset, offset + length), tap * length));
  return rows;
}

/**
 * [taps x positions]: row t is the one-channel output gradient as tap t sends it back onto the input grid,
 * dy[q - offset_t] at position q, zero where that falls outside dy's first `length` positions.
 */
function gradientSentByTaps(gradientGrid: Float32Array, grd: Grid, length: number, positions: number): Float32Array {
  const rows = scratchBuffer(2, grd.offsets.length * positions).fill(0);
  grd.offsets.forEach((offset, tap) => rows.set(gradientGrid.subarray(0, length), tap * positions + offset));
  return rows;
}

/**
 * to[at..at+length) += from[start..start+length). A plain loop: 30% faster than the same loop in a forEach
 * callback (measured once on BENCHMARKS.md's 2-core AVX-512 machine).
 */
function addInto(to: Float32Array, at: number, from: Float32Array, start: number, length: number): void {
  for (let i = 0; i < length; i++) to[at + i] += from[start + i];
}

/** y = conv2d(x, filter) (+ bias), stride 1, one channel in or out. */
export function oneChannelConv2d(
  blas: BlasLibrary,
  x: Float32Array,
  w: Float32Array,
  g: Geometry,
  y: Float32Array,
  bias?: Float32Array,
): void {
  const grd = grid(g);
  const taps = grd.offsets.length;
  const { inChannels: ci, outChannels: co } = g;
  forEachChunk(g, grd, (chunk) => {
    fillInputGrid(x, g, grd, chunk);
    const { inputGrid: input, outputGrid: out, rows: m, positions } = chunk;
    if (ci === 1) {
      // y [m x co] = (input seen by taps)ᵀ x filter, the filter read as [taps x co].
      if (bias) fillRowsWithBias(blas, out, m, bias);
      blas.sgemm(
        CBLAS.rowMajor,
        CBLAS.trans,
        CBLAS.noTrans,
        m,
        co,
        taps,
        1,
        inputSeenByTaps(input, grd, m),
        m,
        w,
        co,
        bias ? 1 : 0,
        out,
        co,
      );
    } else {
      // One output channel: what every grid position gives each tap, [taps x positions] = filter [taps x ci] x gridᵀ;
      // y[p] adds up tap t's row at p + offset_t.
      const given = scratchBuffer(2, taps * positions);
      blas.sgemm(
        CBLAS.rowMajor,
        CBLAS.noTrans,
        CBLAS.trans,
        taps,
        positions,
        ci,
        1,
        w,
        ci,
        input,
        ci,
        0,
        given,
        positions,
      );
      out.fill(bias ? bias[0] : 0, 0, m);
      for (let tap = 0; tap < taps; tap++) addInto(out, 0, given, tap * positions + grd.offsets[tap], m);
    }
    copyOutputsFromGrid(g, grd, chunk, y);
  });
}

/** dx = conv2dBackpropInput(dy, filter), stride 1, one channel in or out. */
export function oneChannelBackpropInput(
  blas: BlasLibrary,
  dy: Float32Array,
  w: Float32Array,
  g: Geometry,
  dx: Float32Array,
): void {
  const grd = grid(g);
  const taps = grd.offsets.length;
  const { inChannels: ci, outChannels: co } = g;
  forEachChunk(g, grd, (chunk) => {
    fillGradientGrid(dy, g, grd, chunk);
    const { inputGrid: dInput, outputGrid: dOut, rows: m, positions } = chunk;
    if (co === 1) {
      // dInput [positions x ci] = (dy sent back by the taps)ᵀ x filter, the filter read as [taps x ci].
      blas.sgemm(
        CBLAS.rowMajor,
        CBLAS.trans,
        CBLAS.noTrans,
        positions,
        ci,
        taps,
        1,
        gradientSentByTaps(dOut, grd, m, positions),
        positions,
        w,
        ci,
        0,
        dInput,
        ci,
      );
    } else {
      // One input channel: [taps x m] = filter [taps x co] x dyᵀ, and tap t's row lands on the grid at offset_t.
      const sent = scratchBuffer(2, taps * m);
      blas.sgemm(CBLAS.rowMajor, CBLAS.noTrans, CBLAS.trans, taps, m, co, 1, w, co, dOut, co, 0, sent, m);
      dInput.fill(0);
      for (let tap = 0; tap < taps; tap++) addInto(dInput, grd.offsets[tap], sent, tap * m, m);
    }
    copyInputGradientFromGrid(dInput, g, grd, chunk, dx);
  });
}

/**
 * dfilter = conv2dBackpropFilter(x, dy), stride 1, one channel in or out: one product per chunk, accumulated (beta 1)
 * into dw.
 */
export function oneChannelBackpropFilter(
  blas: BlasLibrary,
  x: Float32Array,
  dy: Float32Array,
  g: Geometry,
  dw: Float32Array,
): void {
  const grd = grid(g);
  const taps = grd.offsets.length;
  const { inChannels: ci, outChannels: co } = g;
  forEachChunk(g, grd, (chunk) => {
    fillInputGrid(x, g, grd, chunk);
    fillGradientGrid(dy, g, grd, chunk);
    const { inputGrid: input, outputGrid: dOut, rows: m, positions } = chunk;
    const beta = chunk.first === 0 ? 0 : 1;
    if (ci === 1) {
      // dw [taps x co] = (input seen by taps) [taps x m] x dy [m x co].
      blas.sgemm(
        CBLAS.rowMajor,
        CBLAS.noTrans,
        CBLAS.noTrans,
        taps,
        co,
        m,
        1,
        inputSeenByTaps(input, grd, m),
        m,
        dOut,
        co,
        beta,
        dw,
        co,
      );
    } else {
      // One output channel: dw [taps x ci] = (dy sent back by the taps) [taps x positions] x grid [positions x ci].
      blas.sgemm(
        CBLAS.rowMajor,
        CBLAS.noTrans,
        CBLAS.noTrans,
        taps,
        ci,
        positions,
        1,
        gradientSentByTaps(dOut, grd, m, positions),
        positions,
        input,
        ci,
        beta,
        dw,
        ci,
      );
    }
  });
}
