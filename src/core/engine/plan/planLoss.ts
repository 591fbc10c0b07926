/** The reconstruction losses of src/core/evaluation/losses.ts, with their gradients as the tape computes them. */
export type PlanLossKind = 'mse' | 'mae' | 'bce';

// TensorFlow.js clips in float32: these are the float32 values its comparisons see.
const LOW = Math.fround(1e-7);
const HIGH = Math.fround(1 - 1e-7);
/** Where binary cross-entropy clips the outputs (bceLogs.ts computes the same loss). */
export const BCE_CLIP = { low: LOW, high: HIGH } as const;

/**
 * The mean loss of `count` outputs p against targets y, and its gradient with respect to p into g. The
 * gradients follow TensorFlow.js 4.22's kernels where they choose at a kink: abs's gradient is -1 at 0
 * (step(x, -1)), and clipByValue passes the gradient where min <= p <= max, zero elsewhere. With `w` (one
 * weight per value, Noise2Void's masked pixels) it is the weighted mean sum(w * loss) / sum(w), as
 * losses.ts computes it on the tape: one multiply per value, so the plan trains masked losses too.
 */
export function lossAndGradient(
  kind: PlanLossKind,
  p: Float32Array,
  y: Float32Array,
  g: Float32Array,
  count: number,
  w?: Float32Array,
): number {
  let sum = 0;
  let total = count;
  if (w) {
    total = 0;
    for (let i = 0; i < count; i++) total += w[i];
    total = Math.max(total, 1e-12);
  }
  const inv = 1 / total;
  const weight = (i: number) => (w ? w[i] : 1);
  switch (kind) {
    case 'mse':
      for (let i = 0; i < count; i++) {
        const d = p[i] - y[i];
        sum += weight(i) * d * d;
        g[i] = 2 * inv * weight(i) * d;
      }
      break;
    case 'mae':
      for (let i = 0; i < count; i++) {
        const d = y[i] - p[i];
        sum += weight(i) * Math.abs(d);
        g[i] = (d > 0 ? -inv : inv) * weight(i);
      }
      break;
    case 'bce':
      for (let i = 0; i < count; i++) {
        const inside = p[i] >= LOW && p[i] <= HIGH;
        const q = inside ? p[i] : p[i] < LOW ? LOW : HIGH;
        sum -= weight(i) * (y[i] * Math.log(q) + (1 - y[i]) * Math.log(1 - q));
        g[i] = inside ? -inv * weight(i) * (y[i] / q - (1 - y[i]) / (1 - q)) : 0;
      }
      break;
  }
  return sum * inv;
}

/** A loss term on other outputs of the model than the reconstruction (a VAE's KL divergence), added to it. */
export interface PlanExtraLoss {
  /** The outputs it reads: indices into the graph's outputs (LayerGraph.outputs), never 0 (the reconstruction). */
  readonly outputs: readonly number[];
  /** Its value for n images, with its gradient with respect to each output it reads written into grads. */
  lossAndGradient(values: readonly Float32Array[], grads: readonly Float32Array[], n: number): number;
}

/** What a training plan minimizes: the reconstruction loss on the first output, plus an extra term if any. */
export interface PlanObjective {
  readonly reconstruction: PlanLossKind;
  readonly extra?: PlanExtraLoss;
}
