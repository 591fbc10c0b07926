import * as tf from '@tensorflow/tfjs';
import { heapView, type WasmBackend } from './wasmHeap';

/**
 * dfilter[fy, fx, ci, co] = sum over images and output pixels of x[b, iy, ix, ci] * dy[b, oy, ox, co], as a
 * direct loop whose innermost run is contiguous over output channels. Written by hand because the wasm
 * backend has no Conv2DBackpropFilter, and its compiled Conv3DBackpropFilterV2 (which a depth-1 call could
 * have reused) gives wrong filters for strides above 1 in tfjs 4.22 (checked against the cpu kernel).
 * Sums are kept in float64 so a large batch does not lose precision.
 */
function backpropFilter(x: Float32Array, dy: Float32Array, g: tf.backend_util.Conv2DInfo): Float64Array {
  const {
    batchSize,
    inHeight,
    inWidth,
    inChannels: ci,
    outHeight,
    outWidth,
    outChannels: co,
    filterHeight,
    filterWidth,
  } = g;
  const dw = new Float64Array(filterHeight * filterWidth * ci * co);
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        const dyRow = ((b * outHeight + oy) * outWidth + ox) * co;
        for (let fy = 0; fy < filterHeight; fy++) {
          const iy = oy * g.strideHeight - g.padInfo.top + fy * g.dilationHeight;
          if (iy < 0 || iy >= inHeight) continue;
          for (let fx = 0; fx < filterWidth; fx++) {
            const ix = ox * g.strideWidth - g.padInfo.left + fx * g.dilationWidth;
            if (ix < 0 || ix >= inWidth) continue;
            const xRow = ((b * inHeight + iy) * inWidth + ix) * ci;
            const dwTap = (fy * filterWidth + fx) * ci * co;
            for (let c = 0; c < ci; c++) {
              const xv = x[xRow + c];
              if (xv === 0) continue;
              const at = dwTap + c * co;
              for (let o = 0; o < co; o++) dw[at + o] += xv * dy[dyRow + o];
            }
          }
        }
      }
    }
  }
  return dw;
}

/** The kernel function, exported so a test can run it on the wasm backend even where BLAS kernels replace it. */
export function conv2dBackpropFilterOnWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs: tf.NamedAttrMap;
}): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs as unknown as {
    strides: [number, number] | number;
    pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
    dataFormat: 'NHWC' | 'NCHW';
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    filterShape: [number, number, number, number];
  };
  if (attrs.dataFormat === 'NCHW')
    throw new Error('Conv2DBackpropFilter on the wasm engine supports NHWC (channelsLast) only');
  if (x.dtype !== 'float32' || dy.dtype !== 'float32')
    throw new Error(`Conv2DBackpropFilter needs float32 tensors, got ${x.dtype} and ${dy.dtype}`);
  const g = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  const sums = backpropFilter(heapView(backend, x), heapView(backend, dy), g);
  const dw = backend.makeOutput(g.filterShape, 'float32');
  heapView(backend, dw).set(sums);
  return dw;
}

/** Adds Conv2DBackpropFilter to the wasm backend, once per process (the kernel registry is global). */
export function registerWasmConv2DBackpropFilter(): void {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) return;
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: conv2dBackpropFilterOnWasm as unknown as tf.KernelFunc,
  });
}
