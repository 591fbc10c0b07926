import { DESC_BYTES, DNNL, type Handle } from '../onednn/loadOneDnn';
import type { Runnable } from '../onednn/oneDnnScope';
import type { DenseNode, MultiplyNode } from './layerGraph';
import type { PassTools } from './passTools';

/*
 * Dense layers and elementwise products on the training plan. A Dense layer's three products (forward, input
 * gradient, kernel gradient) are oneDNN matmuls on plain row-major arrays: the kernel stays in TensorFlow.js's
 * [inputs][units] layout, and the transposes are strides, so no weight is reordered per step. Measured once on
 * the 2-core AVX-512 machine of BENCHMARKS.md (the VAE's six layers at batch 64, all three products): matmul
 * 2.07 ms, OpenBLAS sgemm 2.63 ms, and oneDNN's inner product 2.49 ms with the reorders its blocked weights
 * need; at the dense model's batch 256 matmul 12.1 ms, sgemm 13.6, inner product 12.9. The bias gradient (column
 * sums of the output gradient) is one more matmul, by a row of ones.
 */

/** A row-major [rows, cols] f32 descriptor, or its transpose when `transposed` (the same floats, [cols, rows]). */
function rowMajor(tools: PassTools, rows: number, cols: number, transposed = false): Uint8Array {
  return transposed ? tools.scope.stridedMd([cols, rows], [1, cols]) : tools.scope.stridedMd([rows, cols], [cols, 1]);
}

interface Operand {
  readonly md: Uint8Array;
  readonly memory: Handle;
}

/** dst = src x weights (+ bias), then the post-op of attr: oneDNN's matmul. */
function matmul(
  tools: PassTools,
  src: Operand,
  weights: Operand,
  dst: Operand,
  bias?: Operand,
  attr: Handle = null,
): Runnable {
  const desc = new Uint8Array(DESC_BYTES.op);
  tools.scope.onednn.call.matmul_desc_init(desc, src.md, weights.md, bias?.md ?? null, dst.md);
  const pd = tools.scope.primitiveDesc(desc, null, attr);
  tools.implementation(pd);
  const args: Record<number, Handle> = {
    [DNNL.arg.src]: src.memory,
    [DNNL.arg.weights]: weights.memory,
    [DNNL.arg.dst]: dst.memory,
  };
  if (bias) args[DNNL.arg.bias] = bias.memory;
  return tools.scope.runnable(pd, args);
}

/** A weight's values (or gradient) as a row-major [rows, cols] operand. */
function weightOperand(tools: PassTools, address: bigint, rows: number, cols: number, transposed = false): Operand {
  const md = rowMajor(tools, rows, cols, transposed);
  return { md, memory: tools.scope.memory(md, address) };
}

export function denseForward(tools: PassTools, node: DenseNode): Runnable {
  const { n } = tools;
  const [kernel, bias] = node.weights;
  const srcMd = rowMajor(tools, n, node.inSize);
  const dstMd = rowMajor(tools, n, node.units);
  const act = tools.eltwise(node.activation);
  return matmul(
    tools,
    { md: srcMd, memory: tools.value(node.inputs[0], srcMd) },
    weightOperand(tools, tools.weight(kernel).values.address, node.inSize, node.units),
    { md: dstMd, memory: tools.value(node.output, dstMd) },
    bias && weightOperand(tools, tools.weight(bias).values.address, 1, node.units),
    act ? tools.scope.eltwiseAfter(act.forward, act.alpha) : null,
  );
}

export function denseBackward(tools: PassTools, node: DenseNode): Runnable[] {
  const { n } = tools;
  const [t] = node.inputs;
  const [kernel, bias] = node.weights;
  const out: Runnable[] = [];
  const act = tools.eltwise(node.activation);
  if (act) {
    // In place: the output's gradient becomes the gradient before the activation.
    const flat = tools.scope.md([n * node.units], DNNL.tag.a);
    out.push(tools.eltwiseBackward(act, flat, node.output, tools.grad(node.output, flat)));
  }
  const gradMd = rowMajor(tools, n, node.units);
  const outputGrad = { md: gradMd, memory: tools.grad(node.output, gradMd) };
  const kernelGradient = tools.weight(kernel).gradient;
  if (kernelGradient) {
    // dW [inputs, units] = X^T dY, X^T being the layer's input read with swapped strides.
    const inputT = rowMajor(tools, n, node.inSize, true);
    out.push(
      matmul(
        tools,
        { md: inputT, memory: tools.value(t, inputT) },
        outputGrad,
        weightOperand(tools, kernelGradient.address, node.inSize, node.units),
      ),
    );
  }
  const biasGradient = bias && tools.weight(bias).gradient;
  if (biasGradient) {
    // db [1, units] = ones [1, n] x dY: the column sums.
    out.push(
      matmul(
        tools,
        weightOperand(tools, tools.ones().address, 1, n),
        outputGrad,
        weightOperand(tools, biasGradient.address, 1, node.units),
      ),
    );
  }
  if (tools.needsGrad(t)) {
    // dX [n, inputs] = dY W^T.
    const inMd = rowMajor(tools, n, node.inSize);
    const target = tools.gradTarget(t, inMd, node.inSize);
    out.push(
      matmul(
        tools,
        outputGrad,
        weightOperand(tools, tools.weight(kernel).values.address, node.inSize, node.units, true),
        { md: inMd, memory: target.memory },
      ),
      ...target.then,
    );
  }
  return out;
}

/** dst = a * b elementwise, oneDNN's binary primitive over n rows of `size`. */
function product(tools: PassTools, a: Handle, b: Handle, dst: Handle, md: Uint8Array): Runnable {
  const desc = new Uint8Array(DESC_BYTES.op);
  tools.scope.onednn.call.binary_desc_init(desc, DNNL.alg.binaryMul, md, md, md);
  return tools.scope.runnable(tools.scope.primitiveDesc(desc), {
    [DNNL.arg.src]: a,
    [DNNL.arg.src1]: b,
    [DNNL.arg.dst]: dst,
  });
}

export function multiplyForward(tools: PassTools, node: MultiplyNode): Runnable {
  const md = tools.scope.md([tools.n * node.size], DNNL.tag.a);
  const [a, b] = node.inputs;
  return product(tools, tools.value(a, md), tools.value(b, md), tools.value(node.output, md), md);
}

/** The gradient of each factor: the output's gradient times the other factor. */
export function multiplyBackward(tools: PassTools, node: MultiplyNode): Runnable[] {
  const md = tools.scope.md([tools.n * node.size], DNNL.tag.a);
  const out: Runnable[] = [];
  node.inputs.forEach((t, k) => {
    if (!tools.needsGrad(t)) return;
    const other = node.inputs[1 - k];
    const target = tools.gradTarget(t, md, node.size);
    out.push(product(tools, tools.grad(node.output, md), tools.value(other, md), target.memory, md), ...target.then);
  });
  return out;
}
