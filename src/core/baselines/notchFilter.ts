import FFT from 'fft.js';
import { pixelsPerImage, type ImageSet } from '../data/imageSet';

export interface NotchOptions {
  /** Frequencies within this radius of DC (in bins of the padded transform) are never notched: they hold the digit. */
  readonly keepRadius?: number;
  /**
   * A bin is a periodic-noise peak when its magnitude exceeds this many times the median magnitude beyond
   * keepRadius...
   */
  readonly peakFactor?: number;
  /** ...and this many times the mean magnitude of its 8 neighbours: a spike, not the digit's smooth spectrum. */
  readonly isolationFactor?: number;
}

function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** 2-D FFT in place over an n x n interleaved complex array: every row, then every column (fft.js is 1-D). */
function fft2d(fft: FFT, data: Float64Array, n: number, inverse: boolean): void {
  const line = fft.createComplexArray();
  const result = fft.createComplexArray();
  for (const byRows of [true, false]) {
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        const i = 2 * (byRows ? a * n + b : b * n + a);
        line[2 * b] = data[i];
        line[2 * b + 1] = data[i + 1];
      }
      if (inverse) fft.inverseTransform(result, line);
      else fft.transform(result, line);
      for (let b = 0; b < n; b++) {
        const i = 2 * (byRows ? a * n + b : b * n + a);
        data[i] = result[2 * b];
        data[i + 1] = result[2 * b + 1];
      }
    }
  }
}

/**
 * FFT notch filter for periodic noise: the image is extended by wrapping to a power-of-two square (fft.js
 * needs one; wrapping keeps a stripe pattern periodic, zero padding would smear it), transformed, every
 * isolated peak away from DC is zeroed, and the inverse transform is cropped back. A stripe pattern such as
 * cos(1.5πx) is a pair of such peaks; the digit's own energy sits near DC and is kept.
 */
export function notchFilter(set: ImageSet, options: NotchOptions = {}): Float32Array {
  const keepRadius = options.keepRadius ?? 3;
  const peakFactor = options.peakFactor ?? 6;
  const isolationFactor = options.isolationFactor ?? 3;
  const { height, width } = set;
  const n = nextPowerOfTwo(Math.max(height, width));
  const fft = new FFT(n);
  const size = pixelsPerImage(set);
  const spectrum = new Float64Array(2 * n * n);
  const magnitude = new Float64Array(n * n);
  const magnitudes: number[] = [];
  const out = new Float32Array(set.pixels.length);
  const frequency = (k: number) => (k <= n / 2 ? k : k - n);
  for (let offset = 0; offset < set.pixels.length; offset += size) {
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++) {
        spectrum[2 * (y * n + x)] = set.pixels[offset + (y % height) * width + (x % width)];
        spectrum[2 * (y * n + x) + 1] = 0;
      }
    }
    fft2d(fft, spectrum, n, false);
    magnitudes.length = 0;
    for (let v = 0; v < n; v++) {
      for (let u = 0; u < n; u++) {
        const m = (magnitude[v * n + u] = Math.hypot(spectrum[2 * (v * n + u)], spectrum[2 * (v * n + u) + 1]));
        if (Math.hypot(frequency(u), frequency(v)) > keepRadius) magnitudes.push(m);
      }
    }
    const sorted = Float64Array.from(magnitudes).sort();
    const threshold = peakFactor * Math.max(sorted[sorted.length >> 1], 1e-9);
    for (let v = 0; v < n; v++) {
      for (let u = 0; u < n; u++) {
        if (Math.hypot(frequency(u), frequency(v)) <= keepRadius) continue;
        const m = magnitude[v * n + u];
        if (m <= threshold) continue;
        let around = 0;
        for (let dv = -1; dv <= 1; dv++) {
          for (let du = -1; du <= 1; du++)
            if (du || dv) around += magnitude[((v + dv + n) % n) * n + ((u + du + n) % n)];
        }
        if (m > (isolationFactor * around) / 8) spectrum[2 * (v * n + u)] = spectrum[2 * (v * n + u) + 1] = 0;
      }
    }
    fft2d(fft, spectrum, n, true);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) out[offset + y * width + x] = spectrum[2 * (y * n + x)];
    }
  }
  return out;
}
