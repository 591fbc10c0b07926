import * as tf from '@tensorflow/tfjs';
import { heapView, type WasmBackend } from './wasmHeap';
import { replaceWasmKernel } from './replaceKernel';
import { CBLAS, type BlasLibrary } from '../blas/loadBlas';

/*
 * Wasm kernels that spent training time on copies, per kernel timings of a real training step on wasm-blas,
 * measured once on BENCHMARKS.md's 2-core AVX-512 machine (residual CNN, batch 128: Sum 30 ms and Identity 7 ms
 * of about 510 ms; dense: 2.2 ms and 1.6 ms of 35 ms):
 *  - Sum over the leading axes (every bias gradient) first transposed the whole gradient so the reduced axes
 *    came last, then summed; here it is one pass: with a BLAS, ones(1 x rows) x X by sgemm (about 1 ms for a
 *    128x28x28x32 gradient, where a JavaScript loop took 5), without one a loop into a float64 accumulator.
 *  - Identity copied the tensor; tensors are immutable, so here it shares the data as Reshape does (and as
 *    the cpu backend's Identity does); so does a Cast to the dtype the tensor already has.
 * Anything else (other axes, other dtypes) goes to the original kernel.
 */

interface SumAttrs {
  axis: number | number[];
  keepDims: boolean;
}

/** The reduced axes when they are exactly the leading ones (0..n-1 with n < rank), otherwise undefined. */
function leadingAxes(shape: number[], axis: number | number[]): number | undefined {
  const axes = [...new Set((Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + shape.length : a)))].sort(
    (a, b) => a - b,
  );
  if (axes.length === 0 || axes.length >= shape.length || axes.some((a, i) => a !== i)) return undefined;
  return axes.length;
}

let ones = new Float32Array(0);

function sumLeadingAxes(
  backend: WasmBackend,
  x: tf.TensorInfo,
  reduced: number,
  keepDims: boolean,
  blas?: BlasLibrary,
): tf.TensorInfo {
  const kept = x.shape.slice(reduced);
  const width = tf.util.sizeFromShape(kept);
  const out = backend.makeOutput(keepDims ? [...x.shape.slice(0, reduced).map(() => 1), ...kept] : kept, 'float32');
  const X = heapView(backend, x);
  const rows = width === 0 ? 0 : X.length / width;
  if (blas && rows > 0) {
    if (ones.length < rows) ones = new Float32Array(rows).fill(1);
    blas.sgemm(
      CBLAS.rowMajor,
      CBLAS.noTrans,
      CBLAS.noTrans,
      1,
      width,
      rows,
      1,
      ones,
      rows,
      X,
      width,
      0,
      heapView(backend, out),
      width,
    );
    return out;
  }
  const acc = new Float64Array(width);
  for (let start = 0; start < X.length; start += width) {
    for (let j = 0; j < width; j++) acc[j] += X[start + j];
  }
  heapView(backend, out).set(acc);
  return out;
}

let registered = false;

/**
 * Replaces the wasm backend's Sum (leading axes, float32), Identity and same-dtype Cast, once per process; blas for
 * wasm-blas.
 */
export function registerCopyFreeKernels(blas?: BlasLibrary): void {
  if (registered) return;
  registered = true;
  replaceWasmKernel('Sum', (args) => {
    const x = (args.inputs as { x: tf.TensorInfo }).x;
    const { axis, keepDims } = args.attrs as unknown as SumAttrs;
    const reduced = x.dtype === 'float32' ? leadingAxes(x.shape, axis) : undefined;
    return reduced === undefined
      ? undefined
      : sumLeadingAxes(args.backend as unknown as WasmBackend, x, reduced, keepDims, blas);
  });
  replaceWasmKernel('Identity', (args) => {
    const x = (args.inputs as { x: tf.TensorInfo }).x;
    return x.dtype === 'string' ? undefined : share(args.backend as tf.KernelBackend, x);
  });
  // Cast to the dtype a tensor already has copied it too: every ReLU gradient casts step(x), float32 to
  // float32 (residual CNN: 2.3 ms a step, measured once on BENCHMARKS.md's 2-core AVX-512 machine).
  replaceWasmKernel('Cast', (args) => {
    const x = (args.inputs as { x: tf.TensorInfo }).x;
    const { dtype } = args.attrs as { dtype: tf.DataType };
    return x.dtype === dtype && dtype !== 'string' ? share(args.backend as tf.KernelBackend, x) : undefined;
  });
}

/** A new tensor on the same data: tensors are immutable, so sharing is safe, as Reshape does. */
function share(backend: tf.KernelBackend, x: tf.TensorInfo): tf.TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}
