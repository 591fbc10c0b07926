import * as tf from '@tensorflow/tfjs';
import type { Model } from '../config/experimentConfig.generated';
import type { Denoiser, ImageShape } from './denoiser';
import { formatCount, layersNamed } from './layerHelpers';

/**
 * The Denoiser around a plain single-input, single-output LayersModel (every kind but the VAE).
 * Outputs are clipped to [0,1] only for evaluation: clipping while training would zero the gradient of
 * a model that overshoots, which is exactly when it needs one.
 */
export function wrapModel(kind: Model['type'], model: tf.LayersModel, image: ImageShape, summary: string): Denoiser {
  return {
    kind,
    model,
    height: image.height,
    width: image.width,
    channels: image.channels ?? 1,
    trainForward: (x) => ({ output: model.apply(x, { training: true }) as tf.Tensor2D }),
    predict: (x) => tf.tidy(() => tf.clipByValue(model.apply(x, { training: false }) as tf.Tensor2D, 0, 1)),
    encoderLayers: () => layersNamed(model, 'encoder_'),
    decoderLayers: () => layersNamed(model, 'decoder_'),
    describe: () => `${summary}, ${formatCount(model.countParams())} parameters`,
  };
}
