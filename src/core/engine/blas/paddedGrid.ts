import type * as tf from '@tensorflow/tfjs';
import { columnsAreInput, forEachImageChunk } from './im2col';

/*
 * The zero-padded grid that stride-1 convolutions run on (tapShiftConv.ts, oneChannelConv.ts).
 * The input is copied once onto a grid, NHWC, so a position's channels are contiguous. Output position p of
 * the same grid is then
 *   y[p] = sum over taps t = (fy, fx) of grid[p + offset_t] x filter[t],   offset_t = fy*d*gridWidth + fx*d
 * Neighbouring lines share their padding: a grid line is the input line plus max(left, right) zero columns,
 * and a tap that reads past a line's end lands in the next line's zero columns, which serve as this line's
 * right padding. Images share their top and bottom padding rows the same way. Grid positions that are not
 * real outputs are computed and dropped: 7% of them for a 3x3 'same' on 28x28 (29x29 positions per image,
 * against 15% with each line and image padded on its own, 30x30). The batch goes through in chunks of
 * images so the grids stay cache-sized.
 */

export type Geometry = tf.backend_util.Conv2DInfo;

/** Stride 1, except where the input already is its own column matrix (1x1, no padding): that needs no copy at all. */
export function gridApplies(g: Geometry): boolean {
  return g.strideHeight === 1 && g.strideWidth === 1 && !columnsAreInput(g);
}

export interface Grid {
  height: number;
  width: number;
  /** Grid positions of one image. */
  positions: number;
  /** Grid offsets of the taps, in positions, in filter order (fy, fx). */
  offsets: number[];
  /** The largest offset: a chunk's grid holds its rows plus this many positions, which the last taps read. */
  last: number;
}

export function grid(g: Geometry): Grid {
  const { top, bottom, left, right } = g.padInfo;
  // At stride 1, outWidth + (fw-1)d = left + inWidth + right: max(left, right) zero columns cover both sides.
  const height = g.inHeight + Math.max(top, bottom);
  const width = g.inWidth + Math.max(left, right);
  const offsets: number[] = [];
  for (let fy = 0; fy < g.filterHeight; fy++) {
    for (let fx = 0; fx < g.filterWidth; fx++) offsets.push(fy * g.dilationHeight * width + fx * g.dilationWidth);
  }
  return { height, width, positions: height * width, offsets, last: offsets[offsets.length - 1] };
}

/** One chunk of images on the grid. */
export interface Chunk {
  first: number;
  count: number;
  /** Grid positions of the chunk: its rows plus the grid's last offset (what the last taps read). */
  positions: number;
  /** Rows of a product over output positions: the chunk's last real output is row rows - 1. */
  rows: number;
  /** Input-side grid, [positions x inChannels]. */
  inputGrid: Float32Array;
  /** Output-side grid, [positions x outChannels]. */
  outputGrid: Float32Array;
}

/**
 * Images per chunk so the larger grid buffer stays near 256K floats (1 MB, cache-sized): 8-image chunks timed
 * 7% faster than 32-image ones, once, on BENCHMARKS.md's 2-core AVX-512 machine.
 */
function imagesPerChunk(grd: Grid, channels: number): number {
  return Math.max(1, Math.floor((256 << 10) / (grd.positions * channels)));
}

const scratch: Float32Array[] = [new Float32Array(0), new Float32Array(0), new Float32Array(0)];

/** A reusable scratch buffer (slot 0 and 1: the grids; slot 2: whatever a strategy needs besides). */
export function scratchBuffer(slot: 0 | 1 | 2, size: number): Float32Array {
  if (scratch[slot].length < size) scratch[slot] = new Float32Array(size);
  return scratch[slot].subarray(0, size);
}

/** Calls visit for each chunk of images with its grid buffers (contents left as they were: the visitor fills them). */
export function forEachChunk(g: Geometry, grd: Grid, visit: (chunk: Chunk) => void): void {
  const { inChannels: ci, outChannels: co } = g;
  forEachImageChunk(g.batchSize, imagesPerChunk(grd, Math.max(ci, co)), (first, count) => {
    const rows = (count - 1) * grd.positions + (g.outHeight - 1) * grd.width + g.outWidth;
    const positions = rows + grd.last;
    visit({
      first,
      count,
      positions,
      rows,
      inputGrid: scratchBuffer(0, positions * ci),
      outputGrid: scratchBuffer(1, positions * co),
    });
  });
}

/** The padded input grid of the chunk's images (zeros outside the image). */
export function fillInputGrid(x: Float32Array, g: Geometry, grd: Grid, chunk: Chunk): void {
  const { inHeight, inWidth, inChannels: c } = g;
  const { top, left } = g.padInfo;
  const out = chunk.inputGrid;
  out.fill(0);
  for (let b = 0; b < chunk.count; b++) {
    for (let iy = 0; iy < inHeight; iy++) {
      const r = iy + top;
      if (r >= grd.height) break;
      const from = ((chunk.first + b) * inHeight + iy) * inWidth * c;
      out.set(
        x.subarray(from, from + Math.min(inWidth, grd.width - left) * c),
        ((b * grd.height + r) * grd.width + left) * c,
      );
    }
  }
}

/**
 * An output-shaped tensor (y or dy) to or from its place on the grid: the first outWidth of the first outHeight lines
 * of each image.
 */
function forEachOutputLine(
  g: Geometry,
  grd: Grid,
  chunk: Chunk,
  visit: (tensorAt: number, gridAt: number, length: number) => void,
): void {
  const co = g.outChannels;
  for (let b = 0; b < chunk.count; b++) {
    for (let oy = 0; oy < g.outHeight; oy++) {
      visit(
        ((chunk.first + b) * g.outHeight + oy) * g.outWidth * co,
        (b * grd.positions + oy * grd.width) * co,
        g.outWidth * co,
      );
    }
  }
}

/** The real outputs of the chunk's output grid into y. */
export function copyOutputsFromGrid(g: Geometry, grd: Grid, chunk: Chunk, y: Float32Array): void {
  const out = chunk.outputGrid;
  forEachOutputLine(g, grd, chunk, (tensorAt, gridAt, length) =>
    y.set(out.subarray(gridAt, gridAt + length), tensorAt),
  );
}

/** dy onto the chunk's output grid, zeros at the positions that are not real outputs. */
export function fillGradientGrid(dy: Float32Array, g: Geometry, grd: Grid, chunk: Chunk): void {
  const out = chunk.outputGrid;
  out.fill(0);
  forEachOutputLine(g, grd, chunk, (tensorAt, gridAt, length) =>
    out.set(dy.subarray(tensorAt, tensorAt + length), gridAt),
  );
}

/**
 * dx of the chunk's images from the gradient on the input grid: the grid's interior (zero where padding cropped the
 * input).
 */
export function copyInputGradientFromGrid(
  dInput: Float32Array,
  g: Geometry,
  grd: Grid,
  chunk: Chunk,
  dx: Float32Array,
): void {
  const { inHeight, inWidth, inChannels: ci } = g;
  const { top, left } = g.padInfo;
  for (let b = 0; b < chunk.count; b++) {
    for (let iy = 0; iy < inHeight; iy++) {
      const r = iy + top;
      const to = ((chunk.first + b) * inHeight + iy) * inWidth * ci;
      const length = r < grd.height ? Math.min(inWidth, grd.width - left) * ci : 0;
      // Input lines and columns beyond the grid (only where padding crops the input) get no gradient.
      if (length < inWidth * ci) dx.fill(0, to + length, to + inWidth * ci);
      if (length > 0) {
        const from = ((b * grd.height + r) * grd.width + left) * ci;
        dx.set(dInput.subarray(from, from + length), to);
      }
    }
  }
}
