import { CBLAS, type BlasLibrary, type SgemmOperands } from './loadBlas';
import { BatchGrid, type ZeroRuns } from './batchGrid';
import { BlasWorkers, type PassCall, type SgemmCall } from './blasWorkers';
import { DenseElementwise } from '../wasm/denseElementwise';

const { noTrans: N, trans: T } = CBLAS;
/** An sgemm call, row-major, as BlasWorkers takes it. */
const call = (...[transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc]: SgemmOperands): SgemmCall => ({
  transA,
  transB,
  m,
  n,
  k,
  alpha,
  a,
  lda,
  b,
  ldb,
  beta,
  c,
  ldc,
});

/** [start, end) cut into `parts` runs, each a multiple of `unit` long but the last. */
function split(start: number, end: number, parts: number, unit = 1): [number, number][] {
  const per = Math.ceil((end - start) / unit / parts) * unit;
  const runs: [number, number][] = [];
  for (let at = start; at < end; at += per) runs.push([at, Math.min(end, at + per)]);
  return runs;
}

/** One k x k 'same' stride-1 convolution with bias, as TensorFlow.js keeps it: kernel [k][k][in][out], bias [out]. */
export interface DirectConvLayer {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernel: Float32Array;
  readonly bias: Float32Array;
  /** Followed by a ReLU (every layer but the last, which estimates the negated noise). */
  readonly relu: boolean;
  /** Frozen layers (transfer learning) pass gradients through but get none of their own. */
  readonly trainable: boolean;
}

/**
 * The gradient of a mean-squared-error loss with respect to every weight of a residual CNN (DnCNN): a chain
 * of k x k 'same' convolutions, one channel in, ReLU between them, one channel out, added to the input
 * image. One call computes the loss and the gradients of a batch; the caller's optimizer applies them.
 *
 * Why not TensorFlow.js's tape with the BLAS kernels (blasConvKernels.ts): each of those kernels copies its
 * input onto a padded grid and its result off it again, and the ReLU, its gradient (Step and Multiply), the bias
 * sums and the residual add each run as a kernel of their own over a fresh 13 MB tensor. Measured once on
 * BENCHMARKS.md's 2-core AVX-512 machine, the benchmark's 5-layer 32-channel CNN at batch 128, 2 threads: of a
 * 137-155 ms step, the elementwise kernels took 15-20 ms and the copies onto and off the grids about 8. Here
 * every activation and gradient stays on a whole-batch grid (batchGrid.ts) from the layer that writes it to the
 * layer that reads it, the ReLU and its gradient are single SIMD passes over those grids (denseElementwise.wat),
 * and the ReLU's zeros at the padding keep the padding zero for the next product. The products of each pass are
 * split by images (or by positions, for long sums) over the BLAS threads (blasWorkers.ts); sums split that way
 * land in one partial result per thread, added up here. Same CNN and machine: 137-166 ms a step on the tape,
 * 103-107 with this step, of which the products took 96-100.
 */
export class ResidualCnnStep {
  readonly grid: BatchGrid;
  readonly kernelGradients: Float32Array[];
  readonly biasGradients: Float32Array[];
  private readonly elementwise: DenseElementwise;
  private readonly workers: BlasWorkers;
  private readonly images: Float32Array;
  /** outputs[i]: layer i's output after its ReLU, for every layer but the last. */
  private readonly outputs: Float32Array[];
  /** The first layer's one-channel input seen by each tap, [taps x rows], kept for its filter gradient. */
  private readonly imageByTaps: Float32Array;
  /** The last layer's [taps x positions] products, then its output gradient sent back by each tap. */
  private readonly lastByTaps: Float32Array;
  private readonly noise: Float32Array;
  private readonly noiseGradient: Float32Array;
  private gradient: Float32Array;
  private spare: Float32Array;
  /** Copies of the weights in the shared memory, where the worker threads read them. */
  private readonly kernels: Float32Array[];
  private readonly biases: Float32Array[];
  private readonly ones: Float32Array;
  /** One partial sum per thread, for the gradients whose long sums are split across threads. */
  private readonly partials: Float32Array[];
  private readonly firstTrainable: number;
  private readonly taps: number;
  private readonly zeroRuns: ZeroRuns = (grid, start, count, stride, length) =>
    this.elementwise.zeroRuns(grid, start, count, stride, length);

  constructor(
    blas: BlasLibrary,
    readonly layers: readonly DirectConvLayer[],
    height: number,
    width: number,
    kernelSize: number,
    batchSize: number,
    /** Where gradients() writes each layer's gradients (default: arrays of its own). */
    gradients?: { kernels: Float32Array[]; biases: Float32Array[] },
  ) {
    this.grid = new BatchGrid(height, width, kernelSize);
    this.taps = kernelSize * kernelSize;
    const positions = this.grid.length(batchSize);
    const widest = Math.max(...layers.map((l) => l.outChannels));
    const largestKernel = Math.max(...layers.map((l) => l.kernel.length));
    const hidden = layers.slice(0, -1);
    const threads = Math.max(1, blas.threads);
    this.elementwise = new DenseElementwise([
      positions,
      ...hidden.map((l) => positions * l.outChannels),
      this.taps * positions,
      this.taps * positions,
      positions,
      positions,
      positions * widest,
      positions * widest,
      ...layers.map((l) => l.kernel.length),
      ...layers.map((l) => l.bias.length),
      positions,
      ...Array.from({ length: threads }, () => largestKernel),
    ]);
    const buffers = [...this.elementwise.buffers];
    const take = (count: number) => buffers.splice(0, count);
    [this.images] = take(1);
    this.outputs = take(hidden.length);
    [this.imageByTaps, this.lastByTaps, this.noise, this.noiseGradient, this.gradient, this.spare] = take(6);
    this.kernels = take(layers.length);
    this.biases = take(layers.length);
    [this.ones] = take(1);
    this.ones.fill(1);
    this.partials = take(threads);
    this.workers = new BlasWorkers(blas, this.elementwise, threads);
    this.kernelGradients = gradients?.kernels ?? layers.map((l) => new Float32Array(l.kernel.length));
    this.biasGradients = gradients?.biases ?? layers.map((l) => new Float32Array(l.bias.length));
    this.firstTrainable = layers.findIndex((l) => l.trainable);
  }

  /**
   * The gradients of n images' loss (x, y: n rows of height*width) into kernelGradients and biasGradients; returns
   * the loss.
   */
  gradients(x: Float32Array, y: Float32Array, n: number): number {
    this.layers.forEach((layer, i) => {
      this.kernels[i].set(layer.kernel);
      this.biases[i].set(layer.bias);
    });
    this.forward(x, n);
    const loss = this.lossGradient(y, n);
    this.backward(n);
    return loss;
  }

  /** Ends the worker threads. */
  dispose(): void {
    this.workers.dispose();
  }

  private forward(x: Float32Array, n: number): void {
    const { grid, layers } = this;
    grid.fillFromImages(this.images, x, n);
    this.firstLayerForward(n);
    for (let i = 1; i < layers.length - 1; i++) this.hiddenLayerForward(i, n);
    this.lastLayerForward(n);
  }

  /** The output rows of n images, one run of whole images per thread. */
  private imageParts(n: number): [number, number][] {
    const rows = this.grid.rows(n);
    return split(0, rows, this.workers.threads, this.grid.imagePositions);
  }

  /** Each thread's calls for its own run of rows, cut into cache-sized chunks (batchGrid.ts). */
  private perImageChunk(
    n: number,
    channels: number,
    calls: (q0: number, q1: number, part: number) => PassCall[],
  ): PassCall[][] {
    return this.imageParts(n).map(([start, end], part) => {
      const list: PassCall[] = [];
      this.grid.forEachChunk(start, end, channels, (q0, q1) => list.push(...calls(q0, q1, part)));
      return list;
    });
  }

  /** The bias in every row of c, as the rank-1 product ones x bias, so products can add onto it (beta 1). */
  private biasRows(i: number, c: Float32Array, rows: number): SgemmCall {
    const co = this.layers[i].outChannels;
    return call(N, N, rows, co, 1, 1, this.ones, 1, this.biases[i], co, 0, c, co);
  }

  /** A long sum split over the threads: each part's product goes into its own partial, then into `into`. */
  private splitSum(
    into: Float32Array,
    length: number,
    calls: (k0: number, k1: number, partial: Float32Array) => SgemmCall,
  ): void {
    const parts = split(0, length, this.workers.threads);
    this.workers.run(parts.map(([k0, k1], part) => [calls(k0, k1, this.partials[part].subarray(0, into.length))]));
    this.addPartials(into, parts.length);
  }

  /** One channel in: all taps in one product, [rows x taps] x [taps x out]. */
  private firstLayerForward(n: number): void {
    const { grid, taps } = this;
    const co = this.layers[0].outChannels;
    const rows = grid.rows(n);
    grid.offsets.forEach((offset, tap) =>
      this.imageByTaps.set(this.images.subarray(offset, offset + rows), tap * rows),
    );
    const out = this.outputs[0];
    this.workers.run(
      this.imageParts(n).map(([q0, q1]) => {
        const c = out.subarray((q0 + grid.center) * co);
        return [
          this.biasRows(0, c, q1 - q0),
          call(T, N, q1 - q0, co, taps, 1, this.imageByTaps.subarray(q0), rows, this.kernels[0], co, 1, c, co),
          { relu: c, count: (q1 - q0) * co },
        ];
      }),
    );
    // The products wrote junk into the padding, which the next layer must read as zeros.
    grid.clearPadding(out, co, n, this.zeroRuns);
  }

  /**
   * One product per tap on the shifted input grid, accumulated onto the bias, then the ReLU, chunk by chunk
   * (the chunk's output still in cache).
   */
  private hiddenLayerForward(i: number, n: number): void {
    const { grid } = this;
    const { inChannels: ci, outChannels: co } = this.layers[i];
    const kernel = this.kernels[i];
    const input = this.outputs[i - 1];
    const output = this.outputs[i];
    this.workers.run(
      this.perImageChunk(n, Math.max(ci, co), (q0, q1) => {
        const out = output.subarray((q0 + grid.center) * co);
        return [
          this.biasRows(i, out, q1 - q0),
          ...grid.offsets.map((offset, tap) =>
            call(
              N,
              N,
              q1 - q0,
              co,
              ci,
              1,
              input.subarray((q0 + offset) * ci),
              ci,
              kernel.subarray(tap * ci * co, (tap + 1) * ci * co),
              co,
              1,
              out,
              co,
            ),
          ),
          { relu: out, count: (q1 - q0) * co },
        ];
      }),
    );
    // The products wrote junk into the padding, which the next layer must read as zeros.
    grid.clearPadding(output, co, n, this.zeroRuns);
  }

  /**
   * g through layer i's ReLU (zero wherever its output is, which includes all padding) and, for a trainable
   * layer, the bias gradient: the column sums of that g. Where the channels come in fours, one SIMD pass per
   * thread does both, each thread summing into its own partial.
   */
  private throughRelu(i: number, n: number): void {
    const { outChannels: co, trainable } = this.layers[i];
    const positions = this.grid.length(n);
    const g = this.gradient;
    if (co % 4 !== 0) {
      this.elementwise.reluGrad(g, this.outputs[i], positions * co);
      if (trainable)
        this.splitSum(this.biasGradients[i], positions, (k0, k1, partial) =>
          call(N, N, 1, co, k1 - k0, 1, this.ones, k1 - k0, g.subarray(k0 * co), co, 0, partial, co),
        );
      return;
    }
    const parts = split(0, positions, this.workers.threads);
    const calls: PassCall[][] = parts.map(([p0, p1], part) => [
      {
        gradient: g.subarray(p0 * co),
        output: this.outputs[i].subarray(p0 * co),
        rows: p1 - p0,
        channels: co,
        sums: this.partials[part].fill(0, 0, co),
      },
    ]);
    this.workers.run(calls);
    if (trainable) this.addPartials(this.biasGradients[i], parts.length);
  }

  /** into = the sum of the first `parts` partials. */
  private addPartials(into: Float32Array, parts: number): void {
    into.set(this.partials[0].subarray(0, into.length));
    for (let part = 1; part < parts; part++) {
      const partial = this.partials[part];
      for (let j = 0; j < into.length; j++) into[j] += partial[j];
    }
  }

  /**
   * One channel out: what each position gives each tap, [taps x positions] = filter [taps x in] x gridᵀ, summed along
   * the taps.
   */
  private lastLayerForward(n: number): void {
    const { grid, taps } = this;
    const last = this.layers.length - 1;
    const ci = this.layers[last].inChannels;
    const positions = grid.length(n);
    const rows = grid.rows(n);
    const given = this.lastByTaps;
    const input = this.outputs[last - 1];
    this.workers.run(
      split(0, positions, this.workers.threads).map(([p0, p1]) => [
        call(
          N,
          T,
          taps,
          p1 - p0,
          ci,
          1,
          this.kernels[last],
          ci,
          input.subarray(p0 * ci),
          ci,
          0,
          given.subarray(p0),
          positions,
        ),
      ]),
    );
    const noise = this.noise.fill(this.biases[last][0], 0, rows);
    for (let tap = 0; tap < taps; tap++)
      this.elementwise.addInto(noise, given.subarray(tap * positions + grid.offsets[tap]), rows);
  }

  /** Mean squared error of (image + estimated negated noise) against y, and its gradient on a one-channel grid. */
  private lossGradient(y: Float32Array, n: number): number {
    const { grid } = this;
    const { height, width, center } = grid;
    const count = n * height * width;
    const scale = 2 / count;
    const g = this.noiseGradient.fill(0, 0, grid.length(n));
    let sum = 0;
    for (let b = 0; b < n; b++) {
      for (let line = 0; line < height; line++) {
        const at = grid.lineStart(b, line);
        const from = (b * height + line) * width;
        for (let x = 0; x < width; x++) {
          const diff = this.images[at + x] + this.noise[at + x - center] - y[from + x];
          sum += diff * diff;
          g[at + x] = scale * diff;
        }
      }
    }
    return sum / count;
  }

  private backward(n: number): void {
    const last = this.layers.length - 1;
    this.lastLayerBackward(n);
    for (let i = last - 1; i >= this.firstTrainable; i--) {
      const layer = this.layers[i];
      this.throughRelu(i, n);
      if (i === 0) {
        if (layer.trainable) this.firstLayerFilterGradient(n);
        break;
      }
      this.hiddenBackward(i, n, layer.trainable, i - 1 >= this.firstTrainable);
      [this.gradient, this.spare] = [this.spare, this.gradient];
    }
  }

  /**
   * The last layer, one channel out. Its output gradient, sent back by tap t, is the one-channel grid shifted
   * by center - offset_t: row t of [taps x positions]. The filter gradient is those rows x the input grid; the
   * input gradient at q + center is their column q + center x the filter.
   */
  private lastLayerBackward(n: number): void {
    const { grid, taps } = this;
    const last = this.layers.length - 1;
    const layer = this.layers[last];
    const ci = layer.inChannels;
    const positions = grid.length(n);
    const sent = this.lastByTaps;
    grid.offsets.forEach((offset, tap) => {
      const row = sent.subarray(tap * positions, (tap + 1) * positions);
      const shift = grid.center - offset;
      if (shift >= 0) {
        row.set(this.noiseGradient.subarray(shift, positions));
        row.fill(0, positions - shift);
      } else {
        row.fill(0, 0, -shift);
        row.set(this.noiseGradient.subarray(0, positions + shift), -shift);
      }
    });
    const input = this.outputs[last - 1];
    if (layer.trainable) {
      this.splitSum(this.kernelGradients[last], positions, (k0, k1, partial) =>
        call(N, N, taps, ci, k1 - k0, 1, sent.subarray(k0), positions, input.subarray(k0 * ci), ci, 0, partial, ci),
      );
      let sum = 0;
      for (let p = 0; p < positions; p++) sum += this.noiseGradient[p];
      this.biasGradients[last][0] = sum;
    }
    if (last - 1 >= this.firstTrainable) {
      this.workers.run(
        this.imageParts(n).map(([q0, q1]) => [
          call(
            T,
            N,
            q1 - q0,
            ci,
            taps,
            1,
            sent.subarray(grid.center + q0),
            positions,
            this.kernels[last],
            ci,
            0,
            this.gradient.subarray((grid.center + q0) * ci),
            ci,
          ),
        ]),
      );
    }
  }

  /**
   * The filter gradient and the input gradient of hidden layer i, chunk by chunk: both read the chunk's g
   * while it is in cache. Each thread sums its own images' filter gradient into its own partial.
   */
  private hiddenBackward(i: number, n: number, filter: boolean, input: boolean): void {
    const { inChannels: ci, outChannels: co } = this.layers[i];
    const dw = this.kernelGradients[i];
    const parts = this.perImageChunk(n, Math.max(ci, co), (q0, q1, part) => [
      ...(filter ? this.filterGradientCalls(i, q0, q1, this.partials[part]) : []),
      ...(input ? this.inputGradientCalls(i, q0, q1) : []),
    ]);
    if (filter) parts.forEach((_, part) => this.partials[part].fill(0, 0, dw.length));
    this.workers.run(parts);
    if (filter) this.addPartials(dw, parts.length);
  }

  /**
   * dW[fy][fx] += sum over q in [q0, q1) of input[q + offset(fy, fx)]ᵀ g[q + center], into `partial`. The k
   * taps of a filter row are k adjacent positions, so taking every k-th q (one "phase") makes them one
   * [k*in x out] product with row stride k*in, as in tapShiftConv.ts (190 GFLOP/s there against 155 for one
   * [in x out] product per tap, measured once on BENCHMARKS.md's 2-core AVX-512 machine).
   */
  private filterGradientCalls(i: number, q0: number, q1: number, partial: Float32Array): SgemmCall[] {
    const { grid } = this;
    const { inChannels: ci, outChannels: co } = this.layers[i];
    const k = grid.kernel;
    const input = this.outputs[i - 1];
    const calls: SgemmCall[] = [];
    for (let fy = 0; fy < k; fy++) {
      const rowOffset = grid.offsets[fy * k];
      for (let phase = 0; phase < k && phase < q1 - q0; phase++) {
        calls.push(
          call(
            T,
            N,
            k * ci,
            co,
            Math.ceil((q1 - q0 - phase) / k),
            1,
            input.subarray((q0 + phase + rowOffset) * ci),
            k * ci,
            this.gradient.subarray((q0 + phase + grid.center) * co),
            k * co,
            1,
            partial.subarray(fy * k * ci * co, (fy + 1) * k * ci * co),
            co,
          ),
        );
      }
    }
    return calls;
  }

  /**
   * The gradient of layer i's input at rows [q0, q1), gathered: the pixel at q + center takes
   * g[q + offset_t] x W[flipped t]ᵀ over the taps (offset_t + offset_flipped(t) = 2 center), so each row is
   * written once, by products of the same shape as the forward ones.
   */
  private inputGradientCalls(i: number, q0: number, q1: number): SgemmCall[] {
    const { grid, taps } = this;
    const { inChannels: ci, outChannels: co } = this.layers[i];
    const kernel = this.kernels[i];
    const out = this.spare.subarray((q0 + grid.center) * ci);
    return grid.offsets.map((offset, tap) => {
      const flipped = taps - 1 - tap;
      return call(
        N,
        T,
        q1 - q0,
        ci,
        co,
        1,
        this.gradient.subarray((q0 + offset) * co),
        co,
        kernel.subarray(flipped * ci * co, (flipped + 1) * ci * co),
        co,
        tap === 0 ? 0 : 1,
        out,
        ci,
      );
    });
  }

  /** One channel in: dW [taps x out] = (the image seen by the taps) [taps x rows] x g [rows x out]. */
  private firstLayerFilterGradient(n: number): void {
    const { grid, taps } = this;
    const co = this.layers[0].outChannels;
    const rows = grid.rows(n);
    const g = this.gradient.subarray(grid.center * co);
    this.splitSum(this.kernelGradients[0], rows, (k0, k1, partial) =>
      call(N, N, taps, co, k1 - k0, 1, this.imageByTaps.subarray(k0), rows, g.subarray(k0 * co), co, 0, partial, co),
    );
  }
}
