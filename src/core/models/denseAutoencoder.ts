import * as tf from '@tensorflow/tfjs';
import type { DenseModel } from '../config/experimentConfig.generated';
import type { Denoiser, ImageShape } from './denoiser';
import { activate, SeededInit } from './layerHelpers';
import { wrapModel } from './wrapModel';
import { denseOnData } from './dataInputLayers';

/**
 * Encoder sizes of the seed report's dense autoencoders: `depth` counts input and output layers, and the
 * hidden sizes step linearly from the pixel count to the code size. 784 pixels, depth 5, code 500 gives
 * 784-642-500-642-784; depth 7, code 100 gives 784-556-328-100-328-556-784.
 */
export function denseLayerSizes(pixels: number, depth: number, codeSize: number): number[] {
  if (depth % 2 === 0 || depth < 3) {
    throw new Error(`model.depth must be odd and at least 3 (got ${depth}): the seed's tables use 5, 7 or 9 layers`);
  }
  const steps = (depth - 1) / 2;
  return Array.from({ length: steps }, (_, i) => Math.round(pixels + ((codeSize - pixels) * (i + 1)) / steps));
}

export function buildDenseAutoencoder(config: DenseModel, image: ImageShape, seed: number): Denoiser {
  const pixels = image.height * image.width;
  const encoder = config.hiddenSizes ?? denseLayerSizes(pixels, config.depth, config.codeSize);
  const decoder = [...encoder.slice(0, -1).reverse(), pixels];
  const init = new SeededInit(seed);
  const input = tf.input({ shape: [pixels], name: 'image' });
  let x: tf.SymbolicTensor = input;
  encoder.forEach((units, i) => {
    const dense = i === 0 ? denseOnData : tf.layers.dense;
    x = dense({ units, kernelInitializer: init.kernel(), name: `encoder_dense_${i}` }).apply(x) as tf.SymbolicTensor;
    x = activate(x, config.activation, `encoder_act_${i}`);
  });
  decoder.forEach((units, i) => {
    const last = i === decoder.length - 1;
    x = tf.layers
      .dense({ units, kernelInitializer: init.kernel(), name: `decoder_dense_${i}` })
      .apply(x) as tf.SymbolicTensor;
    x = activate(x, last ? config.outputActivation : config.activation, `decoder_act_${i}`);
  });
  const model = tf.model({ inputs: input, outputs: x, name: 'dense_autoencoder' });
  const sizes = [pixels, ...encoder, ...decoder].join('-');
  return wrapModel('dense', model, image, `dense ${sizes} ${config.activation}/${config.outputActivation}`);
}
