import type { Model } from '../config/experimentConfig.generated';
import type { Denoiser, ImageShape } from './denoiser';
import { buildDenseAutoencoder } from './denseAutoencoder';
import { buildConvAutoencoder } from './convAutoencoder';
import { buildDncnn } from './dncnn';
import { buildUnet } from './unet';
import { buildVariationalAutoencoder } from './variationalAutoencoder';

export { denseLayerSizes } from './denseAutoencoder';

/** Builds a fresh network of the configured kind with seeded initial weights. */
export function buildDenoiser(model: Model, image: ImageShape, seed: number): Denoiser {
  switch (model.type) {
    case 'dense':
      return buildDenseAutoencoder(model, image, seed);
    case 'conv':
      return buildConvAutoencoder(model, image, seed);
    case 'dncnn':
      return buildDncnn(model, image, seed);
    case 'unet':
      return buildUnet(model, image, seed);
    case 'vae':
      return buildVariationalAutoencoder(model, image, seed);
  }
}
