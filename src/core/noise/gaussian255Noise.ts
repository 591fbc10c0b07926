import type { Gaussian255Noise } from '../config/experimentConfig.generated';
import type { SeededRandom } from '../random/seededRandom';
import { standardNormal } from './standardNormal';

/**
 * The σ (0-255 scale) of one noisy image or training patch: `sigma`, or for blind training a draw from
 * U[sigmaMin, sigmaMax] (validation and test always take `sigma`).
 */
export function drawSigma255(step: Gaussian255Noise, rng: SeededRandom, training: boolean): number {
  if (!step.blind || !training) return step.sigma;
  const lo = Math.min(step.sigmaMin, step.sigmaMax);
  const hi = Math.max(step.sigmaMin, step.sigmaMax);
  return lo + (hi - lo) * rng.next();
}

/** z + n with n ~ N(0, (σ/255)²), in place, for pixels in [0,1]. */
export function addGaussian255Noise(pixels: Float32Array, sigma255: number, rng: SeededRandom): void {
  const sd = sigma255 / 255;
  for (let i = 0; i < pixels.length; i++) pixels[i] += sd * standardNormal(rng);
}
