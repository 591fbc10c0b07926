import type { AttributeValue, OnnxGraphBuilder } from './onnxGraph';
import { applyActivation } from './onnxActivations';
import type { SavedLayer, SavedLayersModel } from './savedLayersModel';
import { asFlat, asImage, scaledDim, windowedDim, type ImageValue, type Value } from './onnxValues';

export interface LayerContext {
  readonly g: OnnxGraphBuilder;
  readonly model: SavedLayersModel;
}

type Attributes = Record<string, AttributeValue>;
type Converter = (ctx: LayerContext, layer: SavedLayer, inputs: Value[]) => Value;

const pair = (v: unknown, name: string): [number, number] => {
  const a = Array.isArray(v) ? v : [v, v];
  if (a.length !== 2 || !a.every((n) => Number.isInteger(n)))
    throw new Error(`${name}: expected two integers, got ${JSON.stringify(v)}`);
  return a as [number, number];
};

function weight(ctx: LayerContext, layer: SavedLayer, suffix: string): { shape: number[]; values: Float32Array } {
  const w = ctx.model.weights.get(`${layer.name}/${suffix}`);
  if (!w) throw new Error(`weights.bin has no ${layer.name}/${suffix}: the model files do not match`);
  return w;
}

/** The values of an array of the given shape, its axes reordered by `perm` (a small Transpose in JavaScript). */
function transposed(values: Float32Array, shape: number[], perm: number[]): { values: Float32Array; shape: number[] } {
  const outShape = perm.map((p) => shape[p]);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((n, d) => n * d, 1));
  const out = new Float32Array(values.length);
  const index = new Array(shape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let k = 0; k < perm.length; k++) src += index[k] * strides[perm[k]];
    out[o] = values[src];
    for (let k = perm.length - 1; k >= 0; k--) {
      if (++index[k] < outShape[k]) break;
      index[k] = 0;
    }
  }
  return { values: out, shape: outShape };
}

function single(inputs: Value[], layer: SavedLayer): Value {
  if (inputs.length !== 1)
    throw new Error(`layer ${layer.name} (${layer.className}) reads ${inputs.length} tensors; expected one`);
  return inputs[0];
}

function checkChannelsLast(layer: SavedLayer): void {
  const format = layer.config.data_format;
  if (format && format !== 'channels_last')
    throw new Error(`layer ${layer.name}: data_format ${format} is not exported (channels_last only)`);
}

const dense: Converter = ({ g, model }, layer, inputs) => {
  const x = asFlat(g, single(inputs, layer), `${layer.name}_flat`);
  const kernel = weight({ g, model }, layer, 'kernel');
  const w = g.float(`${layer.name}_kernel`, kernel.shape, kernel.values);
  let y: string;
  if (layer.config.use_bias !== false) {
    const bias = weight({ g, model }, layer, 'bias');
    y = g.op('Gemm', [x.name, w, g.float(`${layer.name}_bias`, bias.shape, bias.values)], `${layer.name}_linear`);
  } else {
    y = g.op('MatMul', [x.name, w], `${layer.name}_linear`);
  }
  return {
    kind: 'flat',
    name: applyActivation(g, layer.config.activation, y, layer.name, layer.name),
    size: kernel.shape[1],
  };
};

function convolution(transpose: boolean): Converter {
  return (ctx, layer, inputs) => {
    checkChannelsLast(layer);
    const { g } = ctx;
    const x = asImage(single(inputs, layer), layer.name);
    const [kh, kw] = pair(layer.config.kernel_size, `${layer.name}.kernel_size`);
    const [sh, sw] = pair(layer.config.strides ?? 1, `${layer.name}.strides`);
    const [dh, dw] = pair(layer.config.dilation_rate ?? 1, `${layer.name}.dilation_rate`);
    const padding = String(layer.config.padding ?? 'valid');
    const kernel = weight(ctx, layer, 'kernel');
    // Conv2D kernels are [kh, kw, in, out] and ONNX's Conv wants [out, in, kh, kw]; Conv2DTranspose kernels
    // are [kh, kw, out, in] and ConvTranspose wants [in, out, kh, kw]: the same reordering for both.
    const oihw = transposed(kernel.values, kernel.shape, [3, 2, 0, 1]);
    const inputNames = [x.name, g.float(`${layer.name}_kernel`, oihw.shape, oihw.values)];
    if (layer.config.use_bias !== false) {
      const bias = weight(ctx, layer, 'bias');
      inputNames.push(g.float(`${layer.name}_bias`, bias.shape, bias.values));
    }
    const filters = transpose ? kernel.shape[2] : kernel.shape[3];
    let y: string;
    let height, width;
    if (!transpose) {
      // auto_pad SAME_UPPER puts the odd padding pixel at the end, as TensorFlow's 'same' does, for any size.
      const pads: Attributes = padding === 'same' ? { auto_pad: 'SAME_UPPER' } : { pads: [0, 0, 0, 0] };
      y = g.op('Conv', inputNames, `${layer.name}_conv`, {
        kernel_shape: [kh, kw],
        strides: [sh, sw],
        dilations: [dh, dw],
        ...pads,
      });
      height = windowedDim(x.height, kh, sh, padding, dh);
      width = windowedDim(x.width, kw, sw, padding, dw);
    } else {
      if (dh !== 1 || dw !== 1)
        throw new Error(`layer ${layer.name}: dilated transposed convolutions are not exported`);
      // TensorFlow's output is in*stride ('same') or in*stride + max(k - stride, 0) ('valid'): ConvTranspose
      // makes (in-1)*stride + k and crops `pads`, the extra k - stride split as TensorFlow's 'same' does
      // (the smaller half first), or adds output_padding where the kernel is smaller than the stride.
      const crop = (k: number, s: number) => (padding === 'same' ? k - s : 0);
      const [ch, cw] = [crop(kh, sh), crop(kw, sw)];
      const begin = (c: number) => Math.max(Math.floor(c / 2), 0);
      const pads = [begin(ch), begin(cw), Math.max(ch - begin(ch), 0), Math.max(cw - begin(cw), 0)];
      const outputPadding = [Math.max(sh - kh, 0), Math.max(sw - kw, 0)];
      y = g.op('ConvTranspose', inputNames, `${layer.name}_deconv`, {
        kernel_shape: [kh, kw],
        strides: [sh, sw],
        pads,
        output_padding: outputPadding,
      });
      height = scaledDim(x.height, sh, padding === 'same' ? 0 : Math.max(kh - sh, 0));
      width = scaledDim(x.width, sw, padding === 'same' ? 0 : Math.max(kw - sw, 0));
    }
    const name = applyActivation(g, layer.config.activation, y, layer.name, layer.name);
    return { kind: 'image', name, channels: filters, height, width };
  };
}

/** Keeps the value's shape and layout: elementwise layers. */
function elementwise(write: (ctx: LayerContext, layer: SavedLayer, x: string) => string): Converter {
  return (ctx, layer, inputs) => {
    const x = single(inputs, layer);
    return { ...x, name: write(ctx, layer, x.name) };
  };
}

const batchNormalization: Converter = (ctx, layer, inputs) => {
  const x = single(inputs, layer);
  const axis = Number(layer.config.axis ?? -1);
  const rank = x.kind === 'flat' ? 2 : 4;
  if (axis !== -1 && axis !== rank - 1)
    throw new Error(
      `layer ${layer.name}: batch normalization over axis ${axis} is not exported (the channel axis only)`,
    );
  const mean = weight(ctx, layer, 'moving_mean');
  const variance = weight(ctx, layer, 'moving_variance');
  const ones = new Float32Array(mean.values.length).fill(1);
  const gamma = layer.config.scale !== false ? weight(ctx, layer, 'gamma').values : ones;
  const beta = layer.config.center !== false ? weight(ctx, layer, 'beta').values : new Float32Array(mean.values.length);
  const { g } = ctx;
  const c = [mean.values.length];
  // Inference mode: the moving statistics, as the model's own predict uses them.
  const y = g.op(
    'BatchNormalization',
    [
      x.name,
      g.float(`${layer.name}_gamma`, c, gamma),
      g.float(`${layer.name}_beta`, c, beta),
      g.float(`${layer.name}_mean`, c, mean.values),
      g.float(`${layer.name}_variance`, c, variance.values),
    ],
    layer.name,
    { epsilon: { f: Number(layer.config.epsilon ?? 1e-3) } },
  );
  return { ...x, name: y };
};

function pooling(op: 'MaxPool' | 'AveragePool'): Converter {
  return ({ g }, layer, inputs) => {
    checkChannelsLast(layer);
    const x = asImage(single(inputs, layer), layer.name);
    const [kh, kw] = pair(layer.config.pool_size ?? 2, `${layer.name}.pool_size`);
    const [sh, sw] = pair(layer.config.strides ?? [kh, kw], `${layer.name}.strides`);
    const padding = String(layer.config.padding ?? 'valid');
    const pads: Attributes = padding === 'same' ? { auto_pad: 'SAME_UPPER' } : { pads: [0, 0, 0, 0] };
    // TensorFlow's average over a 'same' window counts only the pixels inside the image.
    const extra: Attributes = op === 'AveragePool' ? { count_include_pad: 0 } : {};
    const name = g.op(op, [x.name], layer.name, { kernel_shape: [kh, kw], strides: [sh, sw], ...pads, ...extra });
    return { ...x, name, height: windowedDim(x.height, kh, sh, padding), width: windowedDim(x.width, kw, sw, padding) };
  };
}

const concatenate: Converter = ({ g }, layer, inputs) => {
  const axis = Number(layer.config.axis ?? -1);
  const images = inputs.some((v) => v.kind !== 'flat');
  if (axis !== -1 && axis !== (images ? 3 : 1))
    throw new Error(`layer ${layer.name}: concatenation over axis ${axis} is not exported (the last axis only)`);
  if (images) {
    const parts = inputs.map((v) => asImage(v, layer.name));
    const name = g.op(
      'Concat',
      parts.map((p) => p.name),
      layer.name,
      { axis: 1 },
    );
    return { ...parts[0], name, channels: parts.reduce((n, p) => n + p.channels, 0) };
  }
  const parts = inputs.map((v) => asFlat(g, v, `${layer.name}_flat`));
  const sizes = parts.map((p) => p.size);
  const size = sizes.every((s) => s !== null) ? (sizes as number[]).reduce((a, b) => a + b, 0) : null;
  return {
    kind: 'flat',
    name: g.op(
      'Concat',
      parts.map((p) => p.name),
      layer.name,
      { axis: 1 },
    ),
    size,
  };
};

function merge(op: 'Add' | 'Mul' | 'Sub' | 'Max' | 'Min'): Converter {
  return ({ g }, layer, inputs) => {
    if (inputs.length < 2) throw new Error(`layer ${layer.name} (${layer.className}) needs at least two inputs`);
    if (op === 'Sub' && inputs.length !== 2) throw new Error(`layer ${layer.name}: Subtract takes exactly two inputs`);
    const layouts = new Set(inputs.map((v) => (v.kind === 'flat' ? 'flat' : 'image')));
    if (layouts.size > 1)
      throw new Error(`layer ${layer.name} joins a flat tensor and an image; Reshape one of them first`);
    const parts = inputs.map((v) => (v.kind === 'pixels' ? asImage(v, layer.name) : v));
    let name = parts[0].name;
    for (let i = 1; i < parts.length; i++)
      name = g.op(op, [name, parts[i].name], i === parts.length - 1 ? layer.name : `${layer.name}_${i}`);
    return { ...parts[0], name };
  };
}

const flatten: Converter = ({ g }, layer, inputs) => asFlat(g, single(inputs, layer), layer.name);

const reshape: Converter = ({ g }, layer, inputs) => {
  const x = single(inputs, layer);
  const target = (layer.config.target_shape as number[] | undefined) ?? [];
  if (target.length === 1) return asFlat(g, x, layer.name);
  if (target.length !== 3)
    throw new Error(
      `layer ${layer.name}: reshaping to ${JSON.stringify(target)} is not exported (to [h, w, c] or [n] only)`,
    );
  const [h, w, c] = target;
  // A Denoise Lab model's first layer turns its flat input into the image it already is in the ONNX graph.
  if (
    x.kind === 'pixels' &&
    c === 1 &&
    (typeof x.height !== 'number' || x.height === h) &&
    (typeof x.width !== 'number' || x.width === w)
  ) {
    return asImage(x, layer.name);
  }
  const flat = asFlat(g, x, `${layer.name}_flat`);
  const nhwc = g.op('Reshape', [flat.name, g.int64(`${layer.name}_shape`, [-1, h, w, c])], `${layer.name}_nhwc`);
  const name = g.op('Transpose', [nhwc], layer.name, { perm: [0, 3, 1, 2] });
  return { kind: 'image', name, channels: c, height: h, width: w } satisfies ImageValue;
};

const identity: Converter = (_ctx, layer, inputs) => single(inputs, layer);

const CONVERTERS: Record<string, Converter> = {
  Dense: dense,
  Conv2D: convolution(false),
  Conv2DTranspose: convolution(true),
  Activation: elementwise(({ g }, layer, x) => applyActivation(g, layer.config.activation, x, layer.name, layer.name)),
  ReLU: elementwise(({ g }, layer, x) => {
    const max = layer.config.max_value;
    if (max === null || max === undefined) return g.op('Relu', [x], layer.name);
    return g.op(
      'Clip',
      [
        x,
        g.float(`${layer.name}_min`, [], Float32Array.of(0)),
        g.float(`${layer.name}_max`, [], Float32Array.of(Number(max))),
      ],
      layer.name,
    );
  }),
  LeakyReLU: elementwise(({ g }, layer, x) =>
    g.op('LeakyRelu', [x], layer.name, { alpha: { f: Number(layer.config.alpha ?? 0.3) } }),
  ),
  ELU: elementwise(({ g }, layer, x) =>
    g.op('Elu', [x], layer.name, { alpha: { f: Number(layer.config.alpha ?? 1) } }),
  ),
  BatchNormalization: batchNormalization,
  MaxPooling2D: pooling('MaxPool'),
  AveragePooling2D: pooling('AveragePool'),
  Concatenate: concatenate,
  Add: merge('Add'),
  Multiply: merge('Mul'),
  Subtract: merge('Sub'),
  Maximum: merge('Max'),
  Minimum: merge('Min'),
  Flatten: flatten,
  Reshape: reshape,
  // Layers that do nothing at inference.
  Dropout: identity,
  SpatialDropout2D: identity,
  GaussianNoise: identity,
  GaussianDropout: identity,
  AlphaDropout: identity,
};

export function convertLayer(ctx: LayerContext, layer: SavedLayer, inputs: Value[]): Value {
  const convert = CONVERTERS[layer.className];
  if (!convert) {
    throw new Error(
      `layer ${layer.name} is a ${layer.className}, which the ONNX exporter does not write (it writes ${Object.keys(CONVERTERS).join(', ')})`,
    );
  }
  return convert(ctx, layer, inputs);
}

/** Layer classes that work on any image size: a model of only these is exported with dynamic height and width. */
export const SIZE_FREE_LAYERS = new Set([
  'InputLayer',
  'Conv2D',
  'Conv2DTranspose',
  'Activation',
  'ReLU',
  'LeakyReLU',
  'ELU',
  'BatchNormalization',
  'MaxPooling2D',
  'AveragePooling2D',
  'Concatenate',
  'Add',
  'Multiply',
  'Subtract',
  'Maximum',
  'Minimum',
  'Dropout',
  'SpatialDropout2D',
  'GaussianNoise',
  'GaussianDropout',
  'AlphaDropout',
]);
