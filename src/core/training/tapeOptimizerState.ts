import * as tf from '@tensorflow/tfjs';
import type { Training } from '../config/experimentConfig.generated';
import { stateArrays, stateField, stateNumber, type StateValue } from './trainingState';

/** Adam's running beta powers: private in TensorFlow.js 4.22's AdamOptimizer, read here to save them. */
interface AdamInternals {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
}

/**
 * The state of a TensorFlow.js optimizer made by makeOptimizer: its step count and slot variables (Adam's
 * moments, momentum's accumulations) through the public getWeights(), in the order of the variables it
 * trains, plus Adam's running beta powers. setWeights() alone would recompute those as beta^(steps+1),
 * which differs in the last bits from the running product the uninterrupted run multiplies on.
 */
export async function tapeOptimizerState(optimizer: tf.Optimizer, kind: Training['optimizer']): Promise<StateValue> {
  const [iterations, ...slots] = await optimizer.getWeights();
  const state: { [key: string]: StateValue } = {
    optimizer: kind,
    iterations: iterations.tensor.dataSync()[0],
    shapes: slots.map((s) => [...s.tensor.shape]),
    slots: slots.map((s) => Float32Array.from(s.tensor.dataSync() as Float32Array)),
  };
  iterations.tensor.dispose(); // a scalar made for this call; the slots are the optimizer's own variables
  if (kind === 'adam') {
    const adam = optimizer as unknown as AdamInternals;
    state.betaPowers = [adam.accBeta1.dataSync()[0], adam.accBeta2.dataSync()[0]];
  }
  return state;
}

/** Slot variables per trained variable: Adam keeps two, momentum one, SGD none. */
const SLOTS: Record<Training['optimizer'], number> = { sgd: 0, momentum: 1, adam: 2 };

/** Puts a tapeOptimizerState() back into a fresh optimizer of the same kind over the same variables. */
export async function restoreTapeOptimizer(
  optimizer: tf.Optimizer,
  kind: Training['optimizer'],
  variables: readonly tf.Variable[],
  state: StateValue,
): Promise<void> {
  const saved = stateField(state, 'optimizer', 'optimizer state');
  if (saved !== kind)
    throw new Error(`the checkpoint's optimizer is ${JSON.stringify(saved)}, the config asks for ${kind}`);
  const slots = stateArrays(state, 'slots', 'optimizer state');
  const shapes = stateField(state, 'shapes', 'optimizer state') as number[][];
  // An optimizer that never stepped has no slots yet; otherwise one set per trained variable.
  if (slots.length !== 0 && slots.length !== SLOTS[kind] * variables.length) {
    throw new Error(
      `the checkpoint's optimizer state has ${slots.length} arrays for ${variables.length} trained weights: it is another model's`,
    );
  }
  slots.forEach((slot, i) => {
    const expected = variables[i % variables.length].shape;
    if (shapes[i]?.join('x') !== expected.join('x') || slot.length !== expected.reduce((a, b) => a * b, 1)) {
      throw new Error(
        `the checkpoint's optimizer state for weight ${i % variables.length} is ${shapes[i]?.join('x')}, the model's is ${expected.join('x')}`,
      );
    }
  });
  const tensors = [
    { name: 'iter', tensor: tf.scalar(stateNumber(state, 'iterations', 'optimizer state'), 'int32') },
    ...slots.map((slot, i) => ({
      name: `${variables[i % variables.length].name}/slot${i}`,
      tensor: tf.tensor(slot, shapes[i]),
    })),
  ];
  await optimizer.setWeights(tensors);
  // setWeights made variables of its own from these tensors (sharing their data by reference count).
  tensors.forEach((t) => t.tensor.dispose());
  if (kind === 'adam') {
    const [beta1Power, beta2Power] = stateField(state, 'betaPowers', 'optimizer state') as number[];
    const adam = optimizer as unknown as AdamInternals;
    tf.tidy(() => {
      adam.accBeta1.assign(tf.scalar(beta1Power));
      adam.accBeta2.assign(tf.scalar(beta2Power));
    });
  }
}
