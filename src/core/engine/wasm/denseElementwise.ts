import { WASM_BASE64 } from './denseElementwise.wasm.generated';

interface Exports {
  relu(a: number, n: number): void;
  reluGrad(g: number, a: number, n: number): void;
  sigmoid(a: number, n: number): void;
  sigmoidGrad(g: number, a: number, n: number): void;
  reluGradColumnSums(g: number, a: number, rows: number, channels: number, sums: number): void;
  addInto(to: number, from: number, n: number): void;
  zeroRuns(at: number, count: number, stride: number, length: number): void;
  squaredErrorGrad(out: number, y: number, g: number, n: number, scale: number): number;
}

let compiled: WebAssembly.Module | undefined;

/** The compiled module, shared by every instance (and handed to BLAS worker threads, which run it too). */
export function elementwiseModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(Buffer.from(WASM_BASE64, 'base64'));
  return compiled;
}

/**
 * The elementwise passes of the direct dense step in WebAssembly SIMD (denseElementwise.wat), on buffers in
 * the module's own memory. Why not JavaScript loops: V8 runs them one float at a time; measured per step of
 * the seed's dense model (batch 256), the JavaScript passes took 2.7 ms next to 10.4 ms of matrix products,
 * while PyTorch's vectorised ones take a fraction of a millisecond. Each call does the multiple-of-4 bulk
 * in SIMD and the last few floats here.
 */
export class DenseElementwise {
  private readonly wasm: Exports;
  /**
   * The module's memory: shared (a SharedArrayBuffer), so that BLAS worker threads (blasWorkers.ts) can work
   * on the same buffers, and sized once here, so views on it stay valid.
   */
  readonly memory: WebAssembly.Memory;
  /** One buffer per requested size, 16-byte aligned, in the module's memory. */
  readonly buffers: Float32Array[];

  constructor(floatCounts: readonly number[]) {
    const padded = floatCounts.map((n) => Math.ceil(n / 4) * 4);
    const bytes = padded.reduce((sum, n) => sum + n * 4, 0);
    const pages = Math.max(1, Math.ceil(bytes / 65536));
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
    this.wasm = new WebAssembly.Instance(elementwiseModule(), { env: { memory: this.memory } }).exports as unknown as Exports;
    let offset = 0;
    this.buffers = padded.map((n, i) => {
      const view = new Float32Array(this.memory.buffer, offset, floatCounts[i]);
      offset += n * 4;
      return view;
    });
  }

  relu(a: Float32Array, count: number): void {
    const bulk = count & ~3;
    this.wasm.relu(a.byteOffset, bulk);
    for (let i = bulk; i < count; i++) a[i] = Math.max(a[i], 0);
  }

  /** g = a > 0 ? g : 0 */
  reluGrad(g: Float32Array, a: Float32Array, count: number): void {
    const bulk = count & ~3;
    this.wasm.reluGrad(g.byteOffset, a.byteOffset, bulk);
    for (let i = bulk; i < count; i++) if (!(a[i] > 0)) g[i] = 0;
  }

  /**
   * g = a > 0 ? g : 0 over rows x channels, and sums[c] += column c of the new g. Channels must be a multiple
   * of 4; sums must hold channels floats in this module's memory.
   */
  reluGradColumnSums(g: Float32Array, a: Float32Array, rows: number, channels: number, sums: Float32Array): void {
    this.wasm.reluGradColumnSums(g.byteOffset, a.byteOffset, rows, channels, sums.byteOffset);
  }

  /** to[0..count) += from[0..count) */
  addInto(to: Float32Array, from: Float32Array, count: number): void {
    const bulk = count & ~3;
    this.wasm.addInto(to.byteOffset, from.byteOffset, bulk);
    for (let i = bulk; i < count; i++) to[i] += from[i];
  }

  /** Zeros in `count` runs of `length` floats of a, `stride` floats apart, the first at a[start]. */
  zeroRuns(a: Float32Array, start: number, count: number, stride: number, length: number): void {
    if (count <= 0 || length <= 0) return;
    if (start < 0 || start + (count - 1) * stride + length > a.length) throw new RangeError('zero runs past the end of the buffer');
    this.wasm.zeroRuns(a.byteOffset + start * 4, count, stride * 4, length * 4);
  }

  sigmoid(a: Float32Array, count: number): void {
    const bulk = count & ~3;
    this.wasm.sigmoid(a.byteOffset, bulk);
    for (let i = bulk; i < count; i++) a[i] = 1 / (1 + Math.exp(-a[i]));
  }

  /** g *= a (1 - a) */
  sigmoidGrad(g: Float32Array, a: Float32Array, count: number): void {
    const bulk = count & ~3;
    this.wasm.sigmoidGrad(g.byteOffset, a.byteOffset, bulk);
    for (let i = bulk; i < count; i++) g[i] *= a[i] * (1 - a[i]);
  }

  /** g = scale (out - y); returns the sum of (out - y)^2. */
  squaredErrorGrad(out: Float32Array, y: Float32Array, g: Float32Array, count: number, scale: number): number {
    const bulk = count & ~3;
    let sum = this.wasm.squaredErrorGrad(out.byteOffset, y.byteOffset, g.byteOffset, bulk, scale);
    for (let i = bulk; i < count; i++) {
      const diff = out[i] - y[i];
      sum += diff * diff;
      g[i] = scale * diff;
    }
    return sum;
  }
}
