import { onnx } from 'onnx-proto';

/**
 * The ONNX operator set every exported file declares. Opset 13 has every operator the exporter writes
 * (Conv, ConvTranspose, Gemm, BatchNormalization, Clip with tensor bounds...) and ONNX Runtime, PyTorch's
 * onnx2torch, OpenCV's dnn module and onnx.js-style runtimes all read it.
 */
export const ONNX_OPSET = 13;
/** IR version 7 is the newest whose readers accept opset 13 everywhere; onnx-proto writes up to 8. */
export const ONNX_IR_VERSION = 7;

/** A dimension: a fixed size, or a name for a size chosen at run time (batch, height, width). */
export type Dim = number | string;

/** An attribute: an integer, a list of integers, a string, or a float written `{ f: 0.2 }`. */
export type AttributeValue = number | number[] | string | { f: number };

function attribute(name: string, value: AttributeValue): onnx.IAttributeProto {
  const A = onnx.AttributeProto.AttributeType;
  if (typeof value === 'string') return { name, type: A.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: A.INTS, ints: value };
  if (typeof value === 'object') return { name, type: A.FLOAT, f: value.f };
  if (!Number.isInteger(value)) throw new Error(`attribute ${name}: ${value} is not an integer; write { f: ${value} }`);
  return { name, type: A.INT, i: value };
}

function valueInfo(name: string, dims: readonly Dim[]): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

/**
 * Collects the nodes, weights, inputs and outputs of one ONNX graph and encodes them with onnx-proto
 * (ONNX's own onnx.proto compiled for protobufjs). Value names are made unique here, so converters can
 * name each value after the layer that makes it.
 */
export class OnnxGraphBuilder {
  private readonly nodes: onnx.INodeProto[] = [];
  private readonly initializers: onnx.ITensorProto[] = [];
  private readonly inputs: onnx.IValueInfoProto[] = [];
  private readonly outputs: onnx.IValueInfoProto[] = [];
  private readonly used = new Set<string>();

  /** A fresh value name based on `base`. */
  name(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  input(name: string, dims: readonly Dim[]): string {
    const unique = this.name(name);
    if (unique !== name) throw new Error(`the graph input name ${name} is taken`);
    this.inputs.push(valueInfo(name, dims));
    return name;
  }

  /** Marks `value` as the graph output `name` (an Identity node renames it when needed). */
  output(value: string, name: string, dims: readonly Dim[]): void {
    if (value !== name) {
      if (this.used.has(name)) throw new Error(`the graph output name ${name} is taken`);
      this.used.add(name);
      this.nodes.push({ opType: 'Identity', input: [value], output: [name], name: `${name}_identity` });
    }
    this.outputs.push(valueInfo(name, dims));
  }

  /** A float32 weight tensor. */
  float(base: string, dims: readonly number[], data: Float32Array): string {
    const name = this.name(base);
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    this.initializers.push({
      name,
      dims: [...dims],
      dataType: onnx.TensorProto.DataType.FLOAT,
      rawData: bytes.slice(),
    });
    return name;
  }

  /** An int64 constant, e.g. a shape or the permutation of a Transpose. */
  int64(base: string, values: readonly number[]): string {
    const name = this.name(base);
    this.initializers.push({
      name,
      dims: [values.length],
      dataType: onnx.TensorProto.DataType.INT64,
      int64Data: [...values],
    });
    return name;
  }

  /** Adds one node and returns the name of its (first) output, `${base}` made unique. */
  op(opType: string, inputs: readonly string[], base: string, attributes: Record<string, AttributeValue> = {}): string {
    const output = this.name(base);
    this.nodes.push({
      opType,
      input: [...inputs],
      output: [output],
      name: `${output}_${opType}`,
      attribute: Object.entries(attributes).map(([k, v]) => attribute(k, v)),
    });
    return output;
  }

  encode(graphName: string, docString: string, producerVersion: string): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: ONNX_IR_VERSION,
      opsetImport: [{ domain: '', version: ONNX_OPSET }],
      producerName: 'denoise-lab',
      producerVersion,
      docString,
      graph: {
        name: graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
