import { pixelsPerImage, type ImageSet } from '../data/imageSet';

export interface NonLocalMeansOptions {
  /** Half side of the search window (3: a 7x7 window). */
  readonly searchRadius?: number;
  /** Filter strength: patches whose mean squared difference is about h² weigh e^-1. */
  readonly h?: number;
}

/**
 * Non-local means with 3x3 patches: each pixel becomes the weighted mean of the pixels in its search window,
 * weighted by how alike their 3x3 neighbourhoods are (edges replicated). Written by hand because no npm
 * package offers it for raw float arrays; the small window keeps 10,000 MNIST images to seconds.
 */
export function nonLocalMeans(set: ImageSet, options: NonLocalMeansOptions = {}): Float32Array {
  const search = options.searchRadius ?? 3;
  const h = options.h ?? 0.25;
  const inverseH2 = 1 / (h * h);
  const { height, width } = set;
  const size = pixelsPerImage(set);
  const padded = width + 2;
  const image = new Float32Array((height + 2) * padded);
  const out = new Float32Array(set.pixels.length);
  for (let offset = 0; offset < set.pixels.length; offset += size) {
    for (let y = -1; y <= height; y++) {
      const yy = Math.min(height - 1, Math.max(0, y));
      for (let x = -1; x <= width; x++) {
        const xx = Math.min(width - 1, Math.max(0, x));
        image[(y + 1) * padded + x + 1] = set.pixels[offset + yy * width + xx];
      }
    }
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const centre = (y + 1) * padded + x + 1;
        let weightSum = 0;
        let valueSum = 0;
        for (let qy = Math.max(0, y - search); qy <= Math.min(height - 1, y + search); qy++) {
          for (let qx = Math.max(0, x - search); qx <= Math.min(width - 1, x + search); qx++) {
            const other = (qy + 1) * padded + qx + 1;
            let d2 = 0;
            for (let dy = -padded; dy <= padded; dy += padded) {
              for (let dx = -1; dx <= 1; dx++) {
                const d = image[centre + dy + dx] - image[other + dy + dx];
                d2 += d * d;
              }
            }
            const w = Math.exp(-(d2 / 9) * inverseH2);
            weightSum += w;
            valueSum += w * image[other];
          }
        }
        out[offset + y * width + x] = valueSum / weightSum;
      }
    }
  }
  return out;
}
