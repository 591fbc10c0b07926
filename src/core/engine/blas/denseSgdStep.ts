import { CBLAS, type BlasLibrary } from './loadBlas';
import { addColumnSums, fillRowsWithBias } from './biasRows';
import { DenseElementwise } from '../wasm/denseElementwise';

/** The activations whose derivative can be read off the layer's output alone. */
export type DirectActivation = 'linear' | 'relu' | 'sigmoid' | 'tanh';

/** One fully connected layer, row-major as TensorFlow.js keeps it: kernel [inputs x units], bias [units]. */
export interface DirectDenseLayer {
  readonly inputs: number;
  readonly units: number;
  readonly kernel: Float32Array;
  readonly bias: Float32Array;
  readonly activation: DirectActivation;
  /** Frozen layers (transfer learning) pass gradients through but keep their weights. */
  readonly trainable: boolean;
}

/**
 * One plain-SGD training step of a stack of dense layers with a mean-squared-error loss, written straight
 * against BLAS on buffers that live as long as the run (or, for momentum and Adam, the step's gradients,
 * which directOptimizer.ts applies).
 *
 * Why not TensorFlow.js's tape: for the seed's dense models the eleven products of a step are most of the work,
 * and around them TensorFlow.js allocated a fresh heap block for every intermediate, every gradient and every
 * updated weight, and ran each elementwise op as its own kernel. Measured once on BENCHMARKS.md's 2-core AVX-512
 * machine, the 784-642-500-642-784 model, batch 256, 2 threads: 16.5 ms a step, of which the products took
 * 12.0 ms (the same products on reused buffers: 10.4 ms). Here the buffers live in a small WebAssembly module whose
 * SIMD passes do the elementwise work (denseElementwise.wat), and each weight gradient is never stored: the
 * product X^T dZ is added onto the kernel with alpha = -learningRate (sgemm's beta 1), which is the SGD update
 * itself. Gradients of the layer's input are taken before its weights change, so the arithmetic is that of
 * TensorFlow.js's step (the tests compare both to 1e-4).
 */
export class DenseSgdStep {
  private readonly elementwise: DenseElementwise;
  private readonly outputs: Float32Array[];
  private readonly targets: Float32Array;
  private gradient: Float32Array;
  private spare: Float32Array;
  /** Layers below the first trainable one need no gradient of their input. */
  private readonly firstTrainable: number;

  constructor(
    private readonly blas: BlasLibrary,
    readonly layers: readonly DirectDenseLayer[],
    batchSize: number,
    /** Where gradients() writes each layer's kernel and bias gradients (unused by step()). */
    private readonly gradientArrays?: { kernels: Float32Array[]; biases: Float32Array[] },
  ) {
    const widest = Math.max(...layers.map((l) => Math.max(l.inputs, l.units)));
    const outputSize = batchSize * layers[layers.length - 1].units;
    this.elementwise = new DenseElementwise([
      ...layers.map((l) => batchSize * l.units),
      outputSize,
      batchSize * widest,
      batchSize * widest,
    ]);
    const buffers = this.elementwise.buffers;
    this.outputs = buffers.slice(0, layers.length);
    [this.targets, this.gradient, this.spare] = buffers.slice(layers.length);
    this.firstTrainable = layers.findIndex((l) => l.trainable);
  }

  /** Trains on n images (x and y hold n rows) with plain SGD; returns the batch's loss before the update. */
  step(x: Float32Array, y: Float32Array, n: number, learningRate: number): number {
    this.forward(x, n);
    const loss = this.outputGradient(y, n);
    this.backward(x, n, learningRate);
    return loss;
  }

  /**
   * For momentum and Adam: n images' gradients into the arrays given to the constructor, the weights
   * unchanged; returns the loss.
   */
  gradients(x: Float32Array, y: Float32Array, n: number): number {
    if (!this.gradientArrays) throw new Error('DenseSgdStep.gradients needs gradient arrays (constructor)');
    this.forward(x, n);
    const loss = this.outputGradient(y, n);
    this.backward(x, n);
    return loss;
  }

  private forward(x: Float32Array, n: number): void {
    let input = x;
    this.layers.forEach((layer, i) => {
      const out = this.outputs[i];
      fillRowsWithBias(this.blas, out, n, layer.bias);
      this.blas.sgemm(
        CBLAS.rowMajor,
        CBLAS.noTrans,
        CBLAS.noTrans,
        n,
        layer.units,
        layer.inputs,
        1,
        input,
        layer.inputs,
        layer.kernel,
        layer.units,
        1,
        out,
        layer.units,
      );
      this.activate(out, n * layer.units, layer.activation);
      input = out;
    });
  }

  /** Mean squared error over every pixel, and its gradient through the last activation into `gradient`. */
  private outputGradient(y: Float32Array, n: number): number {
    const last = this.layers[this.layers.length - 1];
    const out = this.outputs[this.outputs.length - 1];
    const count = n * last.units;
    this.targets.set(y.subarray(0, count));
    const sum = this.elementwise.squaredErrorGrad(out, this.targets, this.gradient, count, 2 / count);
    this.throughActivation(this.gradient, out, count, last.activation);
    return sum / count;
  }

  /** With a learning rate each weight gradient is applied as an SGD step as it is made; without, it is stored. */
  private backward(x: Float32Array, n: number, learningRate?: number): void {
    for (let i = this.layers.length - 1; i >= this.firstTrainable; i--) {
      const layer = this.layers[i];
      const input = i === 0 ? x : this.outputs[i - 1];
      const dz = this.gradient;
      if (i > this.firstTrainable) {
        // The gradient of this layer's input, through the activation of the layer below, before W changes.
        this.blas.sgemm(
          CBLAS.rowMajor,
          CBLAS.noTrans,
          CBLAS.trans,
          n,
          layer.inputs,
          layer.units,
          1,
          dz,
          layer.units,
          layer.kernel,
          layer.units,
          0,
          this.spare,
          layer.inputs,
        );
        this.throughActivation(this.spare, input, n * layer.inputs, this.layers[i - 1].activation);
      }
      if (layer.trainable && learningRate !== undefined) {
        this.blas.sgemm(
          CBLAS.rowMajor,
          CBLAS.trans,
          CBLAS.noTrans,
          layer.inputs,
          layer.units,
          n,
          -learningRate,
          input,
          layer.inputs,
          dz,
          layer.units,
          1,
          layer.kernel,
          layer.units,
        );
        addColumnSums(this.blas, -learningRate, dz, n, layer.bias);
      } else if (layer.trainable && this.gradientArrays) {
        const { kernels, biases } = this.gradientArrays;
        this.blas.sgemm(
          CBLAS.rowMajor,
          CBLAS.trans,
          CBLAS.noTrans,
          layer.inputs,
          layer.units,
          n,
          1,
          input,
          layer.inputs,
          dz,
          layer.units,
          0,
          kernels[i],
          layer.units,
        );
        addColumnSums(this.blas, 1, dz, n, biases[i].fill(0));
      }
      [this.gradient, this.spare] = [this.spare, this.gradient];
    }
  }

  private activate(a: Float32Array, count: number, activation: DirectActivation): void {
    switch (activation) {
      case 'linear':
        return;
      case 'relu':
        return this.elementwise.relu(a, count);
      case 'sigmoid':
        return this.elementwise.sigmoid(a, count);
      case 'tanh':
        for (let i = 0; i < count; i++) a[i] = Math.tanh(a[i]);
        return;
    }
  }

  /** g *= f'(z), with f'(z) written in terms of the activation's output a = f(z). */
  private throughActivation(g: Float32Array, a: Float32Array, count: number, activation: DirectActivation): void {
    switch (activation) {
      case 'linear':
        return;
      case 'relu':
        // As TensorFlow.js's ReLU gradient, dy * step(z): a > 0 exactly when z > 0.
        return this.elementwise.reluGrad(g, a, count);
      case 'sigmoid':
        return this.elementwise.sigmoidGrad(g, a, count);
      case 'tanh':
        for (let i = 0; i < count; i++) g[i] *= 1 - a[i] * a[i];
        return;
    }
  }
}
