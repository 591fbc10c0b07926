import { pixelsPerImage, type ImageSet } from '../data/imageSet';

/**
 * 3x3 median filter, image by image, edges replicated (scipy's mode 'nearest'). Written by hand: nine
 * values per pixel are sorted by insertion, which is smaller than pulling in an image library for it.
 */
export function medianFilter3x3(set: ImageSet): Float32Array {
  const { height, width } = set;
  const size = pixelsPerImage(set);
  const out = new Float32Array(set.pixels.length);
  const window = new Float32Array(9);
  for (let offset = 0; offset < set.pixels.length; offset += size) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let n = 0;
        for (let dy = -1; dy <= 1; dy++) {
          const yy = Math.min(height - 1, Math.max(0, y + dy));
          for (let dx = -1; dx <= 1; dx++) {
            const xx = Math.min(width - 1, Math.max(0, x + dx));
            const v = set.pixels[offset + yy * width + xx];
            let i = n++;
            while (i > 0 && window[i - 1] > v) {
              window[i] = window[i - 1];
              i--;
            }
            window[i] = v;
          }
        }
        out[offset + y * width + x] = window[4];
      }
    }
  }
  return out;
}
