import type { SpeckleNoise } from '../config/experimentConfig.generated';
import type { SeededRandom } from '../random/seededRandom';
import { standardNormal } from './standardNormal';

/** Multiplicative noise z + z·n with n ~ N(0, variance), in place: dark pixels stay nearly clean. */
export function addSpeckleNoise(pixels: Float32Array, step: SpeckleNoise, rng: SeededRandom): void {
  const sd = Math.sqrt(step.variance);
  for (let i = 0; i < pixels.length; i++) pixels[i] += pixels[i] * sd * standardNormal(rng);
}
