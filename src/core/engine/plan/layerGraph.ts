import type * as tf from '@tensorflow/tfjs';

/**
 * A Keras/TensorFlow.js layer graph lowered into the operations a training plan runs (trainingPlan.ts): every
 * layer the project's convolutional models use, in channels-last (NHWC) order, with the shapes and paddings
 * TensorFlow.js computes. Layers that only reinterpret the same row-major floats (the input, Reshape, Flatten)
 * become no operation at all: their output is their input's buffer. Anything else (another layer type, a
 * layer shared between two places, channels-first data) makes lowering return the reason, and the model
 * trains through TensorFlow.js's tape.
 */

/** Per-image [height, width, channels]. */
export type Hwc = readonly [number, number, number];

export type ActivationKind = 'linear' | 'relu' | 'leakyRelu' | 'elu' | 'tanh' | 'sigmoid' | 'softplus';
export interface Activation {
  readonly kind: ActivationKind;
  /** leakyRelu's negative slope, elu's alpha. */
  readonly alpha: number;
}

/** The arrays of a layer the plan holds: a LayerVariable of the model and its per-image-independent shape. */
export interface GraphWeight {
  readonly variable: tf.LayerVariable;
  readonly size: number;
  readonly trainable: boolean;
}

interface NodeBase {
  readonly layer: tf.layers.Layer;
  readonly inputs: readonly number[];
  output: number;
}

export interface ConvNode extends NodeBase {
  readonly op: 'conv';
  /** Conv2DTranspose: the gradient of a convolution with respect to its input, as TensorFlow.js defines it. */
  readonly transposed: boolean;
  readonly inShape: Hwc;
  readonly outShape: Hwc;
  readonly kernel: readonly [number, number];
  readonly strides: readonly [number, number];
  /** Rows and columns of zeros before and after, as TensorFlow.js pads ('same': any odd extra one after). */
  readonly padBefore: readonly [number, number];
  readonly padAfter: readonly [number, number];
  /** [kernel, bias?] of the layer. */
  readonly weights: readonly GraphWeight[];
  activation: Activation;
}

/** A Dense layer on a per-image vector: [n, inSize] x kernel [inSize, units] (+ bias), then its activation. */
export interface DenseNode extends NodeBase {
  readonly op: 'dense';
  readonly inSize: number;
  readonly units: number;
  /** [kernel, bias?] of the layer. */
  readonly weights: readonly GraphWeight[];
  activation: Activation;
}

/** Elementwise product of inputs of one size (Keras' Multiply). */
export interface MultiplyNode extends NodeBase {
  readonly op: 'multiply';
  readonly size: number;
}

export interface ActivationNode extends NodeBase {
  readonly op: 'activation';
  readonly size: number;
  readonly activation: Activation;
}

export interface MaxPoolNode extends NodeBase {
  readonly op: 'maxPool';
  readonly inShape: Hwc;
  readonly outShape: Hwc;
  readonly pool: readonly [number, number];
  readonly strides: readonly [number, number];
  readonly padBefore: readonly [number, number];
  readonly padAfter: readonly [number, number];
}

export interface ConcatNode extends NodeBase {
  readonly op: 'concat';
  readonly inShapes: readonly Hwc[];
  readonly outShape: Hwc;
}

export interface AddNode extends NodeBase {
  readonly op: 'add';
  readonly size: number;
}

export interface BatchNormNode extends NodeBase {
  readonly op: 'batchNorm';
  readonly shape: Hwc;
  readonly epsilon: number;
  readonly momentum: number;
  /** gamma, beta (trainable), moving mean, moving variance. */
  readonly weights: readonly GraphWeight[];
  /** A ReLU that followed, fused into oneDNN's batch norm (its output buffer and its gradient's pass saved). */
  relu: boolean;
}

export type GraphNode =
  ConvNode | DenseNode | MultiplyNode | ActivationNode | MaxPoolNode | ConcatNode | AddNode | BatchNormNode;

export interface LayerGraph {
  /** Floats per image of each tensor (buffer). */
  readonly tensorSizes: number[];
  /** The model's inputs and outputs in its own order (a VAE: [image, eps] and [reconstruction, mean, spread]). */
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  /** The first of each: the images in, and the output the reconstruction loss compares with the targets. */
  readonly input: number;
  readonly output: number;
  readonly nodes: GraphNode[];
}

interface LayerInternals {
  inboundNodes: { inboundLayers: tf.layers.Layer[]; tensorIndices: number[] }[];
}

const perImage = (shape: (number | null)[]): number[] => shape.slice(1) as number[];
const product = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);
const pair = (v: number | number[]): [number, number] => (Array.isArray(v) ? [v[0], v[1] ?? v[0]] : [v, v]);

function hwc(shape: (number | null)[] | (number | null)[][], what: string): Hwc {
  const s = perImage(shape as (number | null)[]);
  if (s.length !== 3 || s.some((d) => d == null))
    throw new Error(`${what}: a per-image shape [h, w, c] is needed, got [${s.join(', ')}]`);
  return [s[0], s[1], s[2]];
}

/** TensorFlow.js's padding of one dimension: 'valid' none, 'same' the total split with any odd one after. */
function padding(mode: string, input: number, output: number, kernel: number, stride: number): [number, number] {
  if (mode === 'valid') return [0, 0];
  const total = Math.max((output - 1) * stride + kernel - input, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

function activationOf(name: string | undefined, alpha = 0): Activation | string {
  const kinds: Record<string, ActivationKind> = {
    linear: 'linear',
    relu: 'relu',
    elu: 'elu',
    tanh: 'tanh',
    sigmoid: 'sigmoid',
    softplus: 'softplus',
  };
  const kind = kinds[name ?? 'linear'];
  if (!kind) return `activation '${name}' has no plan operation`;
  return { kind, alpha: kind === 'elu' ? 1 : alpha };
}

const weightsOf = (layer: tf.layers.Layer): GraphWeight[] =>
  layer.weights.map((variable) => ({
    variable,
    size: product(variable.shape as number[]),
    trainable: layer.trainable && variable.trainable,
  }));

/**
 * The graph of a model whose layers each produce one tensor, or the reason it cannot be lowered. Models with
 * several inputs and outputs lower too (the VAE's noise input and its mean and spread outputs); the training
 * plan decides which losses read which outputs.
 */
export function lowerLayerGraph(model: tf.LayersModel): LayerGraph | string {
  const tensorOf = new Map<tf.layers.Layer, number>();
  const tensorSizes: number[] = [];
  const nodes: GraphNode[] = [];
  const newTensor = (layer: tf.layers.Layer) => {
    tensorSizes.push(product(perImage(layer.outputShape as number[])));
    tensorOf.set(layer, tensorSizes.length - 1);
    return tensorSizes.length - 1;
  };
  /** A tensor no layer's output is (a Dense layer's values before an activation that cannot be fused). */
  const innerTensor = (size: number) => tensorSizes.push(size) - 1;
  // TensorFlow.js's Container keeps the keys of the layer calls that make up the model.
  const containerNodes = (model as unknown as { containerNodes: Set<string> }).containerNodes;
  for (const layer of model.layers) {
    // A layer may also be called in another model (the VAE's decoder layers also make its decoder): only its
    // calls in this one count.
    const calls = (layer as unknown as LayerInternals).inboundNodes.filter((_, i) =>
      containerNodes.has(`${layer.name}_ib-${i}`),
    );
    if (calls.length > 1) return `layer ${layer.name} is used in more than one place`;
    const inbound = calls[0]?.inboundLayers ?? [];
    if (inbound.some((l, i) => !tensorOf.has(l) || calls[0].tensorIndices[i] !== 0)) {
      return `layer ${layer.name} reads a layer the plan has not met before it`;
    }
    const inputs = inbound.map((l) => tensorOf.get(l)!);
    const config = layer.getConfig() as Record<string, unknown>;
    const kind = layer.getClassName();
    if (config.dataFormat !== undefined && config.dataFormat !== 'channelsLast')
      return `layer ${layer.name} is channels-first`;
    switch (kind) {
      case 'InputLayer':
        newTensor(layer);
        break;
      case 'Reshape':
      case 'Flatten':
        // Row-major NHWC floats read the same in any shape of the same size.
        tensorOf.set(layer, inputs[0]);
        break;
      case 'Conv2D':
      case 'Conv2DTranspose': {
        const transposed = kind === 'Conv2DTranspose';
        const dilation = pair((config.dilationRate as number | number[] | undefined) ?? 1);
        if (dilation.some((d) => d !== 1)) return `layer ${layer.name} is dilated`;
        const activation = activationOf(config.activation as string);
        if (typeof activation === 'string') return `layer ${layer.name}: ${activation}`;
        if (!fusable(activation)) return `layer ${layer.name}: its ${activation.kind} is not fused into a convolution`;
        const inShape = hwc(inbound[0].outputShape as (number | null)[], layer.name);
        const outShape = hwc(layer.outputShape as (number | null)[], layer.name);
        const kernel = pair(config.kernelSize as number | number[]);
        const strides = pair(config.strides as number | number[]);
        // A transposed convolution is padded as the convolution it reverses: from its output to its input.
        const [big, small] = transposed ? [outShape, inShape] : [inShape, outShape];
        const rows = padding(config.padding as string, big[0], small[0], kernel[0], strides[0]);
        const cols = padding(config.padding as string, big[1], small[1], kernel[1], strides[1]);
        if (transposed && (kernel[0] < strides[0] || kernel[1] < strides[1]))
          return `layer ${layer.name}: a kernel smaller than its stride`;
        nodes.push({
          op: 'conv',
          layer,
          transposed,
          inputs,
          output: newTensor(layer),
          inShape,
          outShape,
          kernel,
          strides,
          padBefore: [rows[0], cols[0]],
          padAfter: [rows[1], cols[1]],
          weights: weightsOf(layer),
          activation,
        });
        break;
      }
      case 'Dense': {
        const inShape = perImage(inbound[0].outputShape as number[]);
        if (inShape.length !== 1)
          return `layer ${layer.name} is a Dense layer on a per-image shape [${inShape.join(', ')}]`;
        const activation = activationOf(config.activation as string);
        if (typeof activation === 'string') return `layer ${layer.name}: ${activation}`;
        const weights = weightsOf(layer);
        const dense = (output: number, own: Activation): DenseNode => ({
          op: 'dense',
          layer,
          inputs,
          output,
          inSize: inShape[0],
          units: config.units as number,
          weights,
          activation: own,
        });
        if (fusable(activation)) {
          nodes.push(dense(newTensor(layer), activation));
          break;
        }
        // Its backward pass needs the values before the activation: they get a tensor of their own.
        const before = innerTensor(config.units as number);
        nodes.push(dense(before, { kind: 'linear', alpha: 0 }));
        const size = config.units as number;
        nodes.push({ op: 'activation', layer, inputs: [before], output: newTensor(layer), size, activation });
        break;
      }
      case 'Multiply': {
        const size = product(perImage(layer.outputShape as number[]));
        if (inputs.length !== 2) return `layer ${layer.name} multiplies ${inputs.length} tensors, not two`;
        if (inbound.some((l) => product(perImage(l.outputShape as number[])) !== size))
          return `layer ${layer.name} multiplies tensors of different sizes (broadcasting)`;
        nodes.push({ op: 'multiply', layer, inputs, output: newTensor(layer), size });
        break;
      }
      case 'Activation':
      case 'ReLU':
      case 'LeakyReLU': {
        if (kind === 'ReLU' && config.maxValue != null) return `layer ${layer.name} is a capped ReLU`;
        const activation =
          kind === 'ReLU'
            ? activationOf('relu')
            : kind === 'LeakyReLU'
              ? { kind: 'leakyRelu' as const, alpha: config.alpha as number }
              : activationOf(config.activation as string);
        if (typeof activation === 'string') return `layer ${layer.name}: ${activation}`;
        nodes.push({
          op: 'activation',
          layer,
          inputs,
          output: newTensor(layer),
          size: tensorSizes[inputs[0]],
          activation,
        });
        break;
      }
      case 'MaxPooling2D': {
        const inShape = hwc(inbound[0].outputShape as (number | null)[], layer.name);
        const outShape = hwc(layer.outputShape as (number | null)[], layer.name);
        const pool = pair(config.poolSize as number | number[]);
        const strides = pair((config.strides as number | number[] | null) ?? pool);
        const rows = padding(config.padding as string, inShape[0], outShape[0], pool[0], strides[0]);
        const cols = padding(config.padding as string, inShape[1], outShape[1], pool[1], strides[1]);
        nodes.push({
          op: 'maxPool',
          layer,
          inputs,
          output: newTensor(layer),
          inShape,
          outShape,
          pool,
          strides,
          padBefore: [rows[0], cols[0]],
          padAfter: [rows[1], cols[1]],
        });
        break;
      }
      case 'Concatenate': {
        const axis = config.axis as number;
        const inShapes = inbound.map((l) => hwc(l.outputShape as (number | null)[], layer.name));
        if (axis !== -1 && axis !== 3) return `layer ${layer.name} joins along axis ${axis}, not the channels`;
        nodes.push({
          op: 'concat',
          layer,
          inputs,
          output: newTensor(layer),
          inShapes,
          outShape: hwc(layer.outputShape as (number | null)[], layer.name),
        });
        break;
      }
      case 'Add':
        nodes.push({
          op: 'add',
          layer,
          inputs,
          output: newTensor(layer),
          size: product(perImage(layer.outputShape as number[])),
        });
        break;
      case 'BatchNormalization': {
        const axis = config.axis as number;
        if (axis !== -1 && axis !== 3) return `layer ${layer.name} normalizes axis ${axis}, not the channels`;
        if (config.center === false || config.scale === false) return `layer ${layer.name} has no beta or gamma`;
        const shape = hwc(layer.outputShape as (number | null)[], layer.name);
        nodes.push({
          op: 'batchNorm',
          layer,
          inputs,
          output: newTensor(layer),
          shape,
          epsilon: config.epsilon as number,
          momentum: config.momentum as number,
          weights: weightsOf(layer),
          relu: false,
        });
        break;
      }
      default:
        return `layer ${layer.name} (${kind}) has no plan operation`;
    }
  }
  if (model.inputLayers.some((l) => !tensorOf.has(l)) || model.outputLayers.some((l) => !tensorOf.has(l)))
    return 'the model has an input or output layer the plan did not find';
  const inputs = model.inputLayers.map((l) => tensorOf.get(l)!);
  const outputs = model.outputLayers.map((l) => tensorOf.get(l)!);
  if (new Set(outputs).size !== outputs.length) return 'the model gives one tensor out twice';
  fuseActivations(nodes, outputs);
  return { tensorSizes, inputs, outputs, input: inputs[0], output: outputs[0], nodes };
}

/**
 * Activations whose gradient oneDNN computes from their output: they run as a convolution's or a Dense layer's
 * post-op. Softplus needs its input.
 */
const fusable = (a: Activation) => a.kind !== 'softplus';

/**
 * A convolution or Dense layer with no activation of its own whose only reader is an activation layer takes that
 * activation as oneDNN's post-op: one pass over the output instead of two, and one buffer less. A batch norm
 * takes a plain ReLU that way (oneDNN's fused norm-ReLU).
 */
function fuseActivations(nodes: GraphNode[], modelOutputs: readonly number[]): void {
  const readers = new Map<number, number>();
  for (const node of nodes) for (const t of node.inputs) readers.set(t, (readers.get(t) ?? 0) + 1);
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i];
    if (node.op !== 'activation') continue;
    const producer = nodes.find((n) => n.output === node.inputs[0]);
    if (!producer || readers.get(node.inputs[0]) !== 1 || modelOutputs.includes(node.inputs[0])) continue;
    if (producer.op === 'batchNorm' && !producer.relu && node.activation.kind === 'relu') producer.relu = true;
    else if (
      (producer.op === 'conv' || producer.op === 'dense') &&
      producer.activation.kind === 'linear' &&
      fusable(node.activation)
    )
      producer.activation = node.activation;
    else continue;
    producer.output = node.output;
    nodes.splice(i, 1);
  }
}
