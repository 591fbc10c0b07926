import * as tf from '@tensorflow/tfjs';

/**
 * Replaces one of the wasm backend's kernels. `handle` returns the result, or undefined to send the call to
 * the kernel it replaces. The original's setupFunc is kept: the wasm backend runs it at start to bind its
 * compiled function, which the fallback needs. Returns the installed kernel function.
 */
export function replaceWasmKernel(
  kernelName: string,
  handle: (
    args: Parameters<tf.KernelFunc>[0],
    original: tf.KernelConfig,
  ) => tf.TensorInfo | tf.TensorInfo[] | undefined,
): tf.KernelFunc {
  const original = tf.getKernel(kernelName, 'wasm');
  if (!original) throw new Error(`the wasm backend has no ${kernelName} kernel to replace`);
  const kernelFunc: tf.KernelFunc = (args) => handle(args, original) ?? original.kernelFunc(args);
  tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel({ ...original, kernelFunc });
  return kernelFunc;
}
