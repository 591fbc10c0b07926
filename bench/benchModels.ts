import { resolveConfig } from '../src/core/config/loadConfig';
import type { ExperimentConfig } from '../src/core/config/experimentConfig.generated';
import type { ImageSet } from '../src/core/data/imageSet';
import { SeededRandom } from '../src/core/random/seededRandom';

/** The two models the benchmark trains, named as in its table and JSON. */
export type BenchModel = 'dense' | 'cnn';
export const BENCH_MODELS: readonly BenchModel[] = ['dense', 'cnn'];

/**
 * The experiment each model stands for, validated by the project's own schema so every default (seed,
 * loss, activations) is the one a real run gets:
 *  dense: the seed report's best model, 784-642-500-642-784, ReLU, sigmoid output, SGD lr 1, batch 256, MSE;
 *  cnn:   DnCNN-style residual CNN, 5 conv layers (4 x 32 channels + 1 that estimates the noise), 3x3, ReLU,
 *         Adam lr 0.001, batch 128, MSE.
 * bench/pytorch_models.py builds the same two networks in PyTorch.
 */
export function benchConfig(model: BenchModel): ExperimentConfig {
  const raw = {
    name: `bench-${model}`,
    dataset: { source: 'mnist' },
    noise: { steps: [{ type: 'gaussian', variance: 0.01 }] },
    model: model === 'dense' ? { type: 'dense', depth: 5, codeSize: 500, activation: 'relu', outputActivation: 'sigmoid' } : { type: 'dncnn', depth: 5, filters: 32, batchNorm: false },
    training:
      model === 'dense'
        ? { optimizer: 'sgd', learningRate: 1, batchSize: 256, loss: 'mse', epochs: 1 }
        : { optimizer: 'adam', learningRate: 0.001, batchSize: 128, loss: 'mse', epochs: 1 },
  };
  const { config, problems } = resolveConfig(raw);
  if (!config) throw new Error(`bench config for ${model} is invalid: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`);
  return config;
}

/**
 * MNIST-shaped random images (28x28, pixels uniform in [0,1]): the speed of a training step does not depend
 * on the pixel values, and random data keeps the benchmark free of any dataset loading time.
 */
export function randomImages(count: number, seed: number): ImageSet {
  const rng = new SeededRandom(seed);
  const pixels = new Float32Array(count * 28 * 28);
  for (let i = 0; i < pixels.length; i++) pixels[i] = rng.next();
  return { pixels, count, height: 28, width: 28 };
}
