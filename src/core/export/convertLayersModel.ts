import { OnnxGraphBuilder, type Dim } from './onnxGraph';
import { convertLayer, SIZE_FREE_LAYERS } from './layerConverters';
import type { SavedLayersModel } from './savedLayersModel';
import { dimOf, type ImageValue, type SpatialDim, type Value } from './onnxValues';

/** One input of the exported graph: a Keras input layer, or the output of any layer (to cut a model). */
export interface GraphInput {
  /** The layer whose output the ONNX input replaces. */
  readonly layer: string;
  /** The ONNX input name. */
  readonly name: string;
  /** Flat values of height x width pixels given to ONNX users as [N, 1, height, width] images. */
  readonly image?: { height: number; width: number };
  /** The feature count of a flat input that is not a Keras input layer (its config does not say). */
  readonly size?: number;
}

export interface GraphOutput {
  readonly layer: string;
  readonly name: string;
  /** A flat output of height x width pixels handed out as [N, 1, height, width]. */
  readonly image?: { height: number; width: number };
  /** Clip to [0, 1], as Denoise Lab's own predictions are. */
  readonly clip?: boolean;
}

export interface GraphRequest {
  readonly inputs: readonly GraphInput[];
  readonly outputs: readonly GraphOutput[];
  /** Input layers fed with zeros, [N, size] (a VAE's noise: its prediction uses the latent mean). */
  readonly zeros?: readonly { layer: string; size: number }[];
  readonly docString: string;
  readonly producerVersion: string;
}

/** The layers the outputs depend on, stopping at the graph inputs. */
function neededLayers(model: SavedLayersModel, request: GraphRequest): Set<string> {
  const stops = new Set([...request.inputs.map((i) => i.layer), ...(request.zeros ?? []).map((z) => z.layer)]);
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    const layer = model.layers.get(name);
    if (!layer) throw new Error(`the model has no layer ${name}`);
    seen.add(name);
    if (!stops.has(name)) layer.inputs.forEach(visit);
  };
  request.outputs.forEach((o) => visit(o.layer));
  return seen;
}

/**
 * A model is exported with dynamic height and width when every layer it runs works at any size: only
 * convolutions, pooling and elementwise layers, a Reshape straight after the input (Denoise Lab's flat
 * images made pictures again) and a Flatten only as the last layer (made pictures again on the way out).
 */
function isSizeFree(model: SavedLayersModel, needed: Set<string>, request: GraphRequest): boolean {
  const inputs = new Set(request.inputs.map((i) => i.layer));
  const outputs = new Set(request.outputs.filter((o) => o.image).map((o) => o.layer));
  for (const name of needed) {
    if (inputs.has(name)) continue;
    const layer = model.layers.get(name)!;
    if (SIZE_FREE_LAYERS.has(layer.className)) continue;
    if (layer.className === 'Reshape' && layer.inputs.every((i) => inputs.has(i))) continue;
    if (layer.className === 'Flatten' && outputs.has(name)) continue;
    return false;
  }
  return true;
}

function inputShape(model: SavedLayersModel, input: GraphInput): (number | null)[] {
  const layer = model.layers.get(input.layer)!;
  if (layer.className === 'InputLayer')
    return [...((layer.config.batch_input_shape as (number | null)[]) ?? [null, input.size ?? null])];
  if (input.size === undefined)
    throw new Error(`graph input ${input.name} cuts the model after ${input.layer}: give its size`);
  return [null, input.size];
}

function graphInput(g: OnnxGraphBuilder, model: SavedLayersModel, input: GraphInput, sizeFree: boolean): Value {
  const shape = inputShape(model, input);
  const side = (n: number | null, name: string): SpatialDim =>
    sizeFree || n === null ? { base: name, num: 1, den: 1 } : n;
  if (shape.length === 2) {
    if (input.image) {
      const { height, width } = input.image;
      if (shape[1] !== null && shape[1] !== height * width) {
        throw new Error(`input ${input.layer} has ${shape[1]} values, not ${height}x${width} pixels`);
      }
      const [h, w] = [side(height, 'height'), side(width, 'width')];
      g.input(input.name, ['batch', 1, dimOf(h)!, dimOf(w)!]);
      return { kind: 'pixels', name: input.name, height: h, width: w };
    }
    g.input(input.name, ['batch', shape[1] ?? 'features']);
    return { kind: 'flat', name: input.name, size: shape[1] };
  }
  if (shape.length === 4) {
    const [, height, width, channels] = shape;
    if (channels === null) throw new Error(`input ${input.layer} does not say its channel count`);
    const [h, w] = [side(height, 'height'), side(width, 'width')];
    g.input(input.name, ['batch', channels, dimOf(h)!, dimOf(w)!]);
    return { kind: 'image', name: input.name, channels, height: h, width: w } satisfies ImageValue;
  }
  throw new Error(
    `input ${input.layer} has shape ${JSON.stringify(shape)}; only [n, features] and [n, h, w, c] are exported`,
  );
}

/** [N, size] zeros shaped after the first input's batch size. */
function zerosLike(g: OnnxGraphBuilder, first: string, layer: string, size: number): Value {
  const shape = g.op('Shape', [first], `${layer}_input_shape`);
  const batch = g.op('Slice', [shape, g.int64(`${layer}_start`, [0]), g.int64(`${layer}_end`, [1])], `${layer}_batch`);
  const dims = g.op('Concat', [batch, g.int64(`${layer}_size`, [size])], `${layer}_shape`, { axis: 0 });
  return { kind: 'flat', name: g.op('ConstantOfShape', [dims], layer), size };
}

function outputDims(v: Value): Dim[] {
  const dim = (d: SpatialDim, fallback: string) => dimOf(d) ?? fallback;
  if (v.kind === 'flat') return ['batch', v.size ?? 'features'];
  const channels = v.kind === 'image' ? v.channels : 1;
  return ['batch', channels, dim(v.height, `${v.name}_height`), dim(v.width, `${v.name}_width`)];
}

function graphOutput(g: OnnxGraphBuilder, value: Value, output: GraphOutput): void {
  let v = value;
  if (output.image && v.kind === 'flat') {
    const { height, width } = output.image;
    if (v.imageBeforeFlatten) v = v.imageBeforeFlatten;
    else {
      const name = g.op(
        'Reshape',
        [v.name, g.int64(`${output.name}_shape`, [-1, 1, height, width])],
        `${output.name}_image`,
      );
      v = { kind: 'image', name, channels: 1, height, width };
    }
  }
  if (output.clip) {
    const bounds = [
      g.float(`${output.name}_min`, [], Float32Array.of(0)),
      g.float(`${output.name}_max`, [], Float32Array.of(1)),
    ];
    v = { ...v, name: g.op('Clip', [v.name, ...bounds], `${output.name}_clipped`) };
  }
  g.output(v.name, output.name, outputDims(v));
}

/**
 * Writes the part of a saved layers model between `request.inputs` and `request.outputs` as an ONNX file;
 * `sizeFree` says whether its height and width are dynamic.
 */
export function convertLayersModel(
  model: SavedLayersModel,
  request: GraphRequest,
): { bytes: Uint8Array; sizeFree: boolean } {
  const needed = neededLayers(model, request);
  const sizeFree = isSizeFree(model, needed, request);
  const g = new OnnxGraphBuilder();
  const values = new Map<string, Value>();
  for (const input of request.inputs) values.set(input.layer, graphInput(g, model, input, sizeFree));
  for (const zero of request.zeros ?? [])
    values.set(zero.layer, zerosLike(g, request.inputs[0].name, zero.layer, zero.size));
  const ctx = { g, model };
  const valueOf = (name: string): Value => {
    const known = values.get(name);
    if (known) return known;
    const layer = model.layers.get(name)!;
    if (layer.className === 'InputLayer')
      throw new Error(`the model's input ${name} is not given to the exported graph`);
    const value = convertLayer(ctx, layer, layer.inputs.map(valueOf));
    values.set(name, value);
    return value;
  };
  for (const output of request.outputs) graphOutput(g, valueOf(output.layer), output);
  return { bytes: g.encode(model.name, request.docString, request.producerVersion), sizeFree };
}
