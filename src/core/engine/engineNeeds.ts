import type { Model } from '../config/experimentConfig.generated';
import type { EngineNeeds } from './selectEngine';

/**
 * What a model asks of the engine: convolutional kinds need convolution gradient kernels, which every engine
 * has (wasm gets Conv2DBackpropFilter at start), so conv models train on wasm and wasm-blas too.
 */
export function engineNeedsFor(model: Model): EngineNeeds {
  return { convolutions: model.type === 'conv' || model.type === 'dncnn' || model.type === 'unet' };
}
