import * as tf from '@tensorflow/tfjs';
import { CBLAS, type BlasLibrary } from './loadBlas';
import { col2imAdd, columnsAreInput, forEachImageChunk, im2col, imagesPerChunk } from './im2col';
import {
  filterGradientOnGridApplies,
  tapShiftBackpropFilter,
  tapShiftBackpropInput,
  tapShiftConv2d,
} from './tapShiftConv';
import {
  oneChannelApplies,
  oneChannelBackpropFilter,
  oneChannelBackpropInput,
  oneChannelConv2d,
} from './oneChannelConv';
import { gridApplies, type Geometry } from './paddedGrid';
import {
  addBias,
  applyActivation,
  FUSABLE_ACTIVATIONS,
  heapView,
  type Activation,
  type WasmBackend,
} from '../wasm/wasmHeap';
import { replaceWasmKernel } from '../wasm/replaceKernel';

type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
interface ConvAttrs {
  strides: [number, number] | number;
  pad: Pad;
  dataFormat?: 'NHWC' | 'NCHW';
  dilations?: [number, number] | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  activation?: string;
  leakyreluAlpha?: number;
  inputShape?: [number, number, number, number];
  filterShape?: [number, number, number, number];
}

/** One reusable scratch buffer for the columns, grown on demand (it lives outside the wasm heap). */
let scratch = new Float32Array(0);
function columns(size: number): Float32Array {
  if (scratch.length < size) scratch = new Float32Array(size);
  return scratch.subarray(0, size);
}

/**
 * Calls `use` with the im2col columns of the batch, a chunk of images at a time (bounded scratch), or with
 * the input itself where it already is its own column matrix (1x1, stride 1, no padding). `outRows` is the
 * chunk's range in the [batch * outPixels, outChannels] output or output gradient.
 */
function forEachColumnChunk(
  X: Float32Array,
  g: tf.backend_util.Conv2DInfo,
  use: (
    first: number,
    count: number,
    rows: number,
    k: number,
    cols: Float32Array,
    outRows: { start: number; end: number },
  ) => void,
): void {
  const k = g.filterHeight * g.filterWidth * g.inChannels;
  const pixels = g.outHeight * g.outWidth;
  const direct = columnsAreInput(g);
  forEachImageChunk(g.batchSize, direct ? g.batchSize : imagesPerChunk(g), (first, count) => {
    const rows = count * pixels;
    let cols: Float32Array;
    if (direct) cols = X;
    else {
      cols = columns(rows * k);
      im2col(X, g, first, count, cols);
    }
    use(first, count, rows, k, cols, {
      start: first * pixels * g.outChannels,
      end: (first + count) * pixels * g.outChannels,
    });
  });
}

/** The three passes of one way to run stride-1 convolutions on the padded grid. */
interface GridPasses {
  conv2d: typeof tapShiftConv2d;
  backpropInput: typeof tapShiftBackpropInput;
  backpropFilter: typeof tapShiftBackpropFilter;
}
const oneChannel: GridPasses = {
  conv2d: oneChannelConv2d,
  backpropInput: oneChannelBackpropInput,
  backpropFilter: oneChannelBackpropFilter,
};
const perTap: GridPasses = {
  conv2d: tapShiftConv2d,
  backpropInput: tapShiftBackpropInput,
  backpropFilter: tapShiftBackpropFilter,
};

/**
 * The grid passes for g: one product per chunk where a side has one channel, one per filter tap otherwise; undefined
 * where im2col serves.
 */
function gridPasses(g: Geometry): GridPasses | undefined {
  if (!gridApplies(g)) return undefined;
  return oneChannelApplies(g) ? oneChannel : perTap;
}

/**
 * y = conv2d(x, filter) (+ bias, activation). Stride 1: on the padded grid, one product per chunk where a side
 * has one channel (oneChannelConv.ts), one per filter tap otherwise (tapShiftConv.ts), no im2col;
 * otherwise per chunk of images, im2col then one sgemm with the filter.
 */
function conv2d(
  blas: BlasLibrary,
  backend: WasmBackend,
  x: tf.TensorInfo,
  filter: tf.TensorInfo,
  g: tf.backend_util.Conv2DInfo,
  bias: tf.TensorInfo | undefined,
  activation: Activation,
  alpha: number,
): tf.TensorInfo {
  const out = backend.makeOutput(g.outShape, 'float32');
  const [X, W, Y] = [heapView(backend, x), heapView(backend, filter), heapView(backend, out)];
  const passes = gridPasses(g);
  if (passes) passes.conv2d(blas, X, W, g, Y, bias && heapView(backend, bias));
  else {
    forEachColumnChunk(X, g, (first, count, rows, k, cols, outRows) => {
      blas.sgemm(
        CBLAS.rowMajor,
        CBLAS.noTrans,
        CBLAS.noTrans,
        rows,
        g.outChannels,
        k,
        1,
        cols,
        k,
        W,
        g.outChannels,
        0,
        Y.subarray(outRows.start, outRows.end),
        g.outChannels,
      );
    });
    if (bias) addBias(Y, heapView(backend, bias));
  }
  applyActivation(Y, activation, alpha);
  return out;
}

/**
 * dx = conv2dBackpropInput(dy, filter): stride 1 by filter taps; otherwise per chunk, columns = dy x filterᵀ (one
 * sgemm), then col2im adds them up.
 */
function conv2dBackpropInput(
  blas: BlasLibrary,
  backend: WasmBackend,
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  g: tf.backend_util.Conv2DInfo,
): tf.TensorInfo {
  const out = backend.makeOutput(g.inShape, 'float32');
  const [DY, W, DX] = [heapView(backend, dy), heapView(backend, filter), heapView(backend, out)];
  const k = g.filterHeight * g.filterWidth * g.inChannels;
  const pixels = g.outHeight * g.outWidth;
  if (columnsAreInput(g)) {
    blas.sgemm(
      CBLAS.rowMajor,
      CBLAS.noTrans,
      CBLAS.trans,
      g.batchSize * pixels,
      k,
      g.outChannels,
      1,
      DY,
      g.outChannels,
      W,
      g.outChannels,
      0,
      DX,
      k,
    );
    return out;
  }
  const passes = gridPasses(g);
  if (passes) {
    passes.backpropInput(blas, DY, W, g, DX);
    return out;
  }
  DX.fill(0);
  forEachImageChunk(g.batchSize, imagesPerChunk(g), (first, count) => {
    const rows = count * pixels;
    const cols = columns(rows * k);
    blas.sgemm(
      CBLAS.rowMajor,
      CBLAS.noTrans,
      CBLAS.trans,
      rows,
      k,
      g.outChannels,
      1,
      DY.subarray(first * pixels * g.outChannels, (first + count) * pixels * g.outChannels),
      g.outChannels,
      W,
      g.outChannels,
      0,
      cols,
      k,
    );
    col2imAdd(cols, g, first, count, DX);
  });
  return out;
}

/**
 * dfilter = conv2dBackpropFilter(x, dy): stride 1 by filter taps; otherwise the sum over chunks of columnsᵀ x dy,
 * accumulated by sgemm (beta 1).
 */
function conv2dBackpropFilter(
  blas: BlasLibrary,
  backend: WasmBackend,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  g: tf.backend_util.Conv2DInfo,
): tf.TensorInfo {
  const out = backend.makeOutput(g.filterShape, 'float32');
  const [X, DY, DW] = [heapView(backend, x), heapView(backend, dy), heapView(backend, out)];
  const passes = gridPasses(g);
  // The per-tap filter gradient takes a filter row at a time, which needs undilated rows; im2col does the rest.
  if (passes && (passes === oneChannel || filterGradientOnGridApplies(g))) {
    passes.backpropFilter(blas, X, DY, g, DW);
    return out;
  }
  forEachColumnChunk(X, g, (first, count, rows, k, cols, outRows) => {
    // The first chunk overwrites DW, later ones add to it.
    blas.sgemm(
      CBLAS.rowMajor,
      CBLAS.trans,
      CBLAS.noTrans,
      k,
      g.outChannels,
      rows,
      1,
      cols,
      k,
      DY.subarray(outRows.start, outRows.end),
      g.outChannels,
      first === 0 ? 0 : 1,
      DW,
      g.outChannels,
    );
  });
  return out;
}

const geometry = (xShape: number[], filterShape: number[], a: ConvAttrs): tf.backend_util.Conv2DInfo =>
  tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    a.strides,
    a.dilations ?? 1,
    a.pad,
    a.dimRoundingMode,
    false,
    'channelsLast',
  );

const isFloat = (...ts: (tf.TensorInfo | undefined)[]) => ts.every((t) => t && t.dtype === 'float32');

/** Replaces one wasm kernel, sending what the BLAS path does not cover (NCHW among it) to the kernel it replaces. */
function override(
  kernelName: string,
  blasKernel: (
    inputs: Record<string, tf.TensorInfo | undefined>,
    attrs: ConvAttrs,
    backend: WasmBackend,
  ) => tf.TensorInfo | undefined,
): void {
  const kernelFunc = replaceWasmKernel(kernelName, (args) => {
    const attrs = args.attrs as unknown as ConvAttrs;
    if ((attrs.dataFormat ?? 'NHWC') !== 'NHWC') return undefined;
    return blasKernel(
      args.inputs as Record<string, tf.TensorInfo | undefined>,
      attrs,
      args.backend as unknown as WasmBackend,
    );
  });
  blasKernelFuncs.add(kernelFunc);
}

/** The kernel functions installed here, so a test can tell that the wasm backend really runs them. */
export const blasKernelFuncs = new WeakSet<tf.KernelFunc>();

let registered = false;

/**
 * Replaces the wasm backend's 2-D convolution kernels (forward, fused forward and both gradients) with
 * cblas_sgemm on rearranged inputs (by filter taps at stride 1, im2col otherwise), NHWC only; NCHW, non-float32 and
 * prelu go to the kernels they replace.
 * Once per process: the kernel registry is global.
 */
export function registerBlasConv(blas: BlasLibrary): void {
  if (registered) return;
  registered = true;
  override('Conv2D', ({ x, filter }, a, backend) =>
    isFloat(x, filter)
      ? conv2d(blas, backend, x!, filter!, geometry(x!.shape, filter!.shape, a), undefined, 'linear', 0)
      : undefined,
  );
  override('FusedConv2D', ({ x, filter, bias, preluActivationWeights }, a, backend) => {
    const activation = a.activation ?? 'linear';
    if (!isFloat(x, filter) || preluActivationWeights || !FUSABLE_ACTIVATIONS.has(activation)) return undefined;
    if (bias && (bias.dtype !== 'float32' || tf.util.sizeFromShape(bias.shape) !== filter!.shape[3])) return undefined;
    return conv2d(
      blas,
      backend,
      x!,
      filter!,
      geometry(x!.shape, filter!.shape, a),
      bias,
      activation as Activation,
      a.leakyreluAlpha ?? 0.2,
    );
  });
  override('Conv2DBackpropInput', ({ dy, filter }, a, backend) =>
    isFloat(dy, filter) && a.inputShape
      ? conv2dBackpropInput(blas, backend, dy!, filter!, geometry(a.inputShape, filter!.shape, a))
      : undefined,
  );
  override('Conv2DBackpropFilter', ({ x, dy }, a, backend) =>
    isFloat(x, dy) && a.filterShape
      ? conv2dBackpropFilter(blas, backend, x!, dy!, geometry(x!.shape, a.filterShape, a))
      : undefined,
  );
}
