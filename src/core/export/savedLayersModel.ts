/**
 * A TensorFlow.js layers model as saved on disk (model.json + weights.bin), read without TensorFlow.js so
 * that the extension host, which must not load it, can export models too.
 */

/** [layer name, node index, tensor index, kwargs] as in Keras's functional config. */
export type InboundRef = [string, number, number, Record<string, unknown>?];

export interface SavedLayer {
  readonly name: string;
  readonly className: string;
  readonly config: Record<string, unknown>;
  /** The layers whose outputs this one reads, in order. */
  readonly inputs: readonly string[];
}

export interface SavedLayersModel {
  readonly name: string;
  readonly layers: ReadonlyMap<string, SavedLayer>;
  readonly inputLayers: readonly string[];
  readonly outputLayers: readonly string[];
  /** Weight values by their saved name, e.g. "encoder_conv_0/kernel". */
  readonly weights: ReadonlyMap<string, { shape: number[]; values: Float32Array }>;
  /** The denoiseLab block of model.json (kind, height, width), when the model was saved by Denoise Lab. */
  readonly denoiseLab?: { kind: string; height: number; width: number; description?: string };
}

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
}

interface LayerJson {
  name?: string;
  class_name: string;
  config: Record<string, unknown>;
  inbound_nodes?: InboundRef[][];
}

interface TopologyJson {
  class_name: string;
  config:
    { name?: string; layers: LayerJson[]; input_layers?: InboundRef[]; output_layers?: InboundRef[] } | LayerJson[];
}

function readFunctional(config: { layers: LayerJson[]; input_layers?: InboundRef[]; output_layers?: InboundRef[] }) {
  const layers = new Map<string, SavedLayer>();
  for (const layer of config.layers) {
    const name = layer.name ?? String(layer.config.name);
    const nodes = layer.inbound_nodes ?? [];
    if (nodes.length > 1)
      throw new Error(`layer ${name} is applied ${nodes.length} times; shared layers are not exported`);
    layers.set(name, {
      name,
      className: layer.class_name,
      config: layer.config,
      inputs: (nodes[0] ?? []).map((ref) => ref[0]),
    });
  }
  return {
    layers,
    inputLayers: (config.input_layers ?? []).map((ref) => ref[0]),
    outputLayers: (config.output_layers ?? []).map((ref) => ref[0]),
  };
}

/** A Sequential model is a chain: an implicit input layer, built from the first layer's batch_input_shape. */
function readSequential(list: LayerJson[]) {
  if (list.length === 0) throw new Error('the Sequential model has no layers');
  const first = list[0].config;
  const shape = first.batch_input_shape ?? (first.input_shape ? [null, ...(first.input_shape as number[])] : undefined);
  if (!shape) throw new Error('the Sequential model does not say its input shape (batch_input_shape)');
  const inputName = 'input';
  const layers = new Map<string, SavedLayer>([
    [inputName, { name: inputName, className: 'InputLayer', config: { batch_input_shape: shape }, inputs: [] }],
  ]);
  let previous = inputName;
  for (const layer of list) {
    const name = String(layer.config.name);
    layers.set(name, { name, className: layer.class_name, config: layer.config, inputs: [previous] });
    previous = name;
  }
  return { layers, inputLayers: [inputName], outputLayers: [previous] };
}

/** Reads model.json's parsed content and the bytes of weights.bin. */
export function readSavedLayersModel(modelJson: unknown, weightData: Uint8Array): SavedLayersModel {
  const json = modelJson as {
    modelTopology?: TopologyJson;
    weightsManifest?: { weights: WeightSpec[] }[];
    weightSpecs?: WeightSpec[];
    denoiseLab?: SavedLayersModel['denoiseLab'];
  };
  const topology = json.modelTopology;
  if (!topology?.config) throw new Error('model.json has no modelTopology: is it a TensorFlow.js layers model?');
  const config = topology.config;
  const graph = Array.isArray(config)
    ? readSequential(config)
    : config.input_layers
      ? readFunctional(config)
      : readSequential(config.layers);
  const specs = json.weightSpecs ?? (json.weightsManifest ?? []).flatMap((group) => group.weights);
  const weights = new Map<string, { shape: number[]; values: Float32Array }>();
  let offset = 0;
  for (const spec of specs) {
    if (spec.dtype !== 'float32')
      throw new Error(`weight ${spec.name} is ${spec.dtype}; only float32 weights are exported`);
    const count = spec.shape.reduce((n, d) => n * d, 1);
    if (offset + count * 4 > weightData.byteLength)
      throw new Error(`weights.bin is shorter than model.json says (at ${spec.name})`);
    // Copied out so the values are aligned whatever the offset of weights.bin's bytes.
    const values = new Float32Array(weightData.slice(offset, offset + count * 4).buffer);
    weights.set(spec.name, { shape: spec.shape, values });
    offset += count * 4;
  }
  const name = Array.isArray(config) ? 'model' : String(config.name ?? 'model');
  return { name, ...graph, weights, denoiseLab: json.denoiseLab };
}
