import { WASM_BASE64 } from './denseElementwise.wasm.generated';

interface Exports {
  relu(a: number, n: number): void;
  reluGrad(g: number, a: number, n: number): void;
  sigmoid(a: number, n: number): void;
  sigmoidGrad(g: number, a: number, n: number): void;
  reluGradColumnSums(g: number, a: number, rows: number, channels: number, sums: number): void;
  addInto(to: number, from: number, n: number): void;
  zeroRuns(at: number, count: number, stride: number, length: number): void;
  adam(
    w: number,
    g: number,
    m: number,
    v: number,
    n: number,
    rate: number,
    b1: number,
    b1c: number,
    b2: number,
    b2c: number,
    c1: number,
    c2: number,
    eps: number,
  ): void;
  momentum(w: number, g: number, a: number, n: number, rate: number, momentum: number): void;
  sgd(w: number, g: number, n: number, rate: number): void;
  squaredErrorGrad(out: number, y: number, g: number, n: number, scale: number): number;
}

let compiled: WebAssembly.Module | undefined;

/** The compiled module, shared by every instance (and handed to BLAS worker threads, which run it too). */
export function elementwiseModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(Buffer.from(WASM_BASE64, 'base64'));
  return compiled;
}

/**
 * The elementwise passes of the direct dense step in WebAssembly SIMD (denseElementwise.wat), on buffers in the
 * module's own memory. Why not JavaScript loops: V8 runs them one float at a time; measured once on
 * BENCHMARKS.md's 2-core AVX-512 machine, per step of the seed's dense model (batch 256), the JavaScript passes
 * took 2.7 ms next to 10.4 ms of matrix products, while PyTorch's vectorised ones take a fraction of a
 * millisecond. Each call does the multiple-of-4 bulk in SIMD and the last few floats here.
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
    this.wasm = new WebAssembly.Instance(elementwiseModule(), { env: { memory: this.memory } })
      .exports as unknown as Exports;
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
    if (start < 0 || start + (count - 1) * stride + length > a.length)
      throw new RangeError('zero runs past the end of the buffer');
    this.wasm.zeroRuns(a.byteOffset + start * 4, count, stride * 4, length * 4);
  }

  /**
   * One Adam update of w from its gradient g and moments m and v (all of w's length, in this module's memory);
   * c1 and c2 are the bias corrections 1 - beta^t. The last few floats here, in float32 as in the SIMD bulk.
   */
  adam(
    w: Float32Array,
    g: Float32Array,
    m: Float32Array,
    v: Float32Array,
    rate: number,
    b1: number,
    b2: number,
    c1: number,
    c2: number,
    eps: number,
  ): void {
    const bulk = w.length & ~3;
    this.wasm.adam(
      w.byteOffset,
      g.byteOffset,
      m.byteOffset,
      v.byteOffset,
      bulk,
      rate,
      b1,
      1 - b1,
      b2,
      1 - b2,
      c1,
      c2,
      eps,
    );
    const f = Math.fround;
    for (let j = bulk; j < w.length; j++) {
      m[j] = f(b1 * m[j]) + f((1 - b1) * g[j]);
      v[j] = f(b2 * v[j]) + f((1 - b2) * f(g[j] * g[j]));
      w[j] -= f(rate * f(m[j] / c1)) / (f(Math.sqrt(f(v[j] / c2))) + eps);
    }
  }

  /** One momentum update of w from its gradient g and accumulation a (all of w's length, in this module's memory). */
  /** w -= rate g */
  sgd(w: Float32Array, g: Float32Array, rate: number): void {
    const bulk = w.length & ~3;
    this.wasm.sgd(w.byteOffset, g.byteOffset, bulk, rate);
    const r = Math.fround(rate);
    for (let j = bulk; j < w.length; j++) w[j] -= Math.fround(r * g[j]);
  }

  momentum(w: Float32Array, g: Float32Array, a: Float32Array, rate: number, momentum: number): void {
    const bulk = w.length & ~3;
    this.wasm.momentum(w.byteOffset, g.byteOffset, a.byteOffset, bulk, rate, momentum);
    for (let j = bulk; j < w.length; j++) {
      a[j] = momentum * a[j] + g[j];
      w[j] -= rate * a[j];
    }
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
