/**
 * Which tensors of a plan are kept channel-blocked (oneDNN's nChw16c: 16 channels of a pixel together, the
 * blocks of a row after each other) instead of NHWC. oneDNN's Winograd convolutions take only that layout,
 * and they run the 3x3 convolutions of DnCNN-17's inner layers in 0.47x the time of the direct ones
 * (BENCHMARKS.md). A tensor is blocked when everything that touches it works in any layout: convolutions,
 * batch norm, and elementwise activations and sums (which must see their inputs and output in one layout,
 * so they are decided together). Inputs, outputs and whatever JavaScript reads, pools, concatenates or
 * multiplies stay NHWC; a convolution between the two layouts reads a copy of its input (trainingPlan.ts).
 * Only groups next to a Winograd convolution are blocked: oneDNN's direct convolutions are as fast on NHWC
 * (measured on DnCNN-17), so elsewhere the copies would cost and buy nothing.
 */
import type { ConvNode, GraphNode, LayerGraph } from './layerGraph';

/** The block of channels oneDNN's AVX-512 convolutions use: a tensor's channels must be a multiple of it. */
export const CHANNEL_BLOCK = 16;

/** Whether a node computes correctly on blocked tensors (the same layout for all of them). */
const layoutFree = (node: GraphNode) =>
  (node.op === 'conv' && !node.transposed) || node.op === 'batchNorm' || node.op === 'activation' || node.op === 'add';

/** Nodes whose inputs and output are one tensor to the layout: it changes nothing in between. */
const sameLayout = (node: GraphNode) => node.op === 'batchNorm' || node.op === 'activation' || node.op === 'add';

/** A convolution oneDNN's Winograd kernels (F(4x4, 3x3), AVX-512) can run, given blocked tensors. */
export const winogradFits = (node: ConvNode) =>
  !node.transposed &&
  node.kernel[0] === 3 &&
  node.kernel[1] === 3 &&
  node.strides[0] === 1 &&
  node.strides[1] === 1 &&
  node.inShape[2] % CHANNEL_BLOCK === 0 &&
  node.outShape[2] % CHANNEL_BLOCK === 0;

/** The blocked tensors of a graph (none when `enabled` is false). */
export function blockedTensors(graph: LayerGraph, enabled = true): Set<number> {
  const blocked = new Set<number>();
  if (!enabled) return blocked;
  const count = graph.tensorSizes.length;
  // Union-find over the tensors that must share a layout.
  const parent = Array.from({ length: count }, (_, i) => i);
  const find = (t: number): number => {
    while (parent[t] !== t) t = parent[t] = parent[parent[t]];
    return t;
  };
  const ok = new Array<boolean>(count).fill(true);
  const channels = new Array<number | undefined>(count).fill(undefined);
  for (const t of [...graph.inputs, ...graph.outputs]) ok[t] = false;
  for (const node of graph.nodes) {
    for (const t of [...node.inputs, node.output]) if (!layoutFree(node)) ok[t] = false;
    if (node.op === 'conv') {
      channels[node.inputs[0]] = node.inShape[2];
      channels[node.output] = node.outShape[2];
    } else if (node.op === 'batchNorm') channels[node.output] = channels[node.inputs[0]] = node.shape[2];
    if (sameLayout(node)) for (const t of node.inputs) parent[find(t)] = find(node.output);
  }
  // A group is blocked when each of its tensors can be, one of them says how many channels it has, and a
  // Winograd convolution reads or writes one of them.
  const groupOk = new Map<number, boolean>();
  const groupChannels = new Map<number, number>();
  const winograd = new Set<number>();
  for (let t = 0; t < count; t++) {
    const g = find(t);
    groupOk.set(g, (groupOk.get(g) ?? true) && ok[t] && (channels[t] ?? CHANNEL_BLOCK) % CHANNEL_BLOCK === 0);
    const known = channels[t];
    if (known !== undefined) groupChannels.set(g, known);
  }
  for (const node of graph.nodes)
    if (node.op === 'conv' && winogradFits(node)) for (const t of [node.inputs[0], node.output]) winograd.add(find(t));
  for (let t = 0; t < count; t++) {
    const g = find(t);
    if (groupOk.get(g) && groupChannels.has(g) && winograd.has(g)) blocked.add(t);
  }
  return blocked;
}

/**
 * How a convolution meets its input when the layouts differ. It runs in its output's layout; its input is
 * read as it is, or (one channel next to a blocked output) as NCHW, which is the same bytes as NHWC and what
 * oneDNN's first-layer kernels read, or from a copy in the layout it runs in (`copy`: blocked for channels in
 * blocks, else NCHW next to a blocked output, NHWC next to an NHWC one).
 */
export interface ConvLayout {
  readonly blocked: boolean;
  readonly input: 'as is' | 'planar' | { copy: 'blocked' | 'nchw' | 'nhwc' };
  /** Whether oneDNN's Winograd algorithm is tried (direct where it declines). */
  readonly winograd: boolean;
}

export function convLayout(node: ConvNode, blocked: ReadonlySet<number>): ConvLayout {
  const runsBlocked = blocked.has(node.output);
  const inputBlocked = blocked.has(node.inputs[0]);
  const channels = node.inShape[2];
  let input: ConvLayout['input'];
  if (inputBlocked === runsBlocked) input = 'as is';
  else if (!runsBlocked) input = { copy: 'nhwc' };
  else if (channels === 1) input = 'planar';
  else input = { copy: channels % CHANNEL_BLOCK === 0 ? 'blocked' : 'nchw' };
  const inBlocks = input === 'as is' ? runsBlocked : typeof input === 'object' && input.copy === 'blocked';
  return { blocked: runsBlocked, input, winograd: inBlocks && runsBlocked && winogradFits(node) };
}
