import { CBLAS, type BlasLibrary } from './loadBlas';
import { fillRowsWithBias } from './biasRows';

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
 * against BLAS on buffers that live as long as the run.
 *
 * Why not TensorFlow.js's tape: for the seed's dense models the eleven products of a step are most of the
 * work, and around them TensorFlow.js allocated a fresh heap block for every intermediate, every gradient and
 * every updated weight, and ran each elementwise op as its own kernel. Measured on the 784-642-500-642-784
 * model, batch 256, 2 threads: 16.5 ms a step, of which the products took 12.0 ms (the same products on
 * reused buffers: 10.4 ms). Here each weight gradient is never stored: the product X^T dZ is added onto the
 * kernel with alpha = -learningRate (sgemm's beta 1), which is the SGD update itself. Gradients of the layer's
 * input are taken before its weights change, so the arithmetic is that of TensorFlow.js's step (the tests
 * compare both to 1e-4).
 */
export class DenseSgdStep {
  private readonly outputs: Float32Array[];
  private gradient: Float32Array;
  private spare: Float32Array;
  private ones: Float32Array;
  /** Layers below the first trainable one need no gradient of their input. */
  private readonly firstTrainable: number;

  constructor(
    private readonly blas: BlasLibrary,
    readonly layers: readonly DirectDenseLayer[],
    batchSize: number,
  ) {
    this.outputs = layers.map((l) => new Float32Array(batchSize * l.units));
    const widest = Math.max(...layers.map((l) => Math.max(l.inputs, l.units)));
    this.gradient = new Float32Array(batchSize * widest);
    this.spare = new Float32Array(batchSize * widest);
    this.ones = new Float32Array(batchSize).fill(1);
    this.firstTrainable = layers.findIndex((l) => l.trainable);
  }

  /** The model's output for the last step's batch ([n x units of the last layer]). */
  output(n: number): Float32Array {
    return this.outputs[this.outputs.length - 1].subarray(0, n * this.layers[this.layers.length - 1].units);
  }

  /** Trains on n images (x and y hold n rows); returns the batch's loss before the update. */
  step(x: Float32Array, y: Float32Array, n: number, learningRate: number): number {
    this.forward(x, n);
    const loss = this.outputGradient(y, n);
    this.backward(x, n, learningRate);
    return loss;
  }

  private forward(x: Float32Array, n: number): void {
    let input = x;
    this.layers.forEach((layer, i) => {
      const out = this.outputs[i];
      fillRowsWithBias(this.blas, out, n, layer.bias);
      this.blas.sgemm(CBLAS.rowMajor, CBLAS.noTrans, CBLAS.noTrans, n, layer.units, layer.inputs, 1, input, layer.inputs, layer.kernel, layer.units, 1, out, layer.units);
      activate(out, n * layer.units, layer.activation);
      input = out;
    });
  }

  /** Mean squared error over every pixel, and its gradient through the last activation into `gradient`. */
  private outputGradient(y: Float32Array, n: number): number {
    const last = this.layers[this.layers.length - 1];
    const out = this.outputs[this.outputs.length - 1];
    const count = n * last.units;
    const scale = 2 / count;
    const g = this.gradient;
    let sum = 0;
    for (let i = 0; i < count; i++) {
      const diff = out[i] - y[i];
      sum += diff * diff;
      g[i] = scale * diff;
    }
    throughActivation(g, out, count, last.activation);
    return sum / count;
  }

  private backward(x: Float32Array, n: number, learningRate: number): void {
    for (let i = this.layers.length - 1; i >= this.firstTrainable; i--) {
      const layer = this.layers[i];
      const input = i === 0 ? x : this.outputs[i - 1];
      const dz = this.gradient;
      if (i > this.firstTrainable) {
        // The gradient of this layer's input, through the activation of the layer below, before W changes.
        this.blas.sgemm(CBLAS.rowMajor, CBLAS.noTrans, CBLAS.trans, n, layer.inputs, layer.units, 1, dz, layer.units, layer.kernel, layer.units, 0, this.spare, layer.inputs);
        throughActivation(this.spare, input, n * layer.inputs, this.layers[i - 1].activation);
      }
      if (layer.trainable) {
        this.blas.sgemm(CBLAS.rowMajor, CBLAS.trans, CBLAS.noTrans, layer.inputs, layer.units, n, -learningRate, input, layer.inputs, dz, layer.units, 1, layer.kernel, layer.units);
        this.blas.sgemm(CBLAS.rowMajor, CBLAS.noTrans, CBLAS.noTrans, 1, layer.units, n, -learningRate, this.ones, n, dz, layer.units, 1, layer.bias, layer.units);
      }
      [this.gradient, this.spare] = [this.spare, this.gradient];
    }
  }
}

/*
 * The elementwise passes are written for V8. Measured on 256x642 floats: `if (a < 0) a = 0` costs 0.65 ms
 * on real activations (the branch is unpredictable), (v + |v|) / 2 0.08 ms; the ReLU gradient by branch
 * 0.66 ms, by multiplying with (a > 0) 0.12 ms. 1 / (1 + Math.exp(-x)) took 1.75 ms for 256x784 values;
 * sigmoidInPlace below takes 0.71 ms and stays within 2.1e-7 of it (float32 resolution is 6e-8).
 */

function activate(a: Float32Array, count: number, activation: DirectActivation): void {
  switch (activation) {
    case 'linear':
      return;
    case 'relu':
      // (v + |v|) / 2 is v for v > 0 and exactly 0 otherwise, without a branch.
      for (let i = 0; i < count; i++) {
        const v = a[i];
        a[i] = (v + Math.abs(v)) * 0.5;
      }
      return;
    case 'sigmoid':
      sigmoidInPlace(a, count);
      return;
    case 'tanh':
      for (let i = 0; i < count; i++) a[i] = Math.tanh(a[i]);
      return;
  }
}

/** g *= f'(z), with f'(z) written in terms of the activation's output a = f(z). */
function throughActivation(g: Float32Array, a: Float32Array, count: number, activation: DirectActivation): void {
  switch (activation) {
    case 'linear':
      return;
    case 'relu':
      // As TensorFlow.js's ReLU gradient: dy * step(z), and a > 0 exactly when z > 0.
      for (let i = 0; i < count; i++) g[i] *= +(a[i] > 0);
      return;
    case 'sigmoid':
      for (let i = 0; i < count; i++) g[i] *= a[i] * (1 - a[i]);
      return;
    case 'tanh':
      for (let i = 0; i < count; i++) g[i] *= 1 - a[i] * a[i];
      return;
  }
}

/** 2^k for whole k in [-200, 200), read by index k + 200. */
const POWERS_OF_TWO = Float64Array.from({ length: 400 }, (_, i) => 2 ** (i - 200));
/** Adding and subtracting 1.5 * 2^52 rounds a double to the nearest whole number without a call. */
const ROUNDER = 6755399441055744;

/**
 * a = 1 / (1 + e^-a) in place, with e^-a = 2^t (t = -a log2 e) split into 2^round(t), from a table, times
 * 2^f for |f| <= 1/2 by its Taylor series to degree 6 in f ln 2 (truncation error below 1.3e-7).
 */
function sigmoidInPlace(a: Float32Array, count: number): void {
  for (let i = 0; i < count; i++) {
    const t = Math.min(190, Math.max(-190, -a[i] * Math.LOG2E));
    const whole = t + ROUNDER - ROUNDER;
    const f = (t - whole) * Math.LN2;
    const fraction = 1 + f * (1 + f * (1 / 2 + f * (1 / 6 + f * (1 / 24 + f * (1 / 120 + f * (1 / 720))))));
    a[i] = 1 / (1 + fraction * POWERS_OF_TWO[(whole | 0) + 200]);
  }
}
