import * as tf from '@tensorflow/tfjs';
import type { Training } from '../config/experimentConfig.generated';
import { DenseElementwise } from '../engine/wasm/denseElementwise';
import { stateArrays as savedArrays, stateField, type StateValue } from './trainingState';

/**
 * The weights a direct step trains, their gradients, and how they are updated. All three live in one
 * WebAssembly memory so that momentum and Adam run as SIMD passes (denseElementwise.wat): as JavaScript loops
 * over the seed's dense model (1.33M weights) the direct Adam step was slower than the tape (27.5 ms a step
 * against 21.7-26.9, measured once on BENCHMARKS.md's 2-core AVX-512 machine).
 */
export interface DirectOptimizer {
  /**
   * One array per size asked for: the step reads these weights (the caller loads the model's values in). These
   * arrays and the gradients never move (one fixed-size shared WebAssembly.Memory), so native code may keep their
   * addresses (the oneDNN plan reads and writes them in place).
   */
  readonly weights: Float32Array[];
  /** One array per weight array: the step writes the batch's gradients here before apply(). */
  readonly gradients: Float32Array[];
  /** weights -= the update from gradients, with the optimizer's state. */
  apply(learningRate: number): void;
  /** Copies of the optimizer's state (momentum's accumulation; Adam's moments and running beta powers). */
  resumeState(): StateValue;
  /** Puts a resumeState() back; throws when it is another optimizer's or sized for other weights. */
  restoreState(state: StateValue): void;
}

/** Arrays of the optimizer's state (momentum: 1, Adam: 2) per weight array. */
function stateArrays(optimizer: Training['optimizer']): number {
  return optimizer === 'adam' ? 2 : optimizer === 'momentum' ? 1 : 0;
}

/**
 * The update rules of tf.train.sgd, tf.train.momentum (not Nesterov) and tf.train.adam (beta1 0.9, beta2 0.999,
 * epsilon the backend's), written out as TensorFlow.js 4.22's optimizers compute them, so a direct run and a
 * run through the tape end at the same weights (the tests compare them to 1e-4). The state (momentum's
 * accumulation, Adam's moments and its running beta powers) lives as long as the run, as it does in the
 * optimizer TensorFlow.js keeps for the run.
 */
export function directOptimizer(training: Training, sizes: readonly number[]): DirectOptimizer {
  const states = stateArrays(training.optimizer);
  const simd = new DenseElementwise(Array.from({ length: 2 + states }, () => sizes).flat());
  const [weights, gradients, first, second] = Array.from({ length: 2 + states }, (_, k) =>
    simd.buffers.slice(k * sizes.length, (k + 1) * sizes.length),
  );
  switch (training.optimizer) {
    case 'sgd':
      return {
        weights,
        gradients,
        ...slotState(training.optimizer, [], {}),
        apply: (learningRate) => weights.forEach((w, i) => simd.sgd(w, gradients[i], learningRate)),
      };
    case 'momentum':
      return {
        weights,
        gradients,
        ...slotState(training.optimizer, first, {}),
        apply: (learningRate) =>
          weights.forEach((w, i) => simd.momentum(w, gradients[i], first[i], learningRate, training.momentum)),
      };
    case 'adam': {
      const beta1 = 0.9;
      const beta2 = 0.999;
      const epsilon = tf.backend().epsilon();
      let beta1Power = beta1;
      let beta2Power = beta2;
      const powers = {
        get: () => [beta1Power, beta2Power],
        set: ([b1, b2]: number[]) => ([beta1Power, beta2Power] = [b1, b2]),
      };
      return {
        weights,
        gradients,
        ...slotState(training.optimizer, [...first, ...second], { betaPowers: powers }),
        apply(learningRate) {
          weights.forEach((w, i) =>
            simd.adam(
              w,
              gradients[i],
              first[i],
              second[i],
              learningRate,
              beta1,
              beta2,
              1 - beta1Power,
              1 - beta2Power,
              epsilon,
            ),
          );
          beta1Power *= beta1;
          beta2Power *= beta2;
        },
      };
    }
  }
}

/** A number list of an optimizer's state that lives outside its arrays (Adam's running beta powers). */
interface StateNumbers {
  get(): number[];
  set(values: number[]): void;
}

/**
 * resumeState and restoreState over an optimizer's slot arrays and its other numbers. The copies go through
 * the checkpoint and back into the same WebAssembly arrays, so the next apply() continues unchanged.
 */
function slotState(
  kind: Training['optimizer'],
  slots: readonly Float32Array[],
  numbers: Record<string, StateNumbers>,
): Pick<DirectOptimizer, 'resumeState' | 'restoreState'> {
  return {
    resumeState: () => ({
      optimizer: kind,
      slots: slots.map((s) => s.slice()),
      ...Object.fromEntries(Object.entries(numbers).map(([key, n]) => [key, n.get()])),
    }),
    restoreState(state) {
      const saved = stateField(state, 'optimizer', 'optimizer state');
      if (saved !== kind)
        throw new Error(`the checkpoint's optimizer is ${JSON.stringify(saved)}, the config asks for ${kind}`);
      const arrays = savedArrays(state, 'slots', 'optimizer state');
      if (arrays.length !== slots.length || arrays.some((a, i) => a.length !== slots[i].length)) {
        throw new Error(
          `the checkpoint's optimizer state is sized for other weights (${arrays.length} arrays, ${slots.length} here): it is another model's`,
        );
      }
      arrays.forEach((a, i) => slots[i].set(a));
      for (const [key, n] of Object.entries(numbers)) n.set(stateField(state, key, 'optimizer state') as number[]);
    },
  };
}

/** The resume state of a direct step without an optimizer of its own (plain SGD folded into the products). */
export function statelessSgd(): Pick<DirectOptimizer, 'resumeState' | 'restoreState'> {
  return slotState('sgd', [], {});
}

/** A layer's arrays on a direct path: what the step reads (kernel, bias) and where it writes their gradients. */
export interface LayerArrays {
  kernel: Float32Array;
  bias: Float32Array;
  kernelGradient: Float32Array;
  biasGradient: Float32Array;
}

/**
 * Each layer's arrays, with an optimizer over the trainable layers: their weights and gradients are the
 * optimizer's (in its memory). Frozen layers get weight arrays of their own and empty gradients, which no step
 * writes. Without `training` (plain SGD folded into the products) every layer gets weight arrays of its own,
 * empty gradients and no optimizer.
 */
export function layerArrays(
  training: Training | undefined,
  sizes: readonly { kernel: number; bias: number }[],
  trainable: readonly boolean[],
): { optimizer?: DirectOptimizer; layers: LayerArrays[] } {
  const trained = training ? sizes.flatMap((_, i) => (trainable[i] ? [i] : [])) : [];
  const optimizer =
    training &&
    directOptimizer(
      training,
      trained.flatMap((i) => [sizes[i].kernel, sizes[i].bias]),
    );
  const layers = sizes.map((size, i) => {
    const at = trained.indexOf(i);
    if (!optimizer || at < 0) {
      return {
        kernel: new Float32Array(size.kernel),
        bias: new Float32Array(size.bias),
        kernelGradient: new Float32Array(0),
        biasGradient: new Float32Array(0),
      };
    }
    return {
      kernel: optimizer.weights[2 * at],
      bias: optimizer.weights[2 * at + 1],
      kernelGradient: optimizer.gradients[2 * at],
      biasGradient: optimizer.gradients[2 * at + 1],
    };
  });
  return { optimizer, layers };
}
