import * as tf from '@tensorflow/tfjs';
import type { DenseModel } from '../config/experimentConfig.generated';

export type ActivationName = DenseModel['activation'];

/**
 * Hands out seeded weight initialisers, one seed per layer, so the same training seed gives
 * bit-identical initial weights on every machine.
 */
export class SeededInit {
  private next: number;
  constructor(seed: number) {
    this.next = seed * 1000;
  }
  kernel(): ReturnType<typeof tf.initializers.glorotUniform> {
    return tf.initializers.glorotUniform({ seed: this.next++ });
  }
}

/** tf.layers activations by name; leaky ReLU is a layer of its own in TensorFlow.js, not an activation string. */
export function activate(x: tf.SymbolicTensor, activation: ActivationName, name: string): tf.SymbolicTensor {
  if (activation === 'leakyRelu') return tf.layers.leakyReLU({ alpha: 0.2, name }).apply(x) as tf.SymbolicTensor;
  if (activation === 'linear') return x;
  return tf.layers.activation({ activation, name }).apply(x) as tf.SymbolicTensor;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function layersNamed(model: tf.LayersModel, prefix: string): tf.layers.Layer[] {
  return model.layers.filter((l) => l.name.startsWith(prefix));
}
