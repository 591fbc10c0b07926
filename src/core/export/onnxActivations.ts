import type { OnnxGraphBuilder } from './onnxGraph';

// TensorFlow.js's SELU constants (tfjs-core's selu_util), written as ONNX's alpha and gamma.
const SELU_SCALEALPHA = 1.7580993408473768;
const SELU_SCALE = 1.0507009873554805;

/** Keras activation names (as saved by TensorFlow.js) written as ONNX operators. */
const ACTIVATIONS: Record<string, (g: OnnxGraphBuilder, x: string, base: string) => string> = {
  linear: (_g, x) => x,
  relu: (g, x, base) => g.op('Relu', [x], base),
  relu6: (g, x, base) =>
    g.op(
      'Clip',
      [x, g.float(`${base}_min`, [], Float32Array.of(0)), g.float(`${base}_max`, [], Float32Array.of(6))],
      base,
    ),
  elu: (g, x, base) => g.op('Elu', [x], base, { alpha: { f: 1 } }),
  selu: (g, x, base) =>
    g.op('Selu', [x], base, { alpha: { f: SELU_SCALEALPHA / SELU_SCALE }, gamma: { f: SELU_SCALE } }),
  tanh: (g, x, base) => g.op('Tanh', [x], base),
  sigmoid: (g, x, base) => g.op('Sigmoid', [x], base),
  hardSigmoid: (g, x, base) => g.op('HardSigmoid', [x], base, { alpha: { f: 0.2 }, beta: { f: 0.5 } }),
  softplus: (g, x, base) => g.op('Softplus', [x], base),
  softsign: (g, x, base) => g.op('Softsign', [x], base),
  swish: (g, x, base) => g.op('Mul', [x, g.op('Sigmoid', [x], `${base}_sigmoid`)], base),
  mish: (g, x, base) =>
    g.op('Mul', [x, g.op('Tanh', [g.op('Softplus', [x], `${base}_softplus`)], `${base}_tanh`)], base),
};

export function applyActivation(
  g: OnnxGraphBuilder,
  activation: unknown,
  x: string,
  base: string,
  layer: string,
): string {
  const name = String(activation ?? 'linear');
  const write = ACTIVATIONS[name];
  if (!write) {
    throw new Error(
      `layer ${layer}: activation "${name}" is not exported to ONNX (supported: ${Object.keys(ACTIVATIONS).join(', ')})`,
    );
  }
  return write(g, x, base);
}
