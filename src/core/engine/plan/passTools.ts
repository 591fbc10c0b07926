import type { Handle } from '../onednn/loadOneDnn';
import type { OneDnnScope, OwnedFloats, Runnable } from '../onednn/oneDnnScope';
import type { Activation, GraphWeight } from './layerGraph';

/** oneDNN's eltwise algorithms of an activation: the forward one (also a post-op) and the backward one. */
export interface Eltwise {
  readonly forward: number;
  readonly backward: number;
  readonly alpha: number;
  /** The backward algorithm reads the activation's input (softplus), not its output: it cannot be a post-op. */
  readonly fromInput?: boolean;
}

/**
 * What the primitives of one operation for one batch size are built with: the training plan's buffers and
 * helpers (trainingPlan.ts's PassBuilder), for the operations that live in files of their own (planDense.ts).
 */
export interface PassTools {
  readonly scope: OneDnnScope;
  /** The batch size these primitives run. */
  readonly n: number;
  /** A memory object over tensor t's values (its gradient) in the layout of md; `offset` floats in for a view. */
  value(t: number, md: Uint8Array, offset?: number): Handle;
  grad(t: number, md: Uint8Array): Handle;
  needsGrad(t: number): boolean;
  /**
   * Where a node writes its contribution to tensor t's gradient (the gradient, or scratch that `then` adds in),
   * counted: call it once per contribution, in backward order.
   */
  gradTarget(t: number, md: Uint8Array, size: number): { memory: Handle; then: Runnable[] };
  /** A weight's values and, when trained, its gradient. */
  weight(w: GraphWeight): { values: OwnedFloats; gradient?: OwnedFloats };
  /** A vector of the plan's batch size (or more) of ones, for sums over the batch as products. */
  ones(): OwnedFloats;
  eltwise(a: Activation): Eltwise | undefined;
  /** The gradient through an activation from its output values (tensor `output`) and gradient, into diffSrc. */
  eltwiseBackward(act: Eltwise, md: Uint8Array, output: number, diffSrc: Handle): Runnable;
  /** Records which implementation oneDNN chose for a primitive (the plan's description lists them). */
  implementation(pd: Handle): void;
}
