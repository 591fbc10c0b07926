import type { PoissonNoise } from '../config/experimentConfig.generated';
import type { SeededRandom } from '../random/seededRandom';

/** Shot noise k/peak with k ~ Poisson(z·peak), in place: a white pixel collects `peak` photons on average. */
export function addPoissonNoise(pixels: Float32Array, step: PoissonNoise, rng: SeededRandom): void {
  const peak = step.peak;
  for (let i = 0; i < pixels.length; i++) pixels[i] = rng.nextPoisson(pixels[i] * peak) / peak;
}
