import * as tf from '@tensorflow/tfjs';
import type { ConvModel } from '../config/experimentConfig.generated';
import type { Denoiser, ImageShape } from './denoiser';
import { activate, SeededInit } from './layerHelpers';
import { wrapModel } from './wrapModel';
import { conv2dOnData } from './dataInputLayers';

/** Convolutional autoencoder: each stride-2 convolution halves the image, each transposed one doubles it back. */
export function buildConvAutoencoder(config: ConvModel, image: ImageShape, seed: number): Denoiser {
  const { height, width } = image;
  const factor = 2 ** config.filters.length;
  if (height % factor !== 0 || width % factor !== 0) {
    throw new Error(
      `model.filters has ${config.filters.length} stages, so image sides must be divisible by ${factor}; ${height}x${width} is not (use fewer stages or dataset.imageSize)`,
    );
  }
  const init = new SeededInit(seed);
  const conv = (filters: number, stride: number, name: string, transpose = false, readsInput = false) =>
    (transpose ? tf.layers.conv2dTranspose : readsInput ? conv2dOnData : tf.layers.conv2d)({
      filters,
      kernelSize: config.kernelSize,
      strides: stride,
      padding: 'same',
      kernelInitializer: init.kernel(),
      name,
    });
  const channels = image.channels ?? 1;
  const input = tf.input({ shape: [height * width * channels], name: 'image' });
  let x = tf.layers
    .reshape({ targetShape: [height, width, channels], name: 'encoder_reshape' })
    .apply(input) as tf.SymbolicTensor;
  config.filters.forEach((f, i) => {
    x = conv(f, 2, `encoder_conv_${i}`, false, i === 0).apply(x) as tf.SymbolicTensor;
    x = activate(x, config.activation, `encoder_act_${i}`);
  });
  [...config.filters].reverse().forEach((f, i) => {
    x = conv(f, 2, `decoder_deconv_${i}`, true).apply(x) as tf.SymbolicTensor;
    x = activate(x, config.activation, `decoder_act_${i}`);
  });
  x = conv(channels, 1, 'decoder_output').apply(x) as tf.SymbolicTensor;
  x = activate(x, config.outputActivation, 'decoder_output_act');
  const output = tf.layers.flatten({ name: 'decoder_flatten' }).apply(x) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: output, name: 'conv_autoencoder' });
  const colour = channels === 1 ? '' : `, ${channels} channels`;
  return wrapModel(
    'conv',
    model,
    image,
    `conv autoencoder ${config.filters.join('-')} (${config.kernelSize}x${config.kernelSize})${colour}`,
  );
}
