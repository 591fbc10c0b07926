import type { SaltPepperNoise } from '../config/experimentConfig.generated';
import type { SeededRandom } from '../random/seededRandom';

/** How many pixels are kept before the next replaced one: geometric, P(gap ≥ k) = (1 - amount)^k. */
function gap(rng: SeededRandom, logKeep: number): number {
  return Math.floor(Math.log(1 - rng.next()) / logKeep);
}

/**
 * Each pixel is replaced, independently, with probability `amount` (like scikit-image's random_noise
 * 's&p'): by 1 with probability saltRatio, else by 0. Instead of a draw per pixel, the gaps between
 * replaced pixels are drawn, which gives the same distribution with a tenth of the draws at amount 0.1.
 */
export function addSaltPepperNoise(pixels: Float32Array, step: SaltPepperNoise, rng: SeededRandom): void {
  if (step.amount <= 0) return;
  const logKeep = Math.log1p(-step.amount); // -Infinity at amount 1: every gap is 0
  for (let i = gap(rng, logKeep); i < pixels.length; i += 1 + gap(rng, logKeep)) {
    pixels[i] = rng.next() < step.saltRatio ? 1 : 0;
  }
}
