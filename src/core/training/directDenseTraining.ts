import type * as tf from '@tensorflow/tfjs';
import type { Training } from '../config/experimentConfig.generated';
import type { Denoiser } from '../models/denoiser';
import { engineBlas } from '../engine/selectEngine';
import { DenseSgdStep, type DirectActivation, type DirectDenseLayer } from '../engine/blas/denseSgdStep';
import type { StepStrategy } from './stepStrategy';
import { layerArrays, statelessSgd } from './directOptimizer';
import { inboundOf, loadHeldWeights, storeHeldWeights, type WeightedLayerInternals } from './heldWeights';

const DIRECT_ACTIVATIONS = new Set<string>(['linear', 'relu', 'sigmoid', 'tanh']);

type DenseInternals = WeightedLayerInternals;

interface ChainLayer {
  readonly dense: tf.layers.Layer & DenseInternals;
  readonly activation: DirectActivation;
}

/**
 * The model as a chain of Dense layers (each followed by at most one Activation layer), or undefined when it
 * is anything else: another layer type, a branch, an activation without a simple derivative, no bias.
 */
function denseChain(model: tf.LayersModel): ChainLayer[] | undefined {
  const chain: { dense: tf.layers.Layer & DenseInternals; activation: string }[] = [];
  let previous: tf.layers.Layer | undefined;
  for (const layer of model.layers) {
    const inbound = inboundOf(layer);
    const className = layer.getClassName();
    if (className === 'InputLayer' && previous === undefined) {
      previous = layer;
      continue;
    }
    if (inbound.length !== 1 || inbound[0] !== previous) return undefined;
    const config = layer.getConfig() as { activation?: string; useBias?: boolean };
    if (className === 'Dense' && config.useBias !== false) {
      chain.push({ dense: layer as tf.layers.Layer & DenseInternals, activation: config.activation ?? 'linear' });
    } else if (className === 'Activation' && chain.length > 0 && chain[chain.length - 1].activation === 'linear') {
      // Folded into the Dense layer it follows (a linear activation before it changes nothing).
      chain[chain.length - 1].activation = config.activation ?? 'linear';
    } else {
      return undefined;
    }
    previous = layer;
  }
  if (chain.length === 0 || model.outputs.length !== 1 || model.outputLayers[0] !== previous) return undefined;
  if (!chain.every((c) => DIRECT_ACTIVATIONS.has(c.activation))) return undefined;
  return chain as ChainLayer[];
}

/**
 * Direct training for the seed's kind of run: a dense model, mean squared error, on the wasm-blas engine, with
 * plain SGD (folded into the products) or momentum or Adam (directOptimizer.ts). Everything else (other
 * models or losses, other engines) returns undefined and trains through TensorFlow.js's tape.
 */
export function directDenseTraining(denoiser: Denoiser, training: Training): StepStrategy | undefined {
  const blas = engineBlas();
  if (!blas || denoiser.kind !== 'dense' || training.loss !== 'mse') return undefined;
  const chain = denseChain(denoiser.model);
  if (!chain) return undefined;
  // Plain SGD folds each update into its product, on arrays of the step's own. Momentum and Adam get the
  // gradients, and the trainable layers' weights and gradients live in the optimizer's memory.
  const sgd = training.optimizer === 'sgd';
  const sizes = chain.map(({ dense }) => {
    const [inputs, units] = dense.kernel.shape as [number, number];
    return { inputs, units, kernel: inputs * units, bias: units };
  });
  const { optimizer, layers: arrays } = layerArrays(
    sgd ? undefined : training,
    sizes,
    chain.map(({ dense }) => dense.trainable),
  );
  const layers: DirectDenseLayer[] = chain.map(({ dense, activation }, i) => ({
    inputs: sizes[i].inputs,
    units: sizes[i].units,
    kernel: arrays[i].kernel,
    bias: arrays[i].bias,
    activation,
    trainable: dense.trainable,
  }));
  const gradients = optimizer && {
    kernels: arrays.map((a) => a.kernelGradient),
    biases: arrays.map((a) => a.biasGradient),
  };
  const stepper = new DenseSgdStep(blas, layers, training.batchSize, gradients);
  const held = chain.map(({ dense }, i) => ({ layer: dense, kernel: layers[i].kernel, bias: layers[i].bias }));
  return {
    description: `dense ${sgd ? 'SGD' : training.optimizer} steps run directly on BLAS (${layers.length} layers: ${layers.map((l) => l.activation).join(', ')})`,
    loadWeights: () => loadHeldWeights(held),
    step(x, y, n, learningRate) {
      if (!optimizer) return stepper.step(x, y, n, learningRate);
      const loss = stepper.gradients(x, y, n);
      optimizer.apply(learningRate);
      return loss;
    },
    storeWeights: () => storeHeldWeights(held),
    // Without an optimizer (plain SGD) the weights are the whole state.
    resumeState: () => (optimizer ?? statelessSgd()).resumeState(),
    restoreState: (state) => (optimizer ?? statelessSgd()).restoreState(state),
    dispose: () => undefined,
  };
}
