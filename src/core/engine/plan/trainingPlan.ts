import { DESC_BYTES, DNNL, type Handle, type OneDnn } from '../onednn/loadOneDnn';
import { OneDnnScope, type OwnedFloats, type Runnable } from '../onednn/oneDnnScope';
import type { Activation, BatchNormNode, ConvNode, GraphNode, GraphWeight, Hwc, LayerGraph } from './layerGraph';
import { lossAndGradient, type PlanLossKind, type PlanObjective } from './planLoss';
import type { Eltwise, PassTools } from './passTools';
import { denseBackward, denseForward, multiplyBackward, multiplyForward } from './planDense';
import { BceLogs } from './bceLogs';
import type { PlanArena } from './planArena';
import { largestPhase, transposedConvForward } from './transposedConvPhases';
import { blockedTensors, convLayout } from './blockedLayout';

/**
 * A layer graph (layerGraph.ts) as oneDNN primitives on plain arrays: the forward pass, the loss, and
 * the backward pass into every trainable array's gradient. Every buffer (activations, their gradients,
 * weights in the layouts oneDNN chose) is allocated once, for the largest batch; oneDNN's primitives are
 * made for one batch size, so each size a run meets (the batch size, a shorter last batch, an image size at
 * inference) gets its primitives once, on first use, over the same buffers. Nothing is allocated per step.
 * Tensors are NHWC, except those between Winograd convolutions, kept channel-blocked (blockedLayout.ts).
 */

/**
 * Whether Winograd convolutions (and the blocked layout they need) are used: DENOISE_PLAN_WINOGRAD=0 keeps
 * every convolution direct and every tensor NHWC, as a comparison and a way out should a machine's oneDNN
 * misbehave on them.
 */
const winogradWanted = () => process.env.DENOISE_PLAN_WINOGRAD !== '0';

const winogradOn = new WeakMap<OneDnn, boolean>();

/**
 * Whether this oneDNN has Winograd convolutions here (AVX-512 only in oneDNN 2.x), asked of oneDNN itself
 * once: where it has none, blocked tensors would only cost copies (and nChw16c is not an AVX2 kernel's layout).
 */
function winogradAvailable(onednn: OneDnn): boolean {
  let known = winogradOn.get(onednn);
  if (known === undefined) {
    const scope = new OneDnnScope(onednn);
    try {
      const md = (channels: number, tag: number) => scope.md([1, channels, 8, 8], tag);
      const desc = new Uint8Array(DESC_BYTES.op);
      const pad = BigInt64Array.from([1n, 1n]);
      onednn.call.convolution_forward_desc_init(
        desc,
        DNNL.prop.forwardTraining,
        DNNL.alg.convolutionWinograd,
        md(16, DNNL.tag.nChw16c),
        scope.md([16, 16, 3, 3], DNNL.tag.any),
        null,
        md(16, DNNL.tag.nChw16c),
        BigInt64Array.from([1n, 1n]),
        pad,
        pad,
      );
      scope.primitiveDesc(desc);
      known = true;
    } catch {
      known = false;
    } finally {
      scope.dispose();
    }
    winogradOn.set(onednn, known);
  }
  return known;
}

/** One GraphWeight's arrays: its values as the model keeps them (TensorFlow.js's layout) and its gradient. */
export interface PlanWeight {
  readonly weight: GraphWeight;
  readonly values: Float32Array;
  /** Empty for frozen weights and for what is not trained by gradients (batch norm's moving statistics). */
  readonly gradient: Float32Array;
}

/** Forward and backward primitives for one batch size. */
interface Passes {
  /** JavaScript work on the weights before the primitives (gathering transposed convolutions' phase taps). */
  readonly prepare: (() => void)[];
  readonly beforeForward: Runnable[];
  readonly forward: Runnable[];
  readonly backward: Runnable[];
  readonly afterBackward: Runnable[];
  /** Batch norm's batch mean and variance of this step, for the moving averages. */
  readonly batchStatistics: { node: BatchNormNode; mean: Float32Array; variance: Float32Array }[];
}

/** A convolution's descriptors for one batch size, shared by its forward and backward primitives. */
interface ConvDescs {
  /** The input as the convolution reads it (its copy's layout when it reads a copy), and as the tensor is. */
  readonly srcMd: Uint8Array;
  readonly tensorSrcMd: Uint8Array;
  readonly dstMd: Uint8Array;
  readonly userWeightsMd: Uint8Array;
  readonly anyWeightsMd: Uint8Array;
  readonly biasMd: Uint8Array | null;
  readonly strides: BigInt64Array;
  readonly padL: BigInt64Array;
  readonly padR: BigInt64Array;
  readonly alg: number;
  readonly op: 'convolution' | 'deconvolution';
  readonly act?: Eltwise;
  readonly forwardPd: Handle;
}

const i64 = (values: readonly number[]) => BigInt64Array.from(values.map(BigInt));

/**
 * oneDNN's eltwise algorithms of an activation: the forward one (also a post-op), the backward one from the
 * output (from the input for softplus).
 */
function eltwiseOf(a: Activation): Eltwise | undefined {
  switch (a.kind) {
    case 'linear':
      return undefined;
    case 'relu':
      return { forward: DNNL.alg.relu, backward: DNNL.alg.reluUseDstForBackward, alpha: 0 };
    case 'leakyRelu':
      return { forward: DNNL.alg.relu, backward: DNNL.alg.reluUseDstForBackward, alpha: a.alpha };
    case 'elu':
      return { forward: DNNL.alg.elu, backward: DNNL.alg.eluUseDstForBackward, alpha: a.alpha };
    case 'tanh':
      return { forward: DNNL.alg.tanh, backward: DNNL.alg.tanhUseDstForBackward, alpha: 0 };
    case 'sigmoid':
      return { forward: DNNL.alg.logistic, backward: DNNL.alg.logisticUseDstForBackward, alpha: 0 };
    case 'softplus':
      return { forward: DNNL.alg.softRelu, backward: DNNL.alg.softRelu, alpha: 0, fromInput: true };
  }
}

export class TrainingPlan {
  /** Every weight of the graph's layers, in node order (a convolution's kernel, then its bias). */
  readonly weights: PlanWeight[];
  /** What oneDNN chose for each convolution, e.g. `brgconv:avx512_core`. */
  readonly implementations = new Set<string>();
  private readonly scope: OneDnnScope;
  private readonly values: OwnedFloats[] = [];
  /** Batch norm outputs recomputed in the backward pass instead of kept (they share forward buffers). */
  private recomputed = new Set<number>();
  private readonly grads: (OwnedFloats | undefined)[] = [];
  /** Where a tensor's second and later gradient contributions go before they are added in. */
  private readonly scratch: (OwnedFloats | undefined)[] = [];
  private readonly needsGrad: boolean[];
  private readonly ownedWeights = new Map<GraphWeight, { values: OwnedFloats; gradient?: OwnedFloats }>();
  private readonly passes = new Map<number, Passes>();
  private readonly objective: PlanObjective;
  /** Tensors the extra loss writes the first gradient of (before any layer's backward pass adds to it). */
  private readonly lossOutputs: number[];
  private ones?: OwnedFloats;
  private bce?: BceLogs;
  /** Where each phase of a strided transposed convolution is computed before it joins the output. */
  private phaseScratch?: OwnedFloats;
  /** Tensors kept channel-blocked for Winograd convolutions. */
  private readonly blocked: Set<number>;
  /** The input (and its gradient) of a convolution that reads its input in the other layout, copied. */
  private readonly convCopies = new Map<ConvNode, { values: OwnedFloats; gradient?: OwnedFloats }>();

  constructor(
    onednn: OneDnn,
    readonly graph: LayerGraph,
    readonly batchSize: number,
    threads: number,
    /** The reconstruction loss, or it and a loss on the model's other outputs (the VAE's KL term). */
    loss: PlanLossKind | PlanObjective,
    /** False: forward only (inference), no gradients. */
    private readonly training = true,
    /** Inference only: where the activations live, shared with plans of the same graph at other sizes. */
    private readonly arena?: PlanArena,
  ) {
    onednn.setThreads(threads);
    this.scope = new OneDnnScope(onednn);
    if (arena && training) throw new Error('an arena holds inference activations only');
    arena?.begin();
    try {
      this.needsGrad = this.gradientNeeds();
      this.objective = typeof loss === 'string' ? { reconstruction: loss } : loss;
      this.lossOutputs = this.checkedLossOutputs();
      const ends = [...graph.inputs, ...graph.outputs];
      const used = new Set([...ends, ...graph.nodes.flatMap((n) => [...n.inputs, n.output])]);
      const writers = this.gradientWriters();
      this.recomputed = this.recomputedTensors();
      this.blocked = blockedTensors(graph, winogradWanted() && winogradAvailable(onednn));
      this.values.push(...this.valueBuffers(used));
      this.grads.push(...this.sharedGradients(used));
      const phase = Math.max(0, ...graph.nodes.map((node) => (node.op === 'conv' ? largestPhase(node) : 0)));
      if (phase > 0) this.phaseScratch = this.activation(batchSize * phase);
      // A second contribution is written and added in within one node's backward pass: one scratch per size serves all.
      const scratchOfSize = new Map<number, OwnedFloats>();
      graph.tensorSizes.forEach((size, t) => {
        const needed = used.has(t) && this.needsGrad[t] && (writers.get(t) ?? 0) > 1;
        if (needed && !scratchOfSize.has(size)) scratchOfSize.set(size, this.scope.floats(batchSize * size));
        this.scratch.push(needed ? scratchOfSize.get(size) : undefined);
      });
      for (const node of graph.nodes) {
        // Only a convolution that reads its input in the other layout needs a copy of it.
        if (node.op !== 'conv' || typeof convLayout(node, this.blocked).input !== 'object') continue;
        const [t] = node.inputs;
        const count = batchSize * graph.tensorSizes[t];
        const gradient = this.training && this.needsGrad[t] ? this.scope.floats(count) : undefined;
        this.convCopies.set(node, { values: this.activation(count), gradient });
      }
      this.weights = graph.nodes
        .flatMap((node) => ('weights' in node ? node.weights : []))
        .map((weight) => {
          const values = this.scope.floats(weight.size);
          const gradient = this.training && weight.trainable ? this.scope.floats(weight.size) : undefined;
          this.ownedWeights.set(weight, { values, gradient });
          return { weight, values: values.floats, gradient: gradient?.floats ?? new Float32Array(0) };
        });
      this.passesFor(batchSize);
    } catch (err) {
      // oneDNN refused a primitive (the caller trains on the tape instead): free what was made so far.
      this.scope.dispose();
      throw err;
    }
  }

  /** The model's output of the last forward pass: n images of the output tensor's size. */
  output(n: number): Float32Array {
    return this.values[this.graph.output].floats.subarray(0, n * this.graph.tensorSizes[this.graph.output]);
  }

  /**
   * The buffer of the model's input k (k > 0: the first is forward's x) for n images, which the caller fills
   * before forward or gradients (the VAE's noise).
   */
  input(k: number, n: number): Float32Array {
    const t = this.graph.inputs[k];
    return this.values[t].floats.subarray(0, n * this.graph.tensorSizes[t]);
  }

  /**
   * Moves trained weights and their gradients into arrays of the caller's (an optimizer's), which the steps then
   * read and write in place: no copy of every weight and gradient per step. The arrays must never move (views on
   * a fixed-size shared WebAssembly.Memory); the weights' current values are copied in once.
   */
  placeWeights(placed: readonly { weight: GraphWeight; values: Float32Array; gradient: Float32Array }[]): void {
    for (const { weight, values, gradient } of placed) {
      const owned = this.ownedWeights.get(weight);
      const index = this.weights.findIndex((w) => w.weight === weight);
      if (!owned?.gradient || values.length !== weight.size || gradient.length !== weight.size)
        throw new Error(`placeWeights: ${weight.variable.name} is not a trained weight of ${weight.size} floats`);
      values.set(owned.values.floats);
      const moved = { values: this.scope.over(values), gradient: this.scope.over(gradient) };
      this.scope.moveBytes(owned.values.address, moved.values.address);
      this.scope.moveBytes(owned.gradient.address, moved.gradient.address);
      this.ownedWeights.set(weight, moved);
      this.weights[index] = { weight, values, gradient };
    }
  }

  /** For PassTools: batch-size ones, made on first use. */
  onesVector(): OwnedFloats {
    if (!this.ones) {
      this.ones = this.scope.floats(this.batchSize);
      this.ones.floats.fill(1);
    }
    return this.ones;
  }

  /** The forward pass of n images (x: n rows of the input's size) into output(n). */
  forward(x: Float32Array, n: number): void {
    const passes = this.passesFor(n);
    this.values[this.graph.input].floats.set(x.subarray(0, n * this.graph.tensorSizes[this.graph.input]));
    for (const prepare of passes.prepare) prepare();
    for (const r of passes.beforeForward) this.scope.run(r);
    for (const r of passes.forward) this.scope.run(r);
    this.scope.wait();
  }

  /**
   * One training step's gradients for n images into each weight's `gradient`, batch norm's moving averages
   * updated as Keras does; returns the loss (weighted by `weights`, one per output value, when given).
   */
  gradients(x: Float32Array, y: Float32Array, n: number, weights?: Float32Array): number {
    if (!this.training) throw new Error('this plan was made for inference only');
    const passes = this.passesFor(n);
    this.forward(x, n);
    const out = this.graph.output;
    const count = n * this.graph.tensorSizes[out];
    const { reconstruction, extra } = this.objective;
    const p = this.values[out].floats;
    const g = this.grads[out]!.floats;
    // Weighted (masked) losses keep planLoss.ts's loop; a plain BCE takes its logarithms in one oneDNN pass.
    if (reconstruction === 'bce' && !weights)
      this.bce ??= new BceLogs(this.scope, this.batchSize * this.graph.tensorSizes[out]);
    let loss =
      this.bce && !weights
        ? this.bce.lossAndGradient(p, y, g, count)
        : lossAndGradient(reconstruction, p, y, g, count, weights);
    if (extra) {
      const rows = (buffers: (OwnedFloats | undefined)[]) =>
        this.lossOutputs.map((t) => buffers[t]!.floats.subarray(0, n * this.graph.tensorSizes[t]));
      loss += extra.lossAndGradient(rows(this.values), rows(this.grads), n);
    }
    for (const r of passes.backward) this.scope.run(r);
    for (const r of passes.afterBackward) this.scope.run(r);
    this.scope.wait();
    for (const { node, mean, variance } of passes.batchStatistics) this.movingAverages(node, mean, variance);
    return loss;
  }

  dispose(): void {
    this.scope.dispose();
    this.passes.clear();
  }

  /** moving -= (moving - batch) * (1 - momentum), TensorFlow.js's BatchNormalization update (biased batch variance). */
  private movingAverages(node: BatchNormNode, mean: Float32Array, variance: Float32Array): void {
    const decay = 1 - node.momentum;
    const update = (moving: Float32Array, batch: Float32Array) => {
      for (let c = 0; c < moving.length; c++) moving[c] -= (moving[c] - batch[c]) * decay;
    };
    update(this.ownedWeights.get(node.weights[2])!.values.floats, mean);
    update(this.ownedWeights.get(node.weights[3])!.values.floats, variance);
  }

  /** The tensors the extra loss reads; in training every output but the first needs to be one of them. */
  private checkedLossOutputs(): number[] {
    const { outputs } = this.graph;
    const read = this.objective.extra?.outputs ?? [];
    if (read.some((k) => k < 1 || k >= outputs.length))
      throw new Error('the extra loss reads an output the model lacks');
    const unread = outputs.findIndex((_, k) => k > 0 && !read.includes(k));
    if (this.training && unread > 0) throw new Error(`no loss reads the model's output ${unread}`);
    return read.map((k) => outputs[k]);
  }

  /** A tensor needs a gradient when a trainable weight is upstream of it. */
  private gradientNeeds(): boolean[] {
    const needs = this.graph.tensorSizes.map(() => false);
    if (!this.training) return needs;
    for (const node of this.graph.nodes) {
      const trains = 'weights' in node && node.weights.some((w) => w.trainable);
      needs[node.output] = trains || node.inputs.some((t) => needs[t]);
    }
    if (!needs[this.graph.output]) throw new Error('nothing in the model is trainable');
    return needs;
  }

  /**
   * Batch norm outputs read only by convolutions: their values are cheap to make again from the batch norm's
   * input and the batch's statistics, so they are not kept for the backward pass but recomputed just before
   * the convolution's backward pass needs them. DnCNN-17 at batch 64 keeps 15 of its 31 activations of 26 MB.
   */
  private recomputedTensors(): Set<number> {
    const recomputed = new Set<number>();
    if (!this.training) return recomputed;
    for (const node of this.graph.nodes) {
      if (node.op !== 'batchNorm' || this.graph.outputs.includes(node.output)) continue;
      const readers = this.graph.nodes.filter((n) => n.inputs.includes(node.output));
      if (readers.length > 0 && readers.every((n) => n.op === 'conv')) recomputed.add(node.output);
    }
    return recomputed;
  }

  /**
   * Every tensor's values. Those not kept for a backward pass (recomputed ones; at inference all but the input
   * and the output) share buffers where their forward lifetimes (producer to last reader) do not overlap:
   * DnCNN-17 on a 512x512 image needs 3 buffers of 67 MB instead of 33.
   */
  private valueBuffers(used: Set<number>): OwnedFloats[] {
    const { nodes, tensorSizes, inputs, outputs } = this.graph;
    const end = (t: number) => inputs.includes(t) || outputs.includes(t);
    const shared = (t: number) => this.recomputed.has(t) || (!this.training && !end(t));
    const lastRead = new Map<number, number>();
    nodes.forEach((node, i) => node.inputs.forEach((t) => lastRead.set(t, i)));
    const pool: { floats: OwnedFloats; size: number; freeAfter: number }[] = [];
    return tensorSizes.map((size, t) => {
      if (!used.has(t)) return this.scope.floats(1);
      if (!shared(t)) return this.activation(this.batchSize * size);
      const born = nodes.findIndex((n) => n.output === t);
      let slot = pool.find((p) => p.size === size && p.freeAfter < born);
      if (!slot) {
        slot = { floats: this.activation(this.batchSize * size), size, freeAfter: 0 };
        pool.push(slot);
      }
      slot.freeAfter = lastRead.get(t) ?? born;
      return slot.floats;
    });
  }

  private activation(count: number): OwnedFloats {
    return this.arena ? this.arena.floats(count) : this.scope.floats(count);
  }

  /**
   * The gradient buffers, shared between tensors whose gradients are never alive at once: a tensor's gradient
   * lives from the backward pass of its last reader (the loss, for the output) to that of its producer. A chain
   * of layers then needs two buffers per size instead of one per layer (DnCNN-17 at batch 64: 26 MB each).
   */
  private sharedGradients(used: Set<number>): (OwnedFloats | undefined)[] {
    const { nodes, tensorSizes, output } = this.graph;
    const last = nodes.length - 1;
    const start = new Map<number, number>();
    const end = new Map<number, number>();
    nodes.forEach((node, i) => {
      end.set(node.output, last - i);
      for (const t of node.inputs) start.set(t, Math.min(start.get(t) ?? Infinity, last - i));
    });
    for (const t of [output, ...this.lossOutputs]) start.set(t, -1);
    const tensors = tensorSizes.map((_, t) => t).filter((t) => used.has(t) && this.needsGrad[t]);
    tensors.sort((a, b) => start.get(a)! - start.get(b)!);
    const pool: { floats: OwnedFloats; size: number; freeAfter: number }[] = [];
    const grads: (OwnedFloats | undefined)[] = tensorSizes.map(() => undefined);
    for (const t of tensors) {
      const size = tensorSizes[t];
      let slot = pool.find((p) => p.size === size && p.freeAfter < start.get(t)!);
      if (!slot) {
        slot = { floats: this.scope.floats(this.batchSize * size), size, freeAfter: 0 };
        pool.push(slot);
      }
      slot.freeAfter = end.get(t)!;
      grads[t] = slot.floats;
    }
    return grads;
  }

  /** How many gradient contributions each tensor gets (one per reading node). */
  private gradientWriters(): Map<number, number> {
    const writers = new Map<number, number>();
    for (const node of this.graph.nodes) {
      for (const t of node.inputs) if (this.needsGrad[t]) writers.set(t, (writers.get(t) ?? 0) + 1);
    }
    if (writers.has(this.graph.output)) throw new Error('the model output is also read by a layer');
    // The extra loss writes its outputs' gradients first; the layers that read them add theirs.
    for (const t of this.lossOutputs) writers.set(t, (writers.get(t) ?? 0) + 1);
    return writers;
  }

  private passesFor(n: number): Passes {
    let passes = this.passes.get(n);
    if (!passes) {
      if (n > this.batchSize)
        throw new Error(`a batch of ${n} images, and the plan was made for at most ${this.batchSize}`);
      passes = new PassBuilder(this, n).build();
      this.passes.set(n, passes);
    }
    return passes;
  }

  /** For PassBuilder: the plan's buffers. */
  buffers() {
    return {
      scope: this.scope,
      values: this.values,
      recomputed: this.recomputed,
      grads: this.grads,
      scratch: this.scratch,
      needsGrad: this.needsGrad,
      weights: this.ownedWeights,
      implementations: this.implementations,
      lossOutputs: this.lossOutputs,
      phaseScratch: this.phaseScratch,
      blocked: this.blocked,
      convCopies: this.convCopies,
    };
  }
}

/** Makes the primitives of one batch size over a plan's buffers. */
class PassBuilder implements PassTools {
  private readonly b: ReturnType<TrainingPlan['buffers']>;
  readonly scope: OneDnnScope;
  private readonly prepare: (() => void)[] = [];
  private readonly beforeForward: Runnable[] = [];
  private readonly forward: Runnable[] = [];
  /** Built in forward order, per node, then run from the last node to the first. */
  private readonly backwardByNode: Runnable[][] = [];
  private readonly afterBackward: Runnable[] = [];
  private readonly batchStatistics: Passes['batchStatistics'] = [];
  /** Gradient contributions already planned per tensor, counted from the last reader back. */
  private readonly written = new Map<number, number>();

  constructor(
    private readonly plan: TrainingPlan,
    readonly n: number,
  ) {
    this.b = plan.buffers();
    this.scope = this.b.scope;
    for (const t of this.b.lossOutputs) this.written.set(t, 1);
  }

  build(): Passes {
    const nodes = this.plan.graph.nodes;
    // Backward order decides which reader writes a gradient first (the others add into it).
    const backward: Runnable[][] = new Array(nodes.length);
    for (let i = nodes.length - 1; i >= 0; i--)
      backward[i] = this.needsOutputGrad(nodes[i]) ? this.backwardOf(nodes[i]) : [];
    for (const node of nodes) this.forwardOf(node);
    return {
      prepare: this.prepare,
      beforeForward: this.beforeForward,
      forward: this.forward,
      backward: backward.reverse().flat(),
      afterBackward: this.afterBackward,
      batchStatistics: this.batchStatistics,
    };
  }

  private needsOutputGrad(node: GraphNode): boolean {
    return this.b.needsGrad[node.output];
  }

  private spatialMd(shape: Hwc, tag: number = DNNL.tag.nhwc): Uint8Array {
    return this.scope.md([this.n, shape[2], shape[0], shape[1]], tag);
  }

  /** Tensor t of this shape in its layout: channel-blocked (blockedLayout.ts) or NHWC. */
  private tensorMd(t: number, shape: Hwc): Uint8Array {
    return this.spatialMd(shape, this.b.blocked.has(t) ? DNNL.tag.nChw16c : DNNL.tag.nhwc);
  }

  private flatMd(size: number): Uint8Array {
    return this.scope.md([this.n * size], DNNL.tag.a);
  }

  value(t: number, md: Uint8Array, offset = 0): Handle {
    return this.scope.memory(md, this.b.values[t].address + BigInt(4 * offset));
  }

  grad(t: number, md: Uint8Array): Handle {
    return this.scope.memory(md, this.b.grads[t]!.address);
  }

  needsGrad(t: number): boolean {
    return this.b.needsGrad[t];
  }

  weight(w: GraphWeight): { values: OwnedFloats; gradient?: OwnedFloats } {
    return this.b.weights.get(w)!;
  }

  ones(): OwnedFloats {
    return this.plan.onesVector();
  }

  eltwise(a: Activation): Eltwise | undefined {
    return eltwiseOf(a);
  }

  implementation(pd: Handle): void {
    this.b.implementations.add(this.scope.onednn.implementation(pd));
  }

  /**
   * Where a node writes its contribution to tensor t's gradient: the gradient itself for the last reader (the
   * first in backward order), else the scratch buffer, added in by `then`.
   */
  gradTarget(t: number, md: Uint8Array, size: number): { memory: Handle; then: Runnable[] } {
    const before = this.written.get(t) ?? 0;
    this.written.set(t, before + 1);
    if (before === 0) return { memory: this.grad(t, md), then: [] };
    const scratch = this.scope.memory(md, this.b.scratch[t]!.address);
    const flat = this.flatMd(size);
    const desc = new Uint8Array(DESC_BYTES.op);
    this.scope.onednn.call.binary_desc_init(desc, DNNL.alg.binaryAdd, flat, flat, flat);
    const sum = this.grad(t, flat);
    const add = this.scope.runnable(this.scope.primitiveDesc(desc), {
      [DNNL.arg.src]: sum,
      [DNNL.arg.src1]: this.scope.memory(flat, this.b.scratch[t]!.address),
      [DNNL.arg.dst]: sum,
    });
    return { memory: scratch, then: [add] };
  }

  private forwardOf(node: GraphNode): void {
    switch (node.op) {
      case 'conv':
        return this.convForward(node);
      case 'dense':
        this.forward.push(denseForward(this, node));
        return;
      case 'multiply':
        this.forward.push(multiplyForward(this, node));
        return;
      case 'activation': {
        const act = eltwiseOf(node.activation);
        const md = this.flatMd(node.size);
        if (!act) {
          this.forward.push(this.copy(this.value(node.inputs[0], md), this.value(node.output, md), md));
          return;
        }
        const pd = this.eltwiseForwardPd(act, md);
        this.forward.push(
          this.scope.runnable(pd, {
            [DNNL.arg.src]: this.value(node.inputs[0], md),
            [DNNL.arg.dst]: this.value(node.output, md),
          }),
        );
        return;
      }
      case 'maxPool': {
        const { pd } = this.poolDescs(node);
        this.forward.push(
          this.scope.runnable(pd, {
            [DNNL.arg.src]: this.value(node.inputs[0], this.spatialMd(node.inShape)),
            [DNNL.arg.dst]: this.value(node.output, this.spatialMd(node.outShape)),
            [DNNL.arg.workspace]: this.poolWorkspace(node, pd),
          }),
        );
        return;
      }
      case 'concat': {
        let offset = 0;
        node.inputs.forEach((t, k) => {
          const md = this.spatialMd(node.inShapes[k]);
          const view = this.channelView(node.outShape, node.inShapes[k][2]);
          const dst = this.scope.memory(view, this.b.values[node.output].address + BigInt(4 * offset));
          this.forward.push(this.copy(this.value(t, md), dst, md, view));
          offset += node.inShapes[k][2];
        });
        return;
      }
      case 'add': {
        const md = this.flatMd(node.size);
        const out = this.value(node.output, md);
        node.inputs.slice(1).forEach((t, k) => {
          const desc = new Uint8Array(DESC_BYTES.op);
          this.scope.onednn.call.binary_desc_init(desc, DNNL.alg.binaryAdd, md, md, md);
          const first = k === 0 ? this.value(node.inputs[0], md) : out;
          this.forward.push(
            this.scope.runnable(this.scope.primitiveDesc(desc), {
              [DNNL.arg.src]: first,
              [DNNL.arg.src1]: this.value(t, md),
              [DNNL.arg.dst]: out,
            }),
          );
        });
        return;
      }
      case 'batchNorm':
        return this.batchNormForward(node);
    }
  }

  private backwardOf(node: GraphNode): Runnable[] {
    const out: Runnable[] = [];
    switch (node.op) {
      case 'conv':
        return this.convBackward(node);
      case 'dense':
        return denseBackward(this, node);
      case 'multiply':
        return multiplyBackward(this, node);
      case 'activation': {
        const [t] = node.inputs;
        if (!this.b.needsGrad[t]) return out;
        const md = this.flatMd(node.size);
        const target = this.gradTarget(t, md, node.size);
        const act = eltwiseOf(node.activation);
        if (!act) out.push(this.copy(this.grad(node.output, md), target.memory, md));
        else if (act.fromInput) out.push(this.eltwiseBackwardFromInput(act, md, node, target.memory));
        else out.push(this.eltwiseBackward(act, md, node.output, target.memory));
        return [...out, ...target.then];
      }
      case 'maxPool': {
        const [t] = node.inputs;
        if (!this.b.needsGrad[t]) return out;
        const { pd, forwardPd } = this.poolDescs(node);
        const inMd = this.spatialMd(node.inShape);
        const outMd = this.spatialMd(node.outShape);
        const desc = new Uint8Array(DESC_BYTES.op);
        const { stride, kernel, padL, padR } = this.poolGeometry(node);
        this.scope.onednn.call.pooling_backward_desc_init(
          desc,
          DNNL.alg.poolingMax,
          inMd,
          outMd,
          stride,
          kernel,
          padL,
          padR,
        );
        const backPd = this.scope.primitiveDesc(desc, forwardPd ?? pd);
        const target = this.gradTarget(t, inMd, this.plan.graph.tensorSizes[t]);
        out.push(
          this.scope.runnable(backPd, {
            [DNNL.arg.diffDst]: this.grad(node.output, outMd),
            [DNNL.arg.workspace]: this.poolWorkspace(node, pd),
            [DNNL.arg.diffSrc]: target.memory,
          }),
        );
        return [...out, ...target.then];
      }
      case 'concat': {
        let offset = 0;
        node.inputs.forEach((t, k) => {
          const channels = node.inShapes[k][2];
          if (this.b.needsGrad[t]) {
            const md = this.spatialMd(node.inShapes[k]);
            const view = this.channelView(node.outShape, channels);
            const src = this.scope.memory(view, this.b.grads[node.output]!.address + BigInt(4 * offset));
            const target = this.gradTarget(t, md, this.plan.graph.tensorSizes[t]);
            out.push(this.copy(src, target.memory, view, md), ...target.then);
          }
          offset += channels;
        });
        return out;
      }
      case 'add': {
        const md = this.flatMd(node.size);
        for (const t of node.inputs) {
          if (!this.b.needsGrad[t]) continue;
          const target = this.gradTarget(t, md, node.size);
          out.push(this.copy(this.grad(node.output, md), target.memory, md), ...target.then);
        }
        return out;
      }
      case 'batchNorm':
        return this.batchNormBackward(node);
    }
  }

  /** NHWC view of `channels` of an NHWC tensor of shape `whole` (the caller offsets the address to the first one). */
  private channelView(whole: Hwc, channels: number): Uint8Array {
    const [h, w, c] = whole;
    return this.scope.stridedMd([this.n, channels, h, w], [h * w * c, 1, w * c, c]);
  }

  /** A reorder (here: a copy, possibly between strided views) from src to dst. */
  private copy(src: Handle, dst: Handle, srcMd: Uint8Array, dstMd: Uint8Array = srcMd): Runnable {
    return this.scope.runnable(this.scope.reorderDesc(srcMd, dstMd), { [DNNL.arg.src]: src, [DNNL.arg.dst]: dst });
  }

  private eltwiseForwardPd(act: { backward: number; alpha: number }, md: Uint8Array): Handle {
    const desc = new Uint8Array(DESC_BYTES.op);
    this.scope.onednn.call.eltwise_forward_desc_init(desc, DNNL.prop.forwardTraining, act.backward, md, act.alpha, 0);
    return this.scope.primitiveDesc(desc);
  }

  /** The gradient through an activation layer from its input values and output gradient (softplus). */
  private eltwiseBackwardFromInput(act: Eltwise, md: Uint8Array, node: GraphNode, diffSrc: Handle): Runnable {
    const desc = new Uint8Array(DESC_BYTES.op);
    this.scope.onednn.call.eltwise_backward_desc_init(desc, act.backward, md, md, act.alpha, 0);
    const pd = this.scope.primitiveDesc(desc, this.eltwiseForwardPd(act, md));
    return this.scope.runnable(pd, {
      [DNNL.arg.src]: this.value(node.inputs[0], md),
      [DNNL.arg.diffDst]: this.grad(node.output, md),
      [DNNL.arg.diffSrc]: diffSrc,
    });
  }

  /** The gradient through an activation from its output values (tensor `output`) and gradient, into diffSrc. */
  eltwiseBackward(act: Eltwise, md: Uint8Array, output: number, diffSrc: Handle): Runnable {
    const desc = new Uint8Array(DESC_BYTES.op);
    this.scope.onednn.call.eltwise_backward_desc_init(desc, act.backward, md, md, act.alpha, 0);
    const pd = this.scope.primitiveDesc(desc, this.eltwiseForwardPd(act, md));
    return this.scope.runnable(pd, {
      [DNNL.arg.dst]: this.value(output, md),
      [DNNL.arg.diffDst]: this.grad(output, md),
      [DNNL.arg.diffSrc]: diffSrc,
    });
  }

  private poolGeometry(node: Extract<GraphNode, { op: 'maxPool' }>) {
    return { stride: i64(node.strides), kernel: i64(node.pool), padL: i64(node.padBefore), padR: i64(node.padAfter) };
  }

  private readonly poolCache = new Map<GraphNode, { pd: Handle; forwardPd?: Handle; workspace?: Handle }>();

  private poolDescs(node: Extract<GraphNode, { op: 'maxPool' }>): { pd: Handle; forwardPd?: Handle } {
    let cached = this.poolCache.get(node);
    if (!cached) {
      const desc = new Uint8Array(DESC_BYTES.op);
      const { stride, kernel, padL, padR } = this.poolGeometry(node);
      const prop = this.b.needsGrad[node.inputs[0]] ? DNNL.prop.forwardTraining : DNNL.prop.forwardInference;
      this.scope.onednn.call.pooling_forward_desc_init(
        desc,
        prop,
        DNNL.alg.poolingMax,
        this.spatialMd(node.inShape),
        this.spatialMd(node.outShape),
        stride,
        kernel,
        padL,
        padR,
      );
      cached = { pd: this.scope.primitiveDesc(desc) };
      this.poolCache.set(node, cached);
    }
    return cached;
  }

  /** Which input each pooled value came from, written by the forward pass for the backward one. */
  private poolWorkspace(node: Extract<GraphNode, { op: 'maxPool' }>, pd: Handle): Handle {
    const cached = this.poolCache.get(node)!;
    if (!cached.workspace) {
      const md = this.scope.onednn.queryMd(pd, DNNL.query.workspace, 0);
      cached.workspace = md ? this.scope.memory(md) : null;
    }
    return cached.workspace;
  }

  // Convolutions --------------------------------------------------------------------------------------------

  private readonly convCache = new Map<ConvNode, ConvDescs>();

  private convDescs(node: ConvNode): ConvDescs {
    const cached = this.convCache.get(node);
    if (cached) return cached;
    const { call } = this.scope.onednn;
    const [kh, kw] = node.kernel;
    const ci = node.inShape[2];
    const co = node.outShape[2];
    const layout = convLayout(node, this.b.blocked);
    const tensorSrcMd = this.tensorMd(node.inputs[0], node.inShape);
    const copyTags = { blocked: DNNL.tag.nChw16c, nchw: DNNL.tag.nchw, nhwc: DNNL.tag.nhwc };
    const srcMd =
      layout.input === 'as is'
        ? tensorSrcMd
        : this.spatialMd(node.inShape, layout.input === 'planar' ? DNNL.tag.nchw : copyTags[layout.input.copy]);
    const dstMd = this.tensorMd(node.output, node.outShape);
    // oneDNN's weights are [out, in, kh, kw] of its operation; TensorFlow.js keeps a Conv2D's as [kh][kw][in][out]
    // (hwio) and a Conv2DTranspose's as [kh][kw][out][in].
    const weightDims = [co, ci, kh, kw];
    const userWeightsMd = node.transposed
      ? this.scope.stridedMd(weightDims, [ci, 1, kw * co * ci, co * ci])
      : this.scope.md(weightDims, DNNL.tag.hwio);
    const anyWeightsMd = this.scope.md(weightDims, DNNL.tag.any);
    const hasBias = node.weights.length > 1;
    const biasMd = hasBias ? this.scope.md([co], DNNL.tag.a) : null;
    const strides = i64(node.strides);
    const padL = i64(node.padBefore);
    const padR = i64(node.padAfter);
    const op: ConvDescs['op'] = node.transposed ? 'deconvolution' : 'convolution';
    const act = eltwiseOf(node.activation);
    const prop = this.b.needsGrad[node.output] ? DNNL.prop.forwardTraining : DNNL.prop.forwardInference;
    const attr = act ? this.scope.eltwiseAfter(act.forward, act.alpha) : null;
    const forwardWith = (alg: number) => {
      const forwardDesc = new Uint8Array(DESC_BYTES.op);
      call[`${op}_forward_desc_init`](forwardDesc, prop, alg, srcMd, anyWeightsMd, biasMd, dstMd, strides, padL, padR);
      return this.scope.primitiveDesc(forwardDesc, null, attr);
    };
    const direct = node.transposed ? DNNL.alg.deconvolutionDirect : DNNL.alg.convolutionDirect;
    let alg = layout.winograd ? DNNL.alg.convolutionWinograd : direct;
    let forwardPd: Handle;
    try {
      forwardPd = forwardWith(alg);
    } catch (err) {
      // A oneDNN without Winograd for this machine or shape: the direct algorithm, on the same layouts.
      if (alg === direct) throw err;
      alg = direct;
      forwardPd = forwardWith(alg);
    }
    const result: ConvDescs = {
      tensorSrcMd,
      srcMd,
      dstMd,
      userWeightsMd,
      anyWeightsMd,
      biasMd,
      strides,
      padL,
      padR,
      alg,
      op,
      act,
      forwardPd,
    };
    this.convCache.set(node, result);
    return result;
  }

  /** A reorder of the user's weights into a primitive's layout (run before each forward pass), and that memory. */
  private weightsFor(node: ConvNode, pd: Handle, userMd: Uint8Array): Handle {
    const md = this.scope.onednn.queryMd(pd, DNNL.query.weights, 0);
    const weights = this.scope.memory(md);
    const user = this.scope.memory(userMd, this.b.weights.get(node.weights[0])!.values.address);
    this.beforeForward.push(
      this.scope.runnable(this.scope.reorderDesc(userMd, md), { [DNNL.arg.src]: user, [DNNL.arg.dst]: weights }),
    );
    return weights;
  }

  private convForward(node: ConvNode): void {
    const phases = this.b.phaseScratch && transposedConvForward(this, node, this.b.phaseScratch);
    if (phases) {
      this.prepare.push(phases.prepare);
      this.beforeForward.push(...phases.beforeForward);
      this.forward.push(...phases.forward);
      return;
    }
    const d = this.convDescs(node);
    this.implementation(d.forwardPd);
    const copy = this.b.convCopies.get(node);
    const src = copy ? this.scope.memory(d.srcMd, copy.values.address) : this.value(node.inputs[0], d.srcMd);
    if (copy) this.forward.push(this.copy(this.value(node.inputs[0], d.tensorSrcMd), src, d.tensorSrcMd, d.srcMd));
    const args: Record<number, Handle> = {
      [DNNL.arg.src]: src,
      [DNNL.arg.weights]: this.weightsFor(node, d.forwardPd, d.userWeightsMd),
      [DNNL.arg.dst]: this.value(node.output, d.dstMd),
    };
    if (d.biasMd)
      args[DNNL.arg.bias] = this.scope.memory(d.biasMd, this.b.weights.get(node.weights[1])!.values.address);
    this.forward.push(this.scope.runnable(d.forwardPd, args));
  }

  private convBackward(node: ConvNode): Runnable[] {
    const d = this.convDescs(node);
    const { call } = this.scope.onednn;
    const out: Runnable[] = [];
    const [t] = node.inputs;
    const copy = this.b.convCopies.get(node);
    // A copied input was copied in the forward pass, when its values were there.
    if (this.b.recomputed.has(t) && !copy) out.push(this.recompute(t));
    const src = copy ? this.scope.memory(d.srcMd, copy.values.address) : this.value(t, d.srcMd);
    const outputGrad = this.grad(node.output, d.dstMd);
    if (d.act) {
      // In place: the output's gradient becomes the gradient before the activation.
      const md = this.flatMd(this.plan.graph.tensorSizes[node.output]);
      out.push(this.eltwiseBackward(d.act, md, node.output, this.grad(node.output, md)));
    }
    const [kernel, bias] = node.weights;
    if (kernel.trainable) {
      const pd = this.backwardPd(d, (desc, alg) =>
        call[`${d.op}_backward_weights_desc_init`](
          desc,
          alg,
          d.srcMd,
          d.anyWeightsMd,
          d.biasMd,
          d.dstMd,
          d.strides,
          d.padL,
          d.padR,
        ),
      );
      const md = this.scope.onednn.queryMd(pd, DNNL.query.diffWeights, 0);
      const diffWeights = this.scope.memory(md);
      const args: Record<number, Handle> = {
        [DNNL.arg.src]: src,
        [DNNL.arg.diffDst]: outputGrad,
        [DNNL.arg.diffWeights]: diffWeights,
      };
      if (bias && d.biasMd)
        args[DNNL.arg.diffBias] = this.scope.memory(d.biasMd, this.b.weights.get(bias)!.gradient!.address);
      out.push(this.scope.runnable(pd, args));
      const user = this.scope.memory(d.userWeightsMd, this.b.weights.get(kernel)!.gradient!.address);
      this.afterBackward.push(
        this.scope.runnable(this.scope.reorderDesc(md, d.userWeightsMd), {
          [DNNL.arg.src]: diffWeights,
          [DNNL.arg.dst]: user,
        }),
      );
    }
    if (this.b.needsGrad[t]) {
      const pd = this.backwardPd(d, (desc, alg) =>
        call[`${d.op}_backward_data_desc_init`](desc, alg, d.srcMd, d.anyWeightsMd, d.dstMd, d.strides, d.padL, d.padR),
      );
      const weights = this.weightsFor(node, pd, d.userWeightsMd);
      const target = this.gradTarget(t, d.tensorSrcMd, this.plan.graph.tensorSizes[t]);
      // Into the copy's layout, then back into the tensor's.
      const diffSrc = copy?.gradient ? this.scope.memory(d.srcMd, copy.gradient.address) : target.memory;
      out.push(
        this.scope.runnable(pd, {
          [DNNL.arg.diffDst]: outputGrad,
          [DNNL.arg.weights]: weights,
          [DNNL.arg.diffSrc]: diffSrc,
        }),
        ...(copy?.gradient ? [this.copy(diffSrc, target.memory, d.srcMd, d.tensorSrcMd)] : []),
        ...target.then,
      );
    }
    return out;
  }

  /** A backward primitive of the convolution's algorithm, or of the direct one where oneDNN has no other. */
  private backwardPd(d: ConvDescs, init: (desc: Uint8Array, alg: number) => void): Handle {
    const desc = new Uint8Array(DESC_BYTES.op);
    init(desc, d.alg);
    try {
      return this.scope.primitiveDesc(desc, d.forwardPd);
    } catch (err) {
      if (d.alg !== DNNL.alg.convolutionWinograd) throw err;
      init(desc, DNNL.alg.convolutionDirect);
      return this.scope.primitiveDesc(desc, d.forwardPd);
    }
  }

  // Batch normalization ---------------------------------------------------------------------------------------

  private readonly bnCache = new Map<
    BatchNormNode,
    {
      forwardPd: Handle;
      md: Uint8Array;
      mean: OwnedFloats;
      variance: OwnedFloats;
      workspace?: Handle;
      recompute?: Runnable;
    }
  >();

  private batchNormDescs(node: BatchNormNode) {
    let cached = this.bnCache.get(node);
    if (!cached) {
      const md = this.tensorMd(node.output, node.shape);
      const desc = new Uint8Array(DESC_BYTES.op);
      const training = this.trainingMode();
      const flags = this.batchNormFlags(node) | (training ? 0 : DNNL.batchNormFlags.useGlobalStats);
      const prop = training ? DNNL.prop.forwardTraining : DNNL.prop.forwardInference;
      this.scope.onednn.call.batch_normalization_forward_desc_init(desc, prop, md, node.epsilon, flags);
      const channels = node.shape[2];
      const forwardPd = this.scope.primitiveDesc(desc);
      // In training, the fused ReLU keeps which outputs it zeroed for the backward pass.
      const workspaceMd = node.relu && training ? this.scope.onednn.queryMd(forwardPd, DNNL.query.workspace, 0) : null;
      const workspace = workspaceMd ? this.scope.memory(workspaceMd) : undefined;
      cached = { forwardPd, md, mean: this.scope.floats(channels), variance: this.scope.floats(channels), workspace };
      this.bnCache.set(node, cached);
    }
    return cached;
  }

  private batchNormFlags(node: BatchNormNode): number {
    return (
      DNNL.batchNormFlags.useScale | DNNL.batchNormFlags.useShift | (node.relu ? DNNL.batchNormFlags.fuseNormRelu : 0)
    );
  }

  /** Training plans normalize with the batch's statistics (Keras' training mode), inference ones with the moving. */
  private trainingMode(): boolean {
    return this.b.needsGrad.some((x) => x);
  }

  private batchNormForward(node: BatchNormNode): void {
    const d = this.batchNormDescs(node);
    const [gamma, beta, movingMean, movingVariance] = node.weights.map((w) => this.b.weights.get(w)!.values);
    const channelMd = this.scope.md([node.shape[2]], DNNL.tag.a);
    const training = this.trainingMode();
    const mean = training ? d.mean : movingMean;
    const variance = training ? d.variance : movingVariance;
    const args: Record<number, Handle> = {
      [DNNL.arg.src]: this.value(node.inputs[0], d.md),
      [DNNL.arg.dst]: this.value(node.output, d.md),
      [DNNL.arg.scale]: this.scope.memory(channelMd, gamma.address),
      [DNNL.arg.shift]: this.scope.memory(channelMd, beta.address),
      [DNNL.arg.mean]: this.scope.memory(channelMd, mean.address),
      [DNNL.arg.variance]: this.scope.memory(channelMd, variance.address),
    };
    if (d.workspace) args[DNNL.arg.workspace] = d.workspace;
    this.forward.push(this.scope.runnable(d.forwardPd, args));
    if (training) this.batchStatistics.push({ node, mean: d.mean.floats, variance: d.variance.floats });
  }

  /** The values of a recomputed batch norm output, from its input and this step's batch statistics. */
  private recompute(t: number): Runnable {
    const node = this.plan.graph.nodes.find((n) => n.output === t) as BatchNormNode;
    const d = this.batchNormDescs(node);
    if (!d.recompute) {
      const desc = new Uint8Array(DESC_BYTES.op);
      const flags = this.batchNormFlags(node) | DNNL.batchNormFlags.useGlobalStats;
      this.scope.onednn.call.batch_normalization_forward_desc_init(
        desc,
        DNNL.prop.forwardInference,
        d.md,
        node.epsilon,
        flags,
      );
      const [gamma, beta] = node.weights.map((w) => this.b.weights.get(w)!.values);
      const channelMd = this.scope.md([node.shape[2]], DNNL.tag.a);
      d.recompute = this.scope.runnable(this.scope.primitiveDesc(desc), {
        [DNNL.arg.src]: this.value(node.inputs[0], d.md),
        [DNNL.arg.dst]: this.value(t, d.md),
        [DNNL.arg.scale]: this.scope.memory(channelMd, gamma.address),
        [DNNL.arg.shift]: this.scope.memory(channelMd, beta.address),
        [DNNL.arg.mean]: this.scope.memory(channelMd, d.mean.address),
        [DNNL.arg.variance]: this.scope.memory(channelMd, d.variance.address),
      });
    }
    return d.recompute;
  }

  private batchNormBackward(node: BatchNormNode): Runnable[] {
    const d = this.batchNormDescs(node);
    const [t] = node.inputs;
    const [gamma, beta] = node.weights;
    const channels = node.shape[2];
    const channelMd = this.scope.md([channels], DNNL.tag.a);
    const desc = new Uint8Array(DESC_BYTES.op);
    this.scope.onednn.call.batch_normalization_backward_desc_init(
      desc,
      DNNL.prop.backward,
      d.md,
      d.md,
      node.epsilon,
      this.batchNormFlags(node),
    );
    const pd = this.scope.primitiveDesc(desc, d.forwardPd);
    // A frozen layer's gamma and beta gradients are computed anyway (oneDNN's backward writes them) into scratch.
    const gradientOf = (w: GraphWeight) => this.b.weights.get(w)!.gradient ?? this.scope.floats(channels);
    const target = this.b.needsGrad[t]
      ? this.gradTarget(t, d.md, this.plan.graph.tensorSizes[t])
      : { memory: this.scope.memory(d.md), then: [] };
    const workspace: Record<number, Handle> = d.workspace ? { [DNNL.arg.workspace]: d.workspace } : {};
    return [
      this.scope.runnable(pd, {
        ...workspace,
        [DNNL.arg.src]: this.value(t, d.md),
        [DNNL.arg.mean]: this.scope.memory(channelMd, d.mean.address),
        [DNNL.arg.variance]: this.scope.memory(channelMd, d.variance.address),
        [DNNL.arg.diffDst]: this.grad(node.output, d.md),
        [DNNL.arg.scale]: this.scope.memory(channelMd, this.b.weights.get(gamma)!.values.address),
        [DNNL.arg.shift]: this.scope.memory(channelMd, this.b.weights.get(beta)!.values.address),
        [DNNL.arg.diffSrc]: target.memory,
        [DNNL.arg.diffScale]: this.scope.memory(channelMd, gradientOf(gamma).address),
        [DNNL.arg.diffShift]: this.scope.memory(channelMd, gradientOf(beta).address),
      }),
      ...target.then,
    ];
  }
}
