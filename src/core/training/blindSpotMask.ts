import type { SeededRandom } from '../random/seededRandom';

/** How far a masked pixel's replacement may lie (the Noise2Void paper's 5 x 5 neighbourhood). */
export const MASK_RADIUS = 2;

/** An image (or patch) as flat channels-last pixels. */
export interface MaskedImage {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

/** The number of pixels masked in an image of `pixels` pixels: a share of them, at least one. */
export function maskedPixelCount(pixels: number, fraction: number): number {
  return Math.max(1, Math.min(pixels, Math.round(pixels * fraction)));
}

/**
 * Noise2Void's blind-spot masking (Krull et al. 2019, "uniform pixel selection"), in place: picks
 * maskedPixelCount distinct pixels at random and replaces each (every channel) by the value of a random
 * other pixel within MASK_RADIUS, read from `original`, never the pixel itself, so the network cannot learn
 * the identity. `input` is overwritten (it starts as a copy of original); `weights` gets 1 on every value
 * of a masked pixel and 0 elsewhere: the loss counts the masked pixels only. Hand-written: no library
 * offers this masking, and it is a few lines.
 */
export function maskBlindSpots(
  original: Float32Array,
  input: Float32Array,
  weights: Float32Array,
  shape: MaskedImage,
  fraction: number,
  rng: SeededRandom,
): void {
  const { height, width, channels } = shape;
  const pixels = height * width;
  input.set(original.subarray(0, pixels * channels));
  weights.fill(0, 0, pixels * channels);
  const count = maskedPixelCount(pixels, fraction);
  for (let m = 0; m < count; m++) {
    let p = rng.nextInt(pixels);
    // Distinct pixels: a taken one moves on to the next free one (count <= pixels, so one is free).
    while (weights[p * channels] !== 0) p = (p + 1) % pixels;
    const source = neighbourOf(p, height, width, rng);
    for (let c = 0; c < channels; c++) {
      input[p * channels + c] = original[source * channels + c];
      weights[p * channels + c] = 1;
    }
  }
}

/** A random pixel other than p within MASK_RADIUS of it and inside the image (p itself in a 1 x 1 image). */
function neighbourOf(p: number, height: number, width: number, rng: SeededRandom): number {
  if (height * width === 1) return p;
  const y = Math.floor(p / width);
  const x = p % width;
  const side = 2 * MASK_RADIUS + 1;
  for (;;) {
    const dy = rng.nextInt(side) - MASK_RADIUS;
    const dx = rng.nextInt(side) - MASK_RADIUS;
    const ny = y + dy;
    const nx = x + dx;
    if ((dy !== 0 || dx !== 0) && ny >= 0 && ny < height && nx >= 0 && nx < width) return ny * width + nx;
  }
}
