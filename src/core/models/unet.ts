import * as tf from '@tensorflow/tfjs';
import type { UnetModel } from '../config/experimentConfig.generated';
import type { Denoiser, ImageShape } from './denoiser';
import { SeededInit } from './layerHelpers';
import { wrapModel } from './wrapModel';
import { conv2dOnData } from './dataInputLayers';

/** A small U-Net: two 3x3 convolutions per stage, max-pooling down, transposed convolutions up, skips joined. */
export function buildUnet(config: UnetModel, image: ImageShape, seed: number): Denoiser {
  const { height, width } = image;
  const factor = 2 ** config.levels;
  if (height % factor !== 0 || width % factor !== 0) {
    throw new Error(
      `model.levels ${config.levels} needs image sides divisible by ${factor}; ${height}x${width} is not (lower model.levels)`,
    );
  }
  const init = new SeededInit(seed);
  const twoConvs = (x: tf.SymbolicTensor, filters: number, name: string, readsInput = false) => {
    for (const k of [0, 1]) {
      const conv2d = readsInput && k === 0 ? conv2dOnData : tf.layers.conv2d;
      x = conv2d({
        filters,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init.kernel(),
        name: `${name}_${k}`,
      }).apply(x) as tf.SymbolicTensor;
    }
    return x;
  };
  const channels = image.channels ?? 1;
  const input = tf.input({ shape: [height * width * channels], name: 'image' });
  let x = tf.layers
    .reshape({ targetShape: [height, width, channels], name: 'encoder_reshape' })
    .apply(input) as tf.SymbolicTensor;
  const skips: tf.SymbolicTensor[] = [];
  for (let level = 0; level < config.levels; level++) {
    x = twoConvs(x, config.filters * 2 ** level, `encoder_conv${level}`, level === 0);
    skips.push(x);
    x = tf.layers.maxPooling2d({ poolSize: 2, name: `encoder_pool${level}` }).apply(x) as tf.SymbolicTensor;
  }
  x = twoConvs(x, config.filters * 2 ** config.levels, 'encoder_bottleneck');
  for (let level = config.levels - 1; level >= 0; level--) {
    const filters = config.filters * 2 ** level;
    x = tf.layers
      .conv2dTranspose({
        filters,
        kernelSize: 2,
        strides: 2,
        padding: 'same',
        kernelInitializer: init.kernel(),
        name: `decoder_up${level}`,
      })
      .apply(x) as tf.SymbolicTensor;
    x = tf.layers.concatenate({ name: `decoder_skip${level}` }).apply([skips[level], x]) as tf.SymbolicTensor;
    x = twoConvs(x, filters, `decoder_conv${level}`);
  }
  x = tf.layers
    .conv2d({
      filters: channels,
      kernelSize: 1,
      activation: 'sigmoid',
      kernelInitializer: init.kernel(),
      name: 'decoder_output',
    })
    .apply(x) as tf.SymbolicTensor;
  const output = tf.layers.flatten({ name: 'decoder_flatten' }).apply(x) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: output, name: 'unet' });
  const colour = channels === 1 ? '' : `, ${channels} channels`;
  return wrapModel('unet', model, image, `U-Net ${config.levels} levels from ${config.filters} filters${colour}`);
}
