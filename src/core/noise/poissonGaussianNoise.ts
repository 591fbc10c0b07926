import type { PoissonGaussianNoise } from '../config/experimentConfig.generated';
import type { SeededRandom } from '../random/seededRandom';
import { standardNormal } from './standardNormal';

/**
 * Camera noise, in place: shot noise k/peak with k ~ Poisson(z·peak) (z clamped to [0,1] first, a photon
 * count cannot be negative), plus Gaussian read noise of readSigma/255.
 */
export function addPoissonGaussianNoise(pixels: Float32Array, step: PoissonGaussianNoise, rng: SeededRandom): void {
  const { peak } = step;
  const read = step.readSigma / 255;
  for (let i = 0; i < pixels.length; i++) {
    const z = Math.min(1, Math.max(0, pixels[i]));
    pixels[i] = rng.nextPoisson(z * peak) / peak + read * standardNormal(rng);
  }
}
