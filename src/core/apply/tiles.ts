import type * as tf from '@tensorflow/tfjs';
import type { RealImage } from '../data/realImage';
import { padSymmetric, type WholeImagePredictor } from '../models/wholeImagePredictor';

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

/** Copies rows [y0, y1) and columns [x0, x1) of an HWC image into a new image. */
function cut(pixels: Float32Array, width: number, channels: number, y0: number, y1: number, x0: number, x1: number) {
  const w = x1 - x0;
  const out = new Float32Array((y1 - y0) * w * channels);
  for (let y = y0; y < y1; y++) {
    out.set(pixels.subarray((y * width + x0) * channels, (y * width + x1) * channels), (y - y0) * w * channels);
  }
  return out;
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
 * whole-image one. The image is first mirrored out to the multiple the model's pooling needs (as whole-image
 * prediction does), and tiles start on that multiple so pooling sees the same grid. Every window has the same
 * size, so the network is planned once per image. `onTile` reports progress (tiles done, tiles in all).
 */
export function predictTiled(
  predictor: WholeImagePredictor,
  image: RealImage,
  plan: TilePlan,
  multiple: number,
  onTile?: (done: number, total: number) => void,
): Float32Array {
  const { channels } = image;
  const height = roundUp(image.height, multiple);
  const width = roundUp(image.width, multiple);
  if (height <= plan.tile && width <= plan.tile) {
    const out = predictor.predict(image);
    onTile?.(1, 1);
    return out;
  }
  const padded = height === image.height && width === image.width ? image.pixels : padSymmetric(image, height, width);
  const out = new Float32Array(image.height * image.width * channels);
  const tileY = balancedTile(height, plan.tile, multiple);
  const tileX = balancedTile(width, plan.tile, multiple);
  const windowY = Math.min(height, tileY + 2 * plan.margin);
  const windowX = Math.min(width, tileX + 2 * plan.margin);
  const rows = Math.ceil(height / tileY);
  const cols = Math.ceil(width / tileX);
  let done = 0;
  for (let ty = 0; ty < rows; ty++) {
    for (let tx = 0; tx < cols; tx++) {
      const coreY0 = ty * tileY;
      const coreX0 = tx * tileX;
      const coreY1 = Math.min(height, coreY0 + tileY);
      const coreX1 = Math.min(width, coreX0 + tileX);
      const y0 = windowStart(coreY0, plan.margin, windowY, height);
      const x0 = windowStart(coreX0, plan.margin, windowX, width);
      const window: RealImage = {
        name: image.name,
        pixels: cut(padded, width, channels, y0, y0 + windowY, x0, x0 + windowX),
        height: windowY,
        width: windowX,
        channels,
      };
      const result = predictor.predict(window);
      const keepY1 = Math.min(coreY1, image.height);
      const keepX1 = Math.min(coreX1, image.width);
      for (let y = coreY0; y < keepY1; y++) {
        const from = ((y - y0) * window.width + (coreX0 - x0)) * channels;
        out.set(result.subarray(from, from + (keepX1 - coreX0) * channels), (y * image.width + coreX0) * channels);
      }
      onTile?.(++done, rows * cols);
    }
  }
  return out;
}
