import type * as tf from '@tensorflow/tfjs';
import type { Training } from '../config/experimentConfig.generated';
import type { Denoiser } from '../models/denoiser';
import { engineBlas } from '../engine/selectEngine';
import type { BlasLibrary } from '../engine/blas/loadBlas';
import { ResidualCnnStep, type DirectConvLayer } from '../engine/blas/residualCnnStep';
import { loadOneDnn } from '../engine/onednn/loadOneDnn';
import type { StepStrategy } from './stepStrategy';
import { layerArrays } from './directOptimizer';
import {
  inboundOf,
  loadHeldWeights,
  storeHeldWeights,
  type HeldWeights,
  type WeightedLayerInternals,
} from './heldWeights';

type ConvLayer = tf.layers.Layer & WeightedLayerInternals;

interface ConvConfig {
  filters: number;
  kernelSize: number[];
  strides: number[];
  padding: string;
  dataFormat: string;
  dilationRate: number | number[];
  activation: string;
  useBias: boolean;
}

/** A k x k 'same', stride-1, undilated, channels-last Conv2D with bias and no activation of its own, or undefined. */
function plainSameConv(layer: tf.layers.Layer): { layer: ConvLayer; kernel: number } | undefined {
  if (layer.getClassName() !== 'Conv2D') return undefined;
  const c = layer.getConfig() as unknown as ConvConfig;
  const [kh, kw] = c.kernelSize;
  const dilation = Array.isArray(c.dilationRate) ? c.dilationRate : [c.dilationRate, c.dilationRate];
  const plain =
    kh === kw &&
    kh % 2 === 1 &&
    c.strides.every((s) => s === 1) &&
    dilation.every((d) => d === 1) &&
    c.padding === 'same' &&
    c.dataFormat === 'channelsLast' &&
    c.activation === 'linear' &&
    c.useBias;
  return plain ? { layer: layer as ConvLayer, kernel: kh } : undefined;
}

/**
 * The convolutions of a residual CNN as buildDncnn makes it without batch norm: input, reshape to one
 * channel, (Conv2D, ReLU) repeated, a one-channel Conv2D, the add of the reshaped input, flatten. Anything
 * else (batch norm, another kernel size per layer, another wiring) gives undefined.
 */
function residualConvChain(model: tf.LayersModel): { convs: ConvLayer[]; kernel: number } | undefined {
  const [input, reshape, ...rest] = model.layers;
  if (input?.getClassName() !== 'InputLayer' || reshape?.getClassName() !== 'Reshape') return undefined;
  const [flatten, add] = [rest.pop(), rest.pop()];
  if (flatten?.getClassName() !== 'Flatten' || add?.getClassName() !== 'Add') return undefined;
  const convs: ConvLayer[] = [];
  let kernel = 0;
  let previous: tf.layers.Layer = reshape;
  for (let i = 0; i < rest.length; i++) {
    const conv = plainSameConv(rest[i]);
    if (!conv || inboundOf(rest[i])[0] !== previous || (kernel !== 0 && conv.kernel !== kernel)) return undefined;
    kernel = conv.kernel;
    convs.push(conv.layer);
    previous = rest[i];
    const isLast = i === rest.length - 1;
    if (isLast) break;
    const relu = rest[++i];
    const maxValue = (relu?.getConfig() as { maxValue?: number | null }).maxValue;
    if (relu?.getClassName() !== 'ReLU' || maxValue != null || inboundOf(relu)[0] !== previous || i === rest.length - 1)
      return undefined;
    previous = relu;
  }
  const joined = inboundOf(add);
  if (
    convs.length < 2 ||
    joined.length !== 2 ||
    joined[0] !== reshape ||
    joined[1] !== previous ||
    inboundOf(flatten)[0] !== add
  )
    return undefined;
  const channels = convs.map((c) => c.kernel.shape as number[]);
  if (channels[0][2] !== 1 || channels[channels.length - 1][3] !== 1) return undefined;
  return { convs, kernel };
}

/**
 * The convolutions as BLAS products. Where oneDNN is installed the general plan trains this model first
 * (directTraining.ts), so this step runs where it is not, or where the plan declined.
 */
function cnnStep(
  blas: BlasLibrary,
  layers: DirectConvLayer[],
  denoiser: Denoiser,
  kernel: number,
  batchSize: number,
  gradients: { kernels: Float32Array[]; biases: Float32Array[] },
): { stepper: ResidualCnnStep; runsOn: string } {
  const { onednn, problems } = loadOneDnn();
  const stepper = new ResidualCnnStep(blas, layers, denoiser.height, denoiser.width, kernel, batchSize, gradients);
  return { stepper, runsOn: `BLAS (${onednn ? 'the oneDNN plan declined it' : `no oneDNN: ${problems.join('; ')}`})` };
}

/**
 * Direct training for the residual CNN (DnCNN without batch norm) with a mean-squared-error loss, on the
 * wasm-blas engine, with any of the three optimizers. Everything else returns undefined and trains through
 * TensorFlow.js's tape.
 */
export function directCnnTraining(denoiser: Denoiser, training: Training): StepStrategy | undefined {
  const blas = engineBlas();
  if (!blas || denoiser.kind !== 'dncnn' || training.loss !== 'mse') return undefined;
  const chain = residualConvChain(denoiser.model);
  if (!chain || !chain.convs.some((c) => c.trainable)) return undefined;
  const shapes = chain.convs.map((conv) => conv.kernel.shape as number[]);
  const sizes = shapes.map((shape) => ({ kernel: shape.reduce((a, b) => a * b, 1), bias: shape[3] }));
  const { optimizer, layers: arrays } = layerArrays(
    training,
    sizes,
    chain.convs.map((conv) => conv.trainable),
  );
  const layers: DirectConvLayer[] = chain.convs.map((conv, i) => ({
    inChannels: shapes[i][2],
    outChannels: shapes[i][3],
    kernel: arrays[i].kernel,
    bias: arrays[i].bias,
    relu: i < chain.convs.length - 1,
    trainable: conv.trainable,
  }));
  const held: HeldWeights[] = chain.convs.map((layer, i) => ({
    layer,
    kernel: layers[i].kernel,
    bias: layers[i].bias,
  }));
  const gradients = { kernels: arrays.map((a) => a.kernelGradient), biases: arrays.map((a) => a.biasGradient) };
  const { stepper, runsOn } = cnnStep(blas, layers, denoiser, chain.kernel, training.batchSize, gradients);
  return {
    description: `residual CNN ${training.optimizer} steps run directly on ${runsOn}: ${layers.length} ${chain.kernel}x${chain.kernel} convolutions, ${layers.map((l) => l.outChannels).join('-')} channels`,
    loadWeights: () => loadHeldWeights(held),
    step(x, y, n, learningRate) {
      const loss = stepper.gradients(x, y, n);
      optimizer!.apply(learningRate);
      return loss;
    },
    storeWeights: () => storeHeldWeights(held),
    resumeState: () => optimizer!.resumeState(),
    restoreState: (state) => optimizer!.restoreState(state),
    dispose: () => stepper.dispose(),
  };
}
