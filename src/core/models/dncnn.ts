import * as tf from '@tensorflow/tfjs';
import type { DncnnModel } from '../config/experimentConfig.generated';
import type { Denoiser, ImageShape } from './denoiser';
import { SeededInit } from './layerHelpers';
import { wrapModel } from './wrapModel';
import { conv2dOnData } from './dataInputLayers';

/**
 * DnCNN-style residual denoiser: a stack of 3x3 convolutions estimates the noise, which is removed from the
 * input. TensorFlow.js has no subtract layer, so the last convolution (linear, learned) estimates the
 * negated noise and an add layer joins it to the input: the same function, and it saves and loads as
 * standard layers.
 */
export function buildDncnn(config: DncnnModel, image: ImageShape, seed: number): Denoiser {
  const { height, width } = image;
  const channels = image.channels ?? 1;
  const init = new SeededInit(seed);
  const input = tf.input({ shape: [height * width * channels], name: 'image' });
  const picture = tf.layers
    .reshape({ targetShape: [height, width, channels], name: 'encoder_reshape' })
    .apply(input) as tf.SymbolicTensor;
  let x = picture;
  const half = Math.floor(config.depth / 2);
  for (let i = 0; i < config.depth - 1; i++) {
    const part = i < half ? 'encoder' : 'decoder';
    const conv2d = i === 0 ? conv2dOnData : tf.layers.conv2d;
    x = conv2d({
      filters: config.filters,
      kernelSize: 3,
      padding: 'same',
      useBias: !(config.batchNorm && i > 0),
      kernelInitializer: init.kernel(),
      name: `${part}_conv_${i}`,
    }).apply(x) as tf.SymbolicTensor;
    if (config.batchNorm && i > 0)
      x = tf.layers.batchNormalization({ name: `${part}_bn_${i}` }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.reLU({ name: `${part}_relu_${i}` }).apply(x) as tf.SymbolicTensor;
  }
  const negatedNoise = tf.layers
    .conv2d({
      filters: channels,
      kernelSize: 3,
      padding: 'same',
      kernelInitializer: init.kernel(),
      name: 'decoder_noise',
    })
    .apply(x) as tf.SymbolicTensor;
  const clean = tf.layers.add({ name: 'decoder_residual' }).apply([picture, negatedNoise]) as tf.SymbolicTensor;
  const output = tf.layers.flatten({ name: 'decoder_flatten' }).apply(clean) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: output, name: 'dncnn' });
  const colour = channels === 3 ? ', colour' : channels === 1 ? '' : `, ${channels} channels`;
  return wrapModel(
    'dncnn',
    model,
    image,
    `DnCNN ${config.depth} conv layers x ${config.filters}${config.batchNorm ? ' + batch norm' : ''}${colour}`,
  );
}
