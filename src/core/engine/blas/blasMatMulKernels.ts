import * as tf from '@tensorflow/tfjs';
import { CBLAS, type BlasLibrary } from './loadBlas';
import { fillRowsWithBias } from './biasRows';
import { replaceWasmKernel } from '../wasm/replaceKernel';
import { applyActivation, FUSABLE_ACTIVATIONS, heapView, type Activation, type WasmBackend } from '../wasm/wasmHeap';

/** [batch, rows, cols] of a rank-2 or rank-3 operand (tf.matMul hands BatchMatMul rank-2 tensors as they are). */
const asBatched = (shape: number[]): [number, number, number] =>
  shape.length === 2 ? [1, shape[0], shape[1]] : [shape[0], shape[1], shape[2]];

/**
 * Batched C = op(A) op(B) (+ bias, activation) with one cblas_sgemm per batch item, reading and writing the
 * wasm heap in place. Batch dimensions broadcast when one side has a batch of 1, as tf.matMul allows. A bias
 * is laid into C first and the product added onto it (beta 1).
 */
function blasMatMul(
  blas: BlasLibrary,
  backend: WasmBackend,
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
  bias: tf.TensorInfo | undefined,
  activation: Activation,
  alpha: number,
): tf.TensorInfo {
  const [batchA, a1, a2] = asBatched(a.shape);
  const [batchB, b1, b2] = asBatched(b.shape);
  const m = transposeA ? a2 : a1;
  const k = transposeA ? a1 : a2;
  const n = transposeB ? b1 : b2;
  const batch = Math.max(batchA, batchB);
  const rank2 = a.shape.length === 2 && b.shape.length === 2;
  const out = backend.makeOutput(rank2 ? [m, n] : [batch, m, n], 'float32');
  // Views are taken after makeOutput: its allocation may grow the heap and detach older views.
  const [A, B, C] = [heapView(backend, a), heapView(backend, b), heapView(backend, out)];
  if (bias) fillRowsWithBias(blas, C, batch * m, heapView(backend, bias));
  for (let i = 0; i < batch; i++) {
    const ai = batchA === 1 ? 0 : i;
    const bi = batchB === 1 ? 0 : i;
    blas.sgemm(
      CBLAS.rowMajor,
      transposeA ? CBLAS.trans : CBLAS.noTrans,
      transposeB ? CBLAS.trans : CBLAS.noTrans,
      m,
      n,
      k,
      1,
      A.subarray(ai * m * k, (ai + 1) * m * k),
      transposeA ? m : k,
      B.subarray(bi * k * n, (bi + 1) * k * n),
      transposeB ? k : n,
      bias ? 1 : 0,
      C.subarray(i * m * n, (i + 1) * m * n),
      n,
    );
  }
  applyActivation(C, activation, alpha);
  return out;
}

/**
 * Replaces the wasm backend's BatchMatMul and _FusedMatMul with BLAS-backed kernels. The wasm kernels run matrix
 * products at about 4 GFLOP/s (transposed ones under 1); OpenBLAS reached 100-230 when measured once on
 * BENCHMARKS.md's 2-core AVX-512 machine, and matrix products are most of a dense model's training time. Cases
 * the BLAS path does not cover (prelu, non-float32, a bias that is not rank 1) go to the original kernel.
 */
export function registerBlasMatMul(blas: BlasLibrary): void {
  for (const kernelName of ['BatchMatMul', '_FusedMatMul']) {
    replaceWasmKernel(kernelName, (args) => {
      const { a, b, bias, preluActivationWeights } = args.inputs as Record<string, tf.TensorInfo | undefined>;
      const attrs = args.attrs as {
        transposeA: boolean;
        transposeB: boolean;
        activation?: string;
        leakyreluAlpha?: number;
      };
      const activation = attrs.activation ?? 'linear';
      const supported =
        a &&
        b &&
        a.dtype === 'float32' &&
        b.dtype === 'float32' &&
        a.shape.length === b.shape.length &&
        (a.shape.length === 2 ||
          (a.shape.length === 3 && (a.shape[0] === b.shape[0] || a.shape[0] === 1 || b.shape[0] === 1))) &&
        !preluActivationWeights &&
        FUSABLE_ACTIVATIONS.has(activation) &&
        (!bias || (bias.shape.length === 1 && bias.shape[0] === b.shape[b.shape.length - (attrs.transposeB ? 2 : 1)]));
      if (!supported) return undefined;
      return blasMatMul(
        blas,
        args.backend as unknown as WasmBackend,
        a,
        b,
        attrs.transposeA,
        attrs.transposeB,
        bias,
        activation as Activation,
        attrs.leakyreluAlpha ?? 0.2,
      );
    });
  }
}
