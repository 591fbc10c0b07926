import { DESC_BYTES, DNNL, type Handle } from '../onednn/loadOneDnn';
import type { OwnedFloats, Runnable } from '../onednn/oneDnnScope';
import type { ConvNode } from './layerGraph';
import type { PassTools } from './passTools';

/*
 * A strided transposed convolution's forward pass as stride-1 convolutions, one per output phase (sub-pixel
 * decomposition). Output pixel j = s*m + a of a stride-s transposed convolution only ever reads the kernel taps
 * k = a + padBefore (mod s), so each phase a (s x s of them in 2-D) is an ordinary convolution of the input with
 * those taps, flipped, that fills every s-th output pixel. oneDNN's own deconvolution runs its forward pass as a
 * convolution's backward-data pass, and its stride-2 kernel for that (jit:avx512_core, oneDNN 2.6) was the cost
 * of the conv autoencoder's step: on the 2-core AVX-512 machine of BENCHMARKS.md, batch 64, 64 -> 32 channels,
 * 14x14 -> 28x28, kernel 3, it took 43-85 ms in NHWC or oneDNN's blocked layouts, against 2.5 ms for the four
 * phase convolutions (brgconv, 2x2, 2x1, 1x2 and 1x1 taps) they become; 67 ms against 4 x 0.5 ms for the
 * U-Net's kernel 2. The gradients stay on oneDNN's deconvolution primitives (its backward-data pass is a
 * convolution's forward one, and fast).
 */

/** One phase of one dimension: output pixels offset, offset + stride, ... from `taps` kernel taps. */
export interface Phase1d {
  /** The first output pixel of the phase (0 .. stride - 1). */
  readonly offset: number;
  /** The kernel tap that multiplies the input pixel read last; the others are first + stride, first + 2 stride, ... */
  readonly first: number;
  readonly taps: number;
  /** Output pixels of the phase. */
  readonly count: number;
  /** The stride-1 convolution's padding of the input. */
  readonly padBefore: number;
  readonly padAfter: number;
}

/**
 * The phases of one dimension of a transposed convolution (input size, output size, kernel, stride, padding
 * before as layerGraph.ts computes it), or undefined when one would need a negative padding (a cropped output):
 * those keep oneDNN's deconvolution.
 */
export function phases1d(
  input: number,
  output: number,
  kernel: number,
  stride: number,
  padBefore: number,
): Phase1d[] | undefined {
  const phases: Phase1d[] = [];
  for (let offset = 0; offset < stride; offset++) {
    const count = Math.ceil((output - offset) / stride);
    if (count <= 0) continue;
    // Output j = stride*m + offset reads input i = (j + padBefore - k) / stride for the taps k that divide.
    const first = (offset + padBefore) % stride;
    const shift = Math.floor((offset + padBefore) / stride);
    const taps = Math.ceil((kernel - first) / stride);
    if (taps <= 0) return undefined;
    const before = taps - 1 - shift;
    const after = count + taps - 1 - before - input;
    if (before < 0 || after < 0) return undefined;
    phases.push({ offset, first, taps, count, padBefore: before, padAfter: after });
  }
  return phases;
}

/** Both dimensions' phases of a strided transposed convolution node, or undefined when it keeps oneDNN's. */
export function transposedPhases(node: ConvNode): { rows: Phase1d[]; cols: Phase1d[] } | undefined {
  if (!node.transposed || (node.strides[0] === 1 && node.strides[1] === 1)) return undefined;
  const rows = phases1d(node.inShape[0], node.outShape[0], node.kernel[0], node.strides[0], node.padBefore[0]);
  const cols = phases1d(node.inShape[1], node.outShape[1], node.kernel[1], node.strides[1], node.padBefore[1]);
  return rows && cols ? { rows, cols } : undefined;
}

/** Floats per image of the largest phase's output (the first): the scratch each phase is computed into. */
export function largestPhase(node: ConvNode): number {
  const phases = transposedPhases(node);
  return phases ? phases.rows[0].count * phases.cols[0].count * node.outShape[2] : 0;
}

/**
 * The forward primitives of a strided transposed convolution node for batch n: per phase, the convolution
 * into `scratch` (bias and activation included) and a reorder into every s-th pixel of the output. `prepare`
 * gathers each phase's taps from the model's kernel (TensorFlow.js's [kh][kw][out][in]) before the weight
 * reorders of `beforeForward`; run it before every forward pass (the weights change each step).
 */
export function transposedConvForward(
  tools: PassTools,
  node: ConvNode,
  scratch: OwnedFloats,
): { prepare: () => void; beforeForward: Runnable[]; forward: Runnable[] } | undefined {
  const phases = transposedPhases(node);
  if (!phases) return undefined;
  const { scope, n } = tools;
  const { call } = scope.onednn;
  const [ih, iw, ci] = node.inShape;
  const [oh, ow, co] = node.outShape;
  const kw = node.kernel[1];
  const [sh, sw] = node.strides;
  const [kernel, bias] = node.weights;
  const srcMd = scope.md([n, ci, ih, iw], DNNL.tag.nhwc);
  const biasMd = bias ? scope.md([co], DNNL.tag.a) : null;
  const biasMemory = bias ? scope.memory(biasMd!, tools.weight(bias).values.address) : null;
  const act = tools.eltwise(node.activation);
  const prop = tools.needsGrad(node.output) ? DNNL.prop.forwardTraining : DNNL.prop.forwardInference;
  const gathers: (() => void)[] = [];
  const beforeForward: Runnable[] = [];
  const forward: Runnable[] = [];
  for (const r of phases.rows) {
    for (const c of phases.cols) {
      const dstMd = scope.md([n, co, r.count, c.count], DNNL.tag.nhwc);
      const desc = new Uint8Array(DESC_BYTES.op);
      call.convolution_forward_desc_init(
        desc,
        prop,
        DNNL.alg.convolutionDirect,
        srcMd,
        scope.md([co, ci, r.taps, c.taps], DNNL.tag.any),
        biasMd,
        dstMd,
        BigInt64Array.from([1n, 1n]),
        BigInt64Array.from([BigInt(r.padBefore), BigInt(c.padBefore)]),
        BigInt64Array.from([BigInt(r.padAfter), BigInt(c.padAfter)]),
      );
      const pd = scope.primitiveDesc(desc, null, act ? scope.eltwiseAfter(act.forward, act.alpha) : null);
      tools.implementation(pd);
      // The phase's taps, flipped, in hwio order: tap u of the phase is kernel row first + stride * (taps - 1 - u).
      const taps = scope.floats(r.taps * c.taps * ci * co);
      gathers.push(() => {
        const w = tools.weight(kernel).values.floats;
        const g = taps.floats;
        for (let u = 0; u < r.taps; u++) {
          const row = r.first + sh * (r.taps - 1 - u);
          for (let v = 0; v < c.taps; v++) {
            const col = c.first + sw * (c.taps - 1 - v);
            const from = (row * kw + col) * co * ci;
            const to = (u * c.taps + v) * ci * co;
            for (let o = 0; o < co; o++) for (let i = 0; i < ci; i++) g[to + i * co + o] = w[from + o * ci + i];
          }
        }
      });
      const weights = scope.memory(scope.onednn.queryMd(pd, DNNL.query.weights, 0));
      const userMd = scope.md([co, ci, r.taps, c.taps], DNNL.tag.hwio);
      beforeForward.push(
        scope.runnable(scope.reorderDesc(userMd, scope.onednn.queryMd(pd, DNNL.query.weights, 0)), {
          [DNNL.arg.src]: taps.memory,
          [DNNL.arg.dst]: weights,
        }),
      );
      const args: Record<number, Handle> = {
        [DNNL.arg.src]: tools.value(node.inputs[0], srcMd),
        [DNNL.arg.weights]: weights,
        [DNNL.arg.dst]: scope.memory(dstMd, scratch.address),
      };
      if (biasMemory) args[DNNL.arg.bias] = biasMemory;
      forward.push(scope.runnable(pd, args));
      for (const piece of interleavePieces(tools, n, co, r.count, c.count, [oh * ow * co, sh * ow * co, sw * co])) {
        const from = scope.memory(piece.from, scratch.address + BigInt(4 * piece.fromOffset));
        const offset = piece.intoOffset + (r.offset * ow + c.offset) * co;
        forward.push(
          scope.runnable(scope.reorderDesc(piece.from, piece.into), {
            [DNNL.arg.src]: from,
            [DNNL.arg.dst]: tools.value(node.output, piece.into, offset),
          }),
        );
      }
    }
  }
  return { prepare: () => gathers.forEach((g) => g()), beforeForward, forward };
}

/**
 * The reorders that put a phase's dense NHWC [n, rows, cols, channels] into every s-th pixel of the output
 * (strides: the output's per image, per phase row and per phase column, in floats): one for the batch where
 * oneDNN takes the view. Its descriptors want each dimension's stride at least the next one's extent (stride x
 * size), which a phase with one row more than the output has rows per stride breaks (an odd output side): then
 * one reorder per image, or per row of each image when the columns break it too.
 */
function interleavePieces(
  tools: PassTools,
  n: number,
  channels: number,
  rows: number,
  cols: number,
  [perImage, perRow, perCol]: readonly number[],
): { from: Uint8Array; into: Uint8Array; fromOffset: number; intoOffset: number }[] {
  const { scope } = tools;
  const attempt = (images: number, height: number) => {
    try {
      return scope.stridedMd([images, channels, height, cols], [perImage, 1, perRow, perCol]);
    } catch {
      return undefined;
    }
  };
  const whole = attempt(n, rows);
  if (whole)
    return [{ from: scope.md([n, channels, rows, cols], DNNL.tag.nhwc), into: whole, fromOffset: 0, intoOffset: 0 }];
  const image = attempt(1, rows);
  const pieces: { from: Uint8Array; into: Uint8Array; fromOffset: number; intoOffset: number }[] = [];
  if (image) {
    const from = scope.md([1, channels, rows, cols], DNNL.tag.nhwc);
    for (let i = 0; i < n; i++)
      pieces.push({ from, into: image, fromOffset: i * rows * cols * channels, intoOffset: i * perImage });
    return pieces;
  }
  const row = scope.stridedMd([1, channels, 1, cols], [perImage, 1, perRow, perCol]);
  const from = scope.md([1, channels, 1, cols], DNNL.tag.nhwc);
  for (let i = 0; i < n; i++)
    for (let y = 0; y < rows; y++)
      pieces.push({
        from,
        into: row,
        fromOffset: (i * rows + y) * cols * channels,
        intoOffset: i * perImage + y * perRow,
      });
  return pieces;
}
