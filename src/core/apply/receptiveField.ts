import type * as tf from '@tensorflow/tfjs';

interface LayerConfig {
  kernelSize?: number | number[];
  poolSize?: number | number[];
  strides?: number | number[];
  dilationRate?: number | number[];
  size?: number | number[];
  padding?: string;
}

const first = (v: number | number[] | undefined, fallback: number) => (Array.isArray(v) ? v[0] : (v ?? fallback));

/**
 * How far (in input pixels) an output pixel of `model` can see in each direction: an upper bound, taken
 * over every path through the graph (a U-Net's deepest path decides). After the first down-sampling each
 * convolution or pooling widens it by its full kernel times the current stride, more than the half-kernel of a
 * centred 'same' window, so that odd alignments of pooling are covered too. Tiles overlapping by this much
 * give whole-image results.
 */
export function receptiveRadius(model: tf.LayersModel): number {
  const radius = new Map<string, number>();
  const jump = new Map<string, number>();
  for (const layer of model.layers) {
    const inbound = layer.inboundNodes.flatMap((node) => node.inboundLayers.map((l) => l.name));
    let r = Math.max(0, ...inbound.map((n) => radius.get(n) ?? 0));
    let j = Math.max(1, ...inbound.map((n) => jump.get(n) ?? 1));
    const config = layer.getConfig() as LayerConfig;
    const cls = layer.getClassName();
    if (cls === 'Conv2D' || cls === 'DepthwiseConv2D' || cls === 'SeparableConv2D') {
      const kernel = first(config.kernelSize, 1);
      // Before any down-sampling a centred window ('same', odd kernel, stride 1) sees exactly half its kernel
      // each way: DnCNN-17's radius is 17, not 34, and its tiles overlap half as much.
      const centred = j === 1 && kernel % 2 === 1 && first(config.strides, 1) === 1 && config.padding === 'same';
      r += (centred ? (kernel - 1) / 2 : kernel - 1) * first(config.dilationRate, 1) * j;
      j *= first(config.strides, 1);
    } else if (cls === 'MaxPooling2D' || cls === 'AveragePooling2D') {
      const pool = first(config.poolSize, 2);
      r += (pool - 1) * j;
      j *= first(config.strides, pool);
    } else if (cls === 'Conv2DTranspose') {
      const stride = first(config.strides, 1);
      r += (first(config.kernelSize, 1) - 1) * j;
      j = Math.max(1, j / stride);
    } else if (cls === 'UpSampling2D') {
      r += j;
      j = Math.max(1, j / first(config.size, 2));
    }
    radius.set(layer.name, r);
    jump.set(layer.name, j);
  }
  return Math.max(0, ...radius.values());
}
