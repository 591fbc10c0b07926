import { pixelsPerImage, type ImageSet } from '../data/imageSet';

/** Normalised 1-D Gaussian taps, cut at 4 sigma like scipy.ndimage.gaussian_filter. */
function gaussianTaps(sigma: number): Float64Array {
  const radius = Math.max(1, Math.ceil(4 * sigma));
  const taps = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) sum += taps[i + radius] = Math.exp(-(i * i) / (2 * sigma * sigma));
  for (let i = 0; i < taps.length; i++) taps[i] /= sum;
  return taps;
}

/**
 * Separable Gaussian blur (rows, then columns), edges replicated. The taps sum to one, so a constant image
 * stays constant.
 */
export function gaussianBlur(set: ImageSet, sigma = 1): Float32Array {
  if (!(sigma > 0)) throw new RangeError(`Gaussian blur needs sigma > 0, got ${sigma}`);
  const { height, width } = set;
  const size = pixelsPerImage(set);
  const taps = gaussianTaps(sigma);
  const radius = (taps.length - 1) / 2;
  const rows = new Float64Array(size);
  const out = new Float32Array(set.pixels.length);
  for (let offset = 0; offset < set.pixels.length; offset += size) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let s = 0;
        for (let k = -radius; k <= radius; k++) {
          const xx = Math.min(width - 1, Math.max(0, x + k));
          s += taps[k + radius] * set.pixels[offset + y * width + xx];
        }
        rows[y * width + x] = s;
      }
    }
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let s = 0;
        for (let k = -radius; k <= radius; k++) {
          const yy = Math.min(height - 1, Math.max(0, y + k));
          s += taps[k + radius] * rows[yy * width + x];
        }
        out[offset + y * width + x] = s;
      }
    }
  }
  return out;
}
