import * as tf from '@tensorflow/tfjs';
import { resolveConfig } from '../src/core/config/loadConfig';
import type { ExperimentConfig } from '../src/core/config/experimentConfig.generated';
import type { ImageSet } from '../src/core/data/imageSet';
import { SeededRandom } from '../src/core/random/seededRandom';

/** The models the benchmark trains (or runs), named as in its table and JSON. */
export type BenchModel =
  'dense' | 'cnn' | 'conv' | 'unet' | 'vae' | 'dncnn17' | 'unet-color' | 'dncnn17-infer' | 'dncnn17-apply';
export const BENCH_MODELS: readonly BenchModel[] = [
  'dense',
  'cnn',
  'conv',
  'unet',
  'vae',
  'dncnn17',
  'unet-color',
  'dncnn17-infer',
  'dncnn17-apply',
];

/**
 * How each model is benchmarked:
 *  trainer:   the project's own model builder from a schema-validated config, trained by trainDenoiser;
 *  steps:     a network built here with tf.layers (no project model has its shape yet), trained step by step
 *             through the same direct-step chooser the trainer uses (the oneDNN plan; the tape without it);
 *  inference: forward passes of one image at a time;
 *  apply:     `denoise apply` of a run folder holding the model (untrained weights: the same cost) on one image
 *             file, decoded, tiled within the default memory budget, and written; samples are images.
 * `batches` are the timed batches by default (images for inference); `warmup` caps the warm-up batches.
 */
export interface BenchSpec {
  readonly label: string;
  readonly how: 'trainer' | 'steps' | 'inference' | 'apply';
  readonly image: { readonly height: number; readonly width: number; readonly channels: number };
  readonly batch: number;
  readonly batches: number;
  readonly warmup: number;
  /** Convolutional: PyTorch gets its convolution layouts (channels_last or not); dense ones its BLAS thread layouts. */
  readonly convolutional: boolean;
}

const MNIST = { height: 28, width: 28, channels: 1 };
export const BENCH_SPECS: Readonly<Record<BenchModel, BenchSpec>> = {
  dense: {
    label: 'dense 784-642-500-642-784',
    how: 'trainer',
    image: MNIST,
    batch: 256,
    batches: 300,
    warmup: 3,
    convolutional: false,
  },
  cnn: {
    label: 'residual CNN 5x32',
    how: 'trainer',
    image: MNIST,
    batch: 128,
    batches: 40,
    warmup: 3,
    convolutional: true,
  },
  conv: {
    label: 'conv autoencoder 32-64',
    how: 'trainer',
    image: MNIST,
    batch: 64,
    batches: 30,
    warmup: 3,
    convolutional: true,
  },
  unet: {
    label: 'U-Net 16 filters, 2 levels',
    how: 'trainer',
    image: MNIST,
    batch: 64,
    batches: 30,
    warmup: 3,
    convolutional: true,
  },
  vae: {
    label: 'VAE 512-256, latent 16',
    how: 'trainer',
    image: MNIST,
    batch: 64,
    batches: 100,
    warmup: 3,
    convolutional: false,
  },
  dncnn17: {
    label: 'DnCNN-17 64ch + BN, 40x40 gray',
    how: 'trainer',
    image: { height: 40, width: 40, channels: 1 },
    batch: 64,
    batches: 3,
    warmup: 1,
    convolutional: true,
  },
  'unet-color': {
    label: 'U-Net 32 filters, 3 levels, 64x64 colour',
    how: 'steps',
    image: { height: 64, width: 64, channels: 3 },
    batch: 16,
    batches: 6,
    warmup: 1,
    convolutional: true,
  },
  'dncnn17-infer': {
    label: 'DnCNN-17 inference, 512x512 gray',
    how: 'inference',
    image: { height: 512, width: 512, channels: 1 },
    batch: 1,
    batches: 3,
    warmup: 1,
    convolutional: true,
  },
  'dncnn17-apply': {
    label: 'DnCNN-17 apply, 12 MP gray (4000x3000)',
    how: 'apply',
    image: { height: 3000, width: 4000, channels: 1 },
    batch: 1,
    batches: 1,
    // One image takes minutes; oneDNN's first-use costs are milliseconds of it.
    warmup: 0,
    convolutional: true,
  },
};

/**
 * The experiment each trainer model stands for, validated by the project's own schema so every default (seed,
 * loss, activations) is the one a real run gets:
 *  dense:   the seed report's best model, 784-642-500-642-784, ReLU, sigmoid output, SGD lr 1, batch 256, MSE;
 *  cnn:     DnCNN-style residual CNN, 5 conv layers (4 x 32 channels + 1 that estimates the noise), 3x3, ReLU,
 *           Adam lr 0.001, batch 128, MSE;
 *  conv, unet, vae: examples/model-kinds' models (Adam 0.001, batch 64, BCE);
 *  dncnn17: DnCNN-17 with batch norm (17 conv layers of 64 channels), Adam 0.001, batch 64, MSE;
 *  dncnn17-infer: the same network, built for 512x512 images;
 *  dncnn17-apply: the same network in a patch-trained run folder (40x40 patches, gray), applied to a 12 MP file.
 * bench/pytorch_models.py builds the same networks in PyTorch.
 */
export function benchConfig(model: BenchModel): ExperimentConfig {
  const models: Record<string, object> = {
    dense: { type: 'dense', depth: 5, codeSize: 500, activation: 'relu', outputActivation: 'sigmoid' },
    cnn: { type: 'dncnn', depth: 5, filters: 32, batchNorm: false },
    conv: { type: 'conv', filters: [32, 64], kernelSize: 3 },
    unet: { type: 'unet', filters: 16, levels: 2 },
    vae: { type: 'vae', hiddenSizes: [512, 256], latentSize: 16, klWeight: 1 },
    dncnn17: { type: 'dncnn', depth: 17, filters: 64, batchNorm: true },
    'dncnn17-infer': { type: 'dncnn', depth: 17, filters: 64, batchNorm: true },
    'dncnn17-apply': { type: 'dncnn', depth: 17, filters: 64, batchNorm: true },
  };
  const spec = BENCH_SPECS[model];
  const patchTrained = spec.how === 'apply';
  const training =
    model === 'dense'
      ? { optimizer: 'sgd', learningRate: 1, batchSize: 256, loss: 'mse', epochs: 1 }
      : {
          optimizer: 'adam',
          learningRate: 0.001,
          batchSize: spec.batch,
          loss: ['conv', 'unet', 'vae'].includes(model) ? 'bce' : 'mse',
          epochs: 1,
          ...(patchTrained ? { patchSize: 40 } : {}),
        };
  const raw = {
    name: `bench-${model}`,
    dataset: patchTrained ? { source: 'imageFolder', trainFolder: 'bench', channels: 1 } : { source: 'mnist' },
    noise: patchTrained
      ? { steps: [{ type: 'gaussian255', sigma: 25 }], clip: false, quantize: false }
      : { steps: [{ type: 'gaussian', variance: 0.01 }] },
    model: models[model] ?? models.unet,
    training,
  };
  const { config, problems } = resolveConfig(raw);
  if (!config)
    throw new Error(
      `bench config for ${model} is invalid: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`,
    );
  return config;
}

/**
 * The colour U-Net (32 filters, 3 levels, 3 channels in and out) with tf.layers, as buildUnet wires the gray
 * one; the same network as pytorch_models.py's Unet(32, 3, 3).
 */
export function colourUnet(height: number, width: number): tf.LayersModel {
  type Sym = tf.SymbolicTensor;
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  let seed = 1;
  const twoConvs = (x: Sym, filters: number) => {
    for (let k = 0; k < 2; k++) {
      x = tf.layers
        .conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(seed++) })
        .apply(x) as Sym;
    }
    return x;
  };
  const input = tf.input({ shape: [height * width * 3] });
  let x = tf.layers.reshape({ targetShape: [height, width, 3] }).apply(input) as Sym;
  const skips: Sym[] = [];
  for (let level = 0; level < 3; level++) {
    x = twoConvs(x, 32 * 2 ** level);
    skips.push(x);
    x = tf.layers.maxPooling2d({ poolSize: 2 }).apply(x) as Sym;
  }
  x = twoConvs(x, 32 * 2 ** 3);
  for (let level = 2; level >= 0; level--) {
    x = tf.layers
      .conv2dTranspose({
        filters: 32 * 2 ** level,
        kernelSize: 2,
        strides: 2,
        padding: 'same',
        kernelInitializer: init(seed++),
      })
      .apply(x) as Sym;
    x = tf.layers.concatenate().apply([skips[level], x]) as Sym;
    x = twoConvs(x, 32 * 2 ** level);
  }
  x = tf.layers
    .conv2d({ filters: 3, kernelSize: 1, activation: 'sigmoid', kernelInitializer: init(seed++) })
    .apply(x) as Sym;
  return tf.model({ inputs: input, outputs: tf.layers.flatten().apply(x) as Sym, name: 'unet_colour' });
}

/**
 * Random images of a model's shape (pixels uniform in [0,1]): the speed of a training step does not depend on
 * the pixel values, and random data keeps the benchmark free of any dataset loading time.
 */
export function randomImages(
  count: number,
  seed: number,
  image: { height: number; width: number; channels?: number } = MNIST,
): ImageSet {
  const rng = new SeededRandom(seed);
  const pixels = new Float32Array(count * image.height * image.width * (image.channels ?? 1));
  for (let i = 0; i < pixels.length; i++) pixels[i] = rng.next();
  return { pixels, count, height: image.height, width: image.width };
}
