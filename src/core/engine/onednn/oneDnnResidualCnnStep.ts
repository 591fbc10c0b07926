import type { DirectConvLayer } from '../blas/residualCnnStep';
import { DESC_BYTES, DNNL, type Handle, type OneDnn } from './loadOneDnn';
import { OneDnnScope, type OwnedFloats, type Runnable } from './oneDnnScope';

/** One layer's primitives for one batch size. */
interface LayerPlan {
  /** The user's kernel (TensorFlow.js's [k][k][in][out], oneDNN's hwio) into the layouts the convolutions chose. */
  readonly toForwardWeights: Runnable;
  readonly toBackwardWeights?: Runnable;
  /** The convolution, with the bias and (all layers but the last) the ReLU fused. */
  readonly forward: Runnable;
  /** The output gradient through the ReLU, in place (from the ReLU's output: zero where it is). */
  readonly throughRelu?: Runnable;
  /** The filter and bias gradients, the filter's back into the user's layout. */
  readonly filterGradient?: Runnable;
  readonly filterGradientToUser?: Runnable;
  /** The gradient of the layer's input. */
  readonly inputGradient?: Runnable;
}

/** A layer's arrays in oneDNN's memory: its kernel and bias as the user keeps them, and their gradients. */
interface LayerBuffers {
  readonly kernel: OwnedFloats;
  readonly bias: OwnedFloats;
  readonly kernelGradient: OwnedFloats;
  readonly biasGradient: OwnedFloats;
}

/**
 * The gradients of a residual CNN's mean-squared-error loss, as residualCnnStep.ts computes them, with every
 * convolution run by oneDNN: the forward pass with its bias and ReLU fused, the input gradient, and the filter
 * and bias gradients in one pass. Activations and gradients are plain NHWC arrays (oneDNN's fast kernels take no
 * padded or strided layouts: on the padded grids of batchGrid.ts it fell back to its reference code, 300x slower
 * when measured once on BENCHMARKS.md's 2-core AVX-512 machine). oneDNN's primitives are made for one batch
 * size, so each size a run meets (the batch size and the last, shorter batch) gets its own plan, made once.
 */
export class OneDnnResidualCnnStep {
  readonly kernelGradients: Float32Array[];
  readonly biasGradients: Float32Array[];
  /** What oneDNN chose for each layer's forward pass, e.g. `brgconv:avx512_core`. */
  readonly implementations: string[] = [];
  private readonly scope: OneDnnScope;
  /** activations[0]: the input images; activations[i + 1]: layer i's output (the last: the negated noise). */
  private readonly activations: OwnedFloats[];
  /** outputGradients[i]: the loss's gradient with respect to activations[i] (index 0 unused). */
  private readonly outputGradients: OwnedFloats[];
  private readonly buffers: LayerBuffers[];
  private readonly plans = new Map<number, LayerPlan[]>();
  private readonly firstTrainable: number;
  private readonly pixels: number;

  constructor(
    onednn: OneDnn,
    readonly layers: readonly DirectConvLayer[],
    private readonly height: number,
    private readonly width: number,
    private readonly kernelSize: number,
    private readonly batchSize: number,
    threads: number,
    gradients?: { kernels: Float32Array[]; biases: Float32Array[] },
  ) {
    onednn.setThreads(threads);
    this.scope = new OneDnnScope(onednn);
    this.pixels = height * width;
    const channels = [layers[0].inChannels, ...layers.map((l) => l.outChannels)];
    this.activations = channels.map((c) => this.scope.floats(batchSize * this.pixels * c));
    this.outputGradients = channels.map((c, i) => this.scope.floats(i === 0 ? 1 : batchSize * this.pixels * c));
    this.buffers = layers.map((l) => ({
      kernel: this.scope.floats(l.kernel.length),
      bias: this.scope.floats(l.bias.length),
      kernelGradient: this.scope.floats(l.kernel.length),
      biasGradient: this.scope.floats(l.bias.length),
    }));
    this.kernelGradients = gradients?.kernels ?? layers.map((l) => new Float32Array(l.kernel.length));
    this.biasGradients = gradients?.biases ?? layers.map((l) => new Float32Array(l.bias.length));
    this.firstTrainable = layers.findIndex((l) => l.trainable);
    try {
      this.plan(batchSize);
    } catch (err) {
      // oneDNN refused a primitive (the caller falls back to the BLAS step): free what was made so far.
      this.scope.dispose();
      throw err;
    }
  }

  /**
   * The gradients of n images' loss (x, y: n rows of height*width) into kernelGradients and biasGradients; returns
   * the loss.
   */
  gradients(x: Float32Array, y: Float32Array, n: number): number {
    // The arrays hold batchSize images; oneDNN would write past them.
    if (n > this.batchSize)
      throw new Error(`a batch of ${n} images, and the oneDNN step was made for at most ${this.batchSize}`);
    const plan = this.plan(n);
    const { scope, layers } = this;
    layers.forEach((layer, i) => {
      this.buffers[i].kernel.floats.set(layer.kernel);
      this.buffers[i].bias.floats.set(layer.bias);
      scope.run(plan[i].toForwardWeights);
      if (plan[i].toBackwardWeights) scope.run(plan[i].toBackwardWeights);
    });
    this.activations[0].floats.set(x.subarray(0, n * this.pixels));
    for (const layer of plan) scope.run(layer.forward);
    scope.wait();
    const loss = this.lossGradient(x, y, n);
    for (let i = layers.length - 1; i >= this.firstTrainable; i--) {
      const { throughRelu, filterGradient, filterGradientToUser, inputGradient } = plan[i];
      if (throughRelu) scope.run(throughRelu);
      if (filterGradient && filterGradientToUser) {
        scope.run(filterGradient);
        scope.run(filterGradientToUser);
      }
      if (inputGradient) scope.run(inputGradient);
    }
    scope.wait();
    layers.forEach((layer, i) => {
      if (!layer.trainable) return;
      this.kernelGradients[i].set(this.buffers[i].kernelGradient.floats);
      this.biasGradients[i].set(this.buffers[i].biasGradient.floats);
    });
    return loss;
  }

  dispose(): void {
    this.scope.dispose();
    this.plans.clear();
  }

  /**
   * Mean squared error of (image + estimated negated noise) against y, and its gradient with respect to that
   * estimate.
   */
  private lossGradient(x: Float32Array, y: Float32Array, n: number): number {
    const count = n * this.pixels;
    const noise = this.activations[this.layers.length].floats;
    const g = this.outputGradients[this.layers.length].floats;
    const scale = 2 / count;
    let sum = 0;
    for (let p = 0; p < count; p++) {
      const diff = x[p] + noise[p] - y[p];
      sum += diff * diff;
      g[p] = scale * diff;
    }
    return sum / count;
  }

  /** The primitives for batches of n images, made on first use. */
  private plan(n: number): LayerPlan[] {
    let plan = this.plans.get(n);
    if (!plan) {
      plan = this.layers.map((_, i) => this.layerPlan(i, n));
      this.plans.set(n, plan);
    }
    return plan;
  }

  private layerPlan(i: number, n: number): LayerPlan {
    const { scope, layers, kernelSize: k } = this;
    const { call, queryMd, implementation } = scope.onednn;
    const { inChannels: ci, outChannels: co, relu, trainable } = layers[i];
    const buffers = this.buffers[i];
    const srcMd = scope.md([n, ci, this.height, this.width], DNNL.tag.nhwc);
    const dstMd = scope.md([n, co, this.height, this.width], DNNL.tag.nhwc);
    const weightDims = [co, ci, k, k];
    const userWeightsMd = scope.md(weightDims, DNNL.tag.hwio);
    const anyWeightsMd = scope.md(weightDims, DNNL.tag.any);
    const biasMd = scope.md([co], DNNL.tag.a);
    const strides = BigInt64Array.from([1n, 1n]);
    const pad = BigInt((k - 1) / 2);
    const padding = BigInt64Array.from([pad, pad]);
    const src = scope.memory(srcMd, this.activations[i].address);
    const dst = scope.memory(dstMd, this.activations[i + 1].address);
    const userWeights = scope.memory(userWeightsMd, buffers.kernel.address);
    const bias = scope.memory(biasMd, buffers.bias.address);
    /** A reorder of the user's weights into a convolution's layout, and the memory in that layout. */
    const weightsFor = (pd: Handle, what: number): { weights: Handle; reorder: Runnable } => {
      const md = queryMd(pd, what, 0);
      const weights = scope.memory(md);
      return {
        weights,
        reorder: scope.runnable(scope.reorderDesc(userWeightsMd, md), {
          [DNNL.arg.src]: userWeights,
          [DNNL.arg.dst]: weights,
        }),
      };
    };

    const forwardDesc = new Uint8Array(DESC_BYTES.op);
    call.convolution_forward_desc_init(
      forwardDesc,
      DNNL.prop.forwardTraining,
      DNNL.alg.convolutionDirect,
      srcMd,
      anyWeightsMd,
      biasMd,
      dstMd,
      strides,
      padding,
      padding,
    );
    const forwardPd = scope.primitiveDesc(forwardDesc, null, relu ? scope.reluAfter() : null);
    if (this.implementations.length < layers.length) this.implementations.push(implementation(forwardPd));
    const forwardWeights = weightsFor(forwardPd, DNNL.query.weights);
    const forward = scope.runnable(forwardPd, {
      [DNNL.arg.src]: src,
      [DNNL.arg.weights]: forwardWeights.weights,
      [DNNL.arg.bias]: bias,
      [DNNL.arg.dst]: dst,
    });

    const outputGradient =
      i >= this.firstTrainable ? scope.memory(dstMd, this.outputGradients[i + 1].address) : undefined;
    let throughRelu: Runnable | undefined;
    if (relu && outputGradient) {
      const forwardRelu = new Uint8Array(DESC_BYTES.op);
      call.eltwise_forward_desc_init(
        forwardRelu,
        DNNL.prop.forwardTraining,
        DNNL.alg.reluUseDstForBackward,
        dstMd,
        0,
        0,
      );
      const backwardRelu = new Uint8Array(DESC_BYTES.op);
      call.eltwise_backward_desc_init(backwardRelu, DNNL.alg.reluUseDstForBackward, dstMd, dstMd, 0, 0);
      const pd = scope.primitiveDesc(backwardRelu, scope.primitiveDesc(forwardRelu));
      throughRelu = scope.runnable(pd, {
        [DNNL.arg.dst]: dst,
        [DNNL.arg.diffDst]: outputGradient,
        [DNNL.arg.diffSrc]: outputGradient,
      });
    }

    let filterGradient: Runnable | undefined;
    let filterGradientToUser: Runnable | undefined;
    if (trainable && outputGradient) {
      const desc = new Uint8Array(DESC_BYTES.op);
      call.convolution_backward_weights_desc_init(
        desc,
        DNNL.alg.convolutionDirect,
        srcMd,
        anyWeightsMd,
        biasMd,
        dstMd,
        strides,
        padding,
        padding,
      );
      const pd = scope.primitiveDesc(desc, forwardPd);
      const md = queryMd(pd, DNNL.query.diffWeights, 0);
      const diffWeights = scope.memory(md);
      filterGradient = scope.runnable(pd, {
        [DNNL.arg.src]: src,
        [DNNL.arg.diffDst]: outputGradient,
        [DNNL.arg.diffWeights]: diffWeights,
        [DNNL.arg.diffBias]: scope.memory(biasMd, buffers.biasGradient.address),
      });
      const userGradient = scope.memory(userWeightsMd, buffers.kernelGradient.address);
      filterGradientToUser = scope.runnable(scope.reorderDesc(md, userWeightsMd), {
        [DNNL.arg.src]: diffWeights,
        [DNNL.arg.dst]: userGradient,
      });
    }

    let inputGradient: Runnable | undefined;
    let toBackwardWeights: Runnable | undefined;
    if (outputGradient && i - 1 >= this.firstTrainable) {
      const desc = new Uint8Array(DESC_BYTES.op);
      call.convolution_backward_data_desc_init(
        desc,
        DNNL.alg.convolutionDirect,
        srcMd,
        anyWeightsMd,
        dstMd,
        strides,
        padding,
        padding,
      );
      const pd = scope.primitiveDesc(desc, forwardPd);
      const backwardWeights = weightsFor(pd, DNNL.query.weights);
      toBackwardWeights = backwardWeights.reorder;
      const diffSrc = scope.memory(srcMd, this.outputGradients[i].address);
      inputGradient = scope.runnable(pd, {
        [DNNL.arg.diffDst]: outputGradient,
        [DNNL.arg.weights]: backwardWeights.weights,
        [DNNL.arg.diffSrc]: diffSrc,
      });
    }
    return {
      toForwardWeights: forwardWeights.reorder,
      toBackwardWeights,
      forward,
      throughRelu,
      filterGradient,
      filterGradientToUser,
      inputGradient,
    };
  }
}
