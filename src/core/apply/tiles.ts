import type * as tf from '@tensorflow/tfjs';
import type { WholeImagePredictor } from '../models/wholeImagePredictor';

/** How an image is cut: the side of each tile's kept core and the overlap read around it, both in pixels. */
export interface TilePlan {
  readonly tile: number;
  readonly margin: number;
}

/**
 * Bytes of working memory per pixel of a tile while the network runs: the widest layer's output, its input
 * and the 3x3 patch matrix a CPU convolution builds (9 values per input channel), 4 bytes each, doubled
 * for what the engine keeps alive between layers. An estimate on the safe side, not a measurement.
 */
export function bytesPerTilePixel(model: tf.LayersModel): number {
  let widest = 1;
  for (const layer of model.layers) {
    const filters = (layer.getConfig() as { filters?: number }).filters;
    if (filters && filters > widest) widest = filters;
  }
  return 4 * widest * (1 + 1 + 9) * 2;
}

const roundUp = (n: number, m: number) => Math.ceil(n / m) * m;

/**
 * The tile side for a memory budget: the largest tile whose window (tile plus the margin on both sides)
 * fits, a multiple of what the model's pooling divides, at least one such multiple.
 */
export function planTiles(options: {
  tile?: number;
  memoryMb: number;
  radius: number;
  multiple: number;
  bytesPerPixel: number;
}): TilePlan {
  const margin = roundUp(options.radius, options.multiple);
  if (options.tile !== undefined) return { tile: roundUp(options.tile, options.multiple), margin };
  const windowSide = Math.floor(Math.sqrt((options.memoryMb * 2 ** 20) / options.bytesPerPixel));
  const tile = Math.floor((windowSide - 2 * margin) / options.multiple) * options.multiple;
  return { tile: Math.max(options.multiple, tile), margin };
}

/**
 * An image as predictTiled reads and writes it, band of tiles by band: windows out as floats in [0,1], each
 * tile's kept core back in, then the band ended. What holds the pixels (sampleTiles.ts: the file's own 8- or
 * 16-bit samples, overwritten in place) decides how little memory that takes.
 */
export interface TiledImage {
  readonly name: string;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  /** Rows [y0, y1) and columns [x0, x1) of the input, mirrored past its bottom and right edges (padSymmetric). */
  window(y0: number, y1: number, x0: number, x1: number): Float32Array;
  /** `count` pixels of a result, from pixel `from` of `values`, for row y from column x. */
  keep(y: number, x: number, values: Float32Array, from: number, count: number): void;
  /** Every pixel of rows [y0, y1) is kept; windows still to come read the input's rows from `stillRead` on. */
  endBand(y0: number, y1: number, stillRead: number): void;
}

/**
 * Tile cores along one side of `length` pixels: as few as tiles of at most `tile` allow, of equal size (a
 * multiple of the pooling's), so no thin last row of tiles costs a whole window's overlap for a few pixels.
 */
function balancedTile(length: number, tile: number, multiple: number): number {
  const count = Math.ceil(length / tile);
  return Math.min(tile, roundUp(Math.ceil(length / count), multiple));
}

/**
 * Where the window around the core [core0, core1) of a side of `length` starts: `margin` before the core, moved
 * inward at the image's edges so every window has the same `window` length (one network plan for all tiles;
 * the core keeps at least `margin` of context on each side that has any).
 */
function windowStart(core0: number, margin: number, window: number, length: number): number {
  return Math.max(0, Math.min(core0 - margin, length - window));
}

/**
 * The denoised image computed tile by tile: each tile is predicted with `margin` pixels of its neighbours
 * around it and only its core is kept, so with a margin of at least the receptive field the result is the
 * whole-image one. The image is mirrored out to the multiple the model's pooling needs (as whole-image
 * prediction does), and tiles start on that multiple so pooling sees the same grid. Every window has the same
 * size, so the network is planned once per image. `onTile` reports progress (tiles done, tiles in all).
 */
export function predictTiled(
  predictor: WholeImagePredictor,
  image: TiledImage,
  plan: TilePlan,
  multiple: number,
  onTile?: (done: number, total: number) => void,
): void {
  const { channels } = image;
  const height = roundUp(image.height, multiple);
  const width = roundUp(image.width, multiple);
  if (height <= plan.tile && width <= plan.tile) {
    const whole = { name: image.name, height: image.height, width: image.width, channels };
    const out = predictor.predict({ ...whole, pixels: image.window(0, image.height, 0, image.width) });
    for (let y = 0; y < image.height; y++) image.keep(y, 0, out, y * image.width, image.width);
    image.endBand(0, image.height, image.height);
    onTile?.(1, 1);
    return;
  }
  const tileY = balancedTile(height, plan.tile, multiple);
  const tileX = balancedTile(width, plan.tile, multiple);
  const windowY = Math.min(height, tileY + 2 * plan.margin);
  const windowX = Math.min(width, tileX + 2 * plan.margin);
  const rows = Math.ceil(height / tileY);
  const cols = Math.ceil(width / tileX);
  let done = 0;
  for (let ty = 0; ty < rows; ty++) {
    const coreY0 = ty * tileY;
    const coreY1 = Math.min(height, coreY0 + tileY);
    const y0 = windowStart(coreY0, plan.margin, windowY, height);
    const keepY1 = Math.min(coreY1, image.height);
    for (let tx = 0; tx < cols; tx++) {
      const coreX0 = tx * tileX;
      const coreX1 = Math.min(width, coreX0 + tileX);
      const x0 = windowStart(coreX0, plan.margin, windowX, width);
      const pixels = image.window(y0, y0 + windowY, x0, x0 + windowX);
      const result = predictor.predict({ name: image.name, pixels, height: windowY, width: windowX, channels });
      const keepX1 = Math.min(coreX1, image.width);
      for (let y = coreY0; y < keepY1; y++)
        image.keep(y, coreX0, result, (y - y0) * windowX + (coreX0 - x0), keepX1 - coreX0);
      onTile?.(++done, rows * cols);
    }
    // Window starts only move down the image, so the next band's is where reading resumes.
    const next = ty + 1 < rows ? windowStart(coreY1, plan.margin, windowY, height) : image.height;
    image.endBand(coreY0, keepY1, next);
  }
}
