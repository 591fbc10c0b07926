import { pixelsPerImage, type ImageSet } from '../data/imageSet';

/**
 * Hysteresis thresholding, image by image, with the semantics of skimage.filters.apply_hysteresis_threshold:
 * a pixel is kept (1) when it is above `high`, or above `low` and 8-connected through pixels above `low` to
 * one above `high`; every other pixel becomes 0. A flood fill from the strong pixels, written by hand
 * because it is a few lines on a 28x28 image.
 */
export function hysteresisThreshold(set: ImageSet, low: number, high: number): Float32Array {
  if (!(low <= high)) throw new RangeError(`hysteresis needs low <= high, got low ${low} and high ${high}`);
  const { height, width } = set;
  const size = pixelsPerImage(set);
  const out = new Float32Array(set.pixels.length);
  const stack = new Int32Array(size);
  for (let offset = 0; offset < set.pixels.length; offset += size) {
    let top = 0;
    for (let p = 0; p < size; p++) {
      if (set.pixels[offset + p] > high) {
        out[offset + p] = 1;
        stack[top++] = p;
      }
    }
    while (top > 0) {
      const p = stack[--top];
      const y = Math.floor(p / width);
      const x = p - y * width;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= width) continue;
          const q = yy * width + xx;
          if (out[offset + q] === 0 && set.pixels[offset + q] > low) {
            out[offset + q] = 1;
            stack[top++] = q;
          }
        }
      }
    }
  }
  return out;
}
