import * as tf from '@tensorflow/tfjs';
import type { Model } from '../config/experimentConfig.generated';
import type { RealImage } from '../data/realImage';
import { buildDenoiser } from './buildDenoiser';
import type { Denoiser } from './denoiser';

/** The multiple image sides must be for the model's down-sampling stages (1 for DnCNN). */
export function sideMultiple(model: Model): number {
  if (model.type === 'unet') return 2 ** model.levels;
  if (model.type === 'conv') return 2 ** model.filters.length;
  return 1;
}

/**
 * `image` mirrored past its bottom and right edges (like numpy's 'symmetric' padding) to height x width, so
 * that the added border continues the picture instead of a black frame the model never saw in training.
 */
export function padSymmetric(image: RealImage, height: number, width: number): Float32Array {
  const { channels } = image;
  const out = new Float32Array(height * width * channels);
  const mirror = (i: number, n: number) => {
    const period = 2 * n;
    const m = i % period;
    return m < n ? m : period - 1 - m;
  };
  for (let y = 0; y < height; y++) {
    const sy = mirror(y, image.height);
    for (let x = 0; x < width; x++) {
      const from = (sy * image.width + mirror(x, image.width)) * channels;
      for (let c = 0; c < channels; c++) out[(y * width + x) * channels + c] = image.pixels[from + c];
    }
  }
  return out;
}

/** The top-left height x width (x channels) of an image `fullWidth` wide. */
function cropTopLeft(
  pixels: Float32Array,
  fullWidth: number,
  height: number,
  width: number,
  channels: number,
): Float32Array {
  const out = new Float32Array(height * width * channels);
  for (let y = 0; y < height; y++) {
    out.set(pixels.subarray(y * fullWidth * channels, (y * fullWidth + width) * channels), y * width * channels);
  }
  return out;
}

/**
 * Runs a model trained on patches over whole images of any size. TensorFlow.js layer models have a fixed
 * input size, so each image size gets a copy of the network built for it (kept for the next image of that
 * size) that takes the trained weights, batch-norm statistics included, before every use. Sides the model's
 * pooling cannot take (a U-Net with 3 levels needs multiples of 8) are padded symmetrically and the output
 * cropped back.
 */
export class WholeImagePredictor {
  private readonly bySize = new Map<string, Denoiser>();
  private readonly multiple: number;

  constructor(
    private readonly trained: Denoiser,
    private readonly config: Model,
  ) {
    this.multiple = sideMultiple(config);
  }

  /** The denoised image, values clipped to [0,1] like every model output that is evaluated. */
  predict(image: RealImage): Float32Array {
    const height = Math.ceil(image.height / this.multiple) * this.multiple;
    const width = Math.ceil(image.width / this.multiple) * this.multiple;
    const padded = height === image.height && width === image.width ? image.pixels : padSymmetric(image, height, width);
    const net = this.networkFor(height, width, image.channels);
    const output = tf.tidy(() => net.predict(tf.tensor2d(padded, [1, padded.length])).dataSync() as Float32Array);
    return padded === image.pixels ? output : cropTopLeft(output, width, image.height, image.width, image.channels);
  }

  private networkFor(height: number, width: number, channels: number): Denoiser {
    const key = `${height}x${width}x${channels}`;
    let net = this.bySize.get(key);
    if (!net) {
      net = buildDenoiser(this.config, { height, width, channels }, 0);
      this.bySize.set(key, net);
    }
    // The trained model is the one that learns: take its weights (and batch-norm statistics) every time.
    net.model.setWeights(this.trained.model.getWeights());
    return net;
  }

  dispose(): void {
    for (const net of this.bySize.values()) net.model.dispose();
    this.bySize.clear();
  }
}
