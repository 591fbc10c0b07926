import { DESC_BYTES, DNNL } from '../onednn/loadOneDnn';
import type { OneDnnScope, OwnedFloats, Runnable } from '../onednn/oneDnnScope';
import { BCE_CLIP } from './planLoss';

/**
 * Binary cross-entropy's mean and gradient as planLoss.ts's lossAndGradient computes them, with the two
 * logarithms of each pixel taken by one oneDNN eltwise pass over a buffer of the run's. Why: V8's Math.log, twice
 * per pixel, took as long as the VAE's whole forward pass (5.2 against 6.6 ms a step at batch 64, measured once
 * on a loaded 2-core AVX-512 machine); the loops here do no transcendental arithmetic. The clipped outputs and
 * their complements are rounded to float32 first, as TensorFlow.js computes them.
 */
export class BceLogs {
  private readonly logs: OwnedFloats;
  /** The log pass for each pixel count met (a short last batch has its own). */
  private readonly passes = new Map<number, Runnable>();

  constructor(
    private readonly scope: OneDnnScope,
    capacity: number,
  ) {
    this.logs = scope.floats(2 * capacity);
  }

  lossAndGradient(p: Float32Array, y: Float32Array, g: Float32Array, count: number): number {
    const q = this.logs.floats;
    const inv = 1 / count;
    const { low, high } = BCE_CLIP;
    for (let i = 0; i < count; i++) {
      const pi = p[i];
      const inside = pi >= low && pi <= high;
      const clipped = inside ? pi : pi < low ? low : high;
      q[i] = clipped;
      q[count + i] = 1 - clipped;
      // -(y / q - (1 - y) / (1 - q)) as one quotient.
      g[i] = inside ? (inv * (clipped - y[i])) / (clipped * (1 - clipped)) : 0;
    }
    this.scope.run(this.logPass(count));
    this.scope.wait();
    let sum = 0;
    for (let i = 0; i < count; i++) {
      const yi = y[i];
      sum -= yi * q[i] + (1 - yi) * q[count + i];
    }
    return sum * inv;
  }

  private logPass(count: number): Runnable {
    let pass = this.passes.get(count);
    if (!pass) {
      const md = this.scope.md([2 * count], DNNL.tag.a);
      const desc = new Uint8Array(DESC_BYTES.op);
      this.scope.onednn.call.eltwise_forward_desc_init(desc, DNNL.prop.forwardInference, DNNL.alg.log, md, 0, 0);
      const memory = this.scope.memory(md, this.logs.address);
      pass = this.scope.runnable(this.scope.primitiveDesc(desc), { [DNNL.arg.src]: memory, [DNNL.arg.dst]: memory });
      this.passes.set(count, pass);
    }
    return pass;
  }
}
