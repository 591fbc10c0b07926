import type { OnnxGraphBuilder } from './onnxGraph';

/**
 * A spatial size as the exporter knows it: a number, a multiple of a size chosen at run time
 * (`height` x num/den, for fully convolutional models), or unknown.
 */
export type SpatialDim = number | { base: string; num: number; den: number } | null;

/** The ONNX dimension of a spatial size: its value, a name such as "height" or "height*2/1", or unknown. */
export function dimOf(d: SpatialDim): number | string | undefined {
  if (d === null) return undefined;
  if (typeof d === 'number') return d;
  const g = gcd(d.num, d.den);
  const [num, den] = [d.num / g, d.den / g];
  return num === den ? d.base : den === 1 ? `${d.base}*${num}` : `${d.base}*${num}/${den}`;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** The output size of a 'same' (or 'valid') window of size k and stride s along one side. */
export function windowedDim(d: SpatialDim, kernel: number, stride: number, padding: string, dilation = 1): SpatialDim {
  const span = (kernel - 1) * dilation + 1;
  if (typeof d === 'number') return padding === 'same' ? Math.ceil(d / stride) : Math.ceil((d - span + 1) / stride);
  if (d === null || padding !== 'same') return null;
  return { base: d.base, num: d.num, den: d.den * stride };
}

export function scaledDim(d: SpatialDim, factor: number, extra = 0): SpatialDim {
  if (typeof d === 'number') return d * factor + extra;
  if (d === null || extra !== 0) return null;
  return { base: d.base, num: d.num * factor, den: d.den };
}

/**
 * What one Keras layer output is in the ONNX graph. TensorFlow.js images are NHWC; in the ONNX graph they
 * are NCHW (kernels are transposed once at export), which is what ONNX runtimes and PyTorch users expect.
 * - flat: [N, size]. `imageBeforeFlatten` names the 1-channel NCHW image it was flattened from, so a model
 *   whose last layer flattens its output image can hand out the image itself.
 * - image: [N, channels, height, width].
 * - pixels: a flat Keras input (a Denoise Lab model reads flat images) presented to ONNX users as a
 *   1-channel NCHW image; it becomes flat or an image depending on the layer that reads it.
 */
export type Value =
  | { kind: 'flat'; name: string; size: number | null; imageBeforeFlatten?: ImageValue }
  | ImageValue
  | { kind: 'pixels'; name: string; height: SpatialDim; width: SpatialDim };

export interface ImageValue {
  kind: 'image';
  name: string;
  channels: number;
  height: SpatialDim;
  width: SpatialDim;
}

/** The value as [N, features], flattened in Keras's order (height, width, channel). */
export function asFlat(g: OnnxGraphBuilder, v: Value, base: string): Extract<Value, { kind: 'flat' }> {
  if (v.kind === 'flat') return v;
  const area = (h: SpatialDim, w: SpatialDim, c: number) =>
    typeof h === 'number' && typeof w === 'number' ? h * w * c : null;
  if (v.kind === 'pixels') {
    const name = g.op('Flatten', [v.name], base, { axis: 1 });
    return {
      kind: 'flat',
      name,
      size: area(v.height, v.width, 1),
      imageBeforeFlatten: { ...v, kind: 'image', channels: 1 },
    };
  }
  // NCHW flattens channel-first; Keras flattens channel-last, so channels go last first unless there is one.
  const nhwc = v.channels === 1 ? v.name : g.op('Transpose', [v.name], `${base}_nhwc`, { perm: [0, 2, 3, 1] });
  const name = g.op('Flatten', [nhwc], base, { axis: 1 });
  return {
    kind: 'flat',
    name,
    size: area(v.height, v.width, v.channels),
    imageBeforeFlatten: v.channels === 1 ? v : undefined,
  };
}

export function asImage(v: Value, layer: string): ImageValue {
  if (v.kind === 'image') return v;
  if (v.kind === 'pixels') return { kind: 'image', name: v.name, channels: 1, height: v.height, width: v.width };
  throw new Error(`layer ${layer} needs an image but reads a flat tensor; add a Reshape layer before it`);
}
