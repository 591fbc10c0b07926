import * as tf from '@tensorflow/tfjs';

/** The parts of the wasm backend our kernels touch: tensor memory lives on the wasm heap. */
export interface WasmBackend {
  dataIdMap: { get(dataId: object): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  wasm: { HEAPU8: Uint8Array };
}

/**
 * A view of a tensor's data on the wasm heap: kernels read and write it in place, no copy in or out.
 * Take views after every makeOutput call: an allocation may grow the heap and detach older views.
 */
export function heapView(backend: WasmBackend, t: tf.TensorInfo): Float32Array {
  const { memoryOffset } = backend.dataIdMap.get(t.dataId);
  return new Float32Array(backend.wasm.HEAPU8.buffer, memoryOffset, tf.util.sizeFromShape(t.shape));
}

export type Activation = 'linear' | 'relu' | 'relu6' | 'elu' | 'sigmoid' | 'leakyrelu';

/** The activations a fused BLAS kernel applies in place after its product (prelu goes to the original kernel). */
export const FUSABLE_ACTIVATIONS = new Set<string>(['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu']);

/** Adds a bias over the last dimension of c, in place (c holds rows of bias.length values). */
export function addBias(c: Float32Array, bias: Float32Array): void {
  const n = bias.length;
  for (let start = 0; start < c.length; start += n) {
    for (let j = 0; j < n; j++) c[start + j] += bias[j];
  }
}

export function applyActivation(c: Float32Array, activation: Activation, alpha: number): void {
  switch (activation) {
    case 'linear':
      return;
    case 'relu':
      for (let i = 0; i < c.length; i++) if (c[i] < 0) c[i] = 0;
      return;
    case 'relu6':
      for (let i = 0; i < c.length; i++) c[i] = Math.min(6, Math.max(0, c[i]));
      return;
    case 'elu':
      for (let i = 0; i < c.length; i++) if (c[i] < 0) c[i] = Math.expm1(c[i]);
      return;
    case 'sigmoid':
      for (let i = 0; i < c.length; i++) c[i] = 1 / (1 + Math.exp(-c[i]));
      return;
    case 'leakyrelu':
      for (let i = 0; i < c.length; i++) if (c[i] < 0) c[i] *= alpha;
      return;
  }
}
