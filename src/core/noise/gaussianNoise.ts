import type { GaussianNoise } from '../config/experimentConfig.generated';
import type { SeededRandom } from '../random/seededRandom';
import { standardNormal } from './standardNormal';

/** z + n with n ~ N(mean, variance), in place. The schema gives a variance, so the spread is its square root. */
export function addGaussianNoise(pixels: Float32Array, step: GaussianNoise, rng: SeededRandom): void {
  const sd = Math.sqrt(step.variance);
  const mean = step.mean;
  for (let i = 0; i < pixels.length; i++) pixels[i] += mean + sd * standardNormal(rng);
}
