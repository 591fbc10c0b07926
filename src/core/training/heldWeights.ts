import * as tf from '@tensorflow/tfjs';

/** What is read of a Dense or Conv2D layer: fields the library keeps private in its typings. */
export interface WeightedLayerInternals {
  kernel: tf.LayerVariable;
  bias: tf.LayerVariable | null;
  inboundNodes: { inboundLayers: tf.layers.Layer[] }[];
}

export const inboundOf = (layer: tf.layers.Layer) =>
  (layer as unknown as WeightedLayerInternals).inboundNodes[0]?.inboundLayers ?? [];

/** A layer's kernel and bias and the arrays a direct step trains them in. */
export interface HeldWeights {
  readonly layer: tf.layers.Layer & WeightedLayerInternals;
  readonly kernel: Float32Array;
  readonly bias: Float32Array;
}

/** The model's current kernel and bias values into each layer's arrays. */
export function loadHeldWeights(held: readonly HeldWeights[]): void {
  for (const { layer, kernel, bias } of held) {
    kernel.set(layer.kernel.read().dataSync() as Float32Array);
    bias.set(layer.bias!.read().dataSync() as Float32Array);
  }
}

/** The trained arrays back into the trainable layers' variables. */
export function storeHeldWeights(held: readonly HeldWeights[]): void {
  for (const { layer, kernel, bias } of held) {
    if (!layer.trainable) continue;
    // Copies: the tensors must not share memory with the buffers the next steps write.
    tf.tidy(() => {
      layer.kernel.write(tf.tensor(kernel.slice(), layer.kernel.shape as number[]));
      layer.bias!.write(tf.tensor(bias.slice(), layer.bias!.shape as number[]));
    });
  }
}
