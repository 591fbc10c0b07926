import type { PeriodicNoise } from '../config/experimentConfig.generated';
import type { ImageSet } from '../data/imageSet';

/** Where along the wave a pixel lies: its column, its row, or their sum for diagonal stripes. */
function waveTime(orientation: PeriodicNoise['orientation'], x: number, y: number): number {
  return orientation === 'x' ? x : orientation === 'y' ? y : x + y;
}

/**
 * z + amplitude·cos(frequency·t + phase), in place, for every image in the buffer. No randomness. The
 * wave is the same for every image, so it is tabulated once per pixel position instead of once per pixel.
 */
export function addPeriodicNoise(
  pixels: Float32Array,
  shape: Pick<ImageSet, 'height' | 'width'>,
  step: PeriodicNoise,
): void {
  const { height, width } = shape;
  const wave = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      wave[y * width + x] = step.amplitude * Math.cos(step.frequency * waveTime(step.orientation, x, y) + step.phase);
    }
  }
  for (let start = 0; start < pixels.length; start += wave.length) {
    for (let p = 0; p < wave.length; p++) pixels[start + p] += wave[p];
  }
}
