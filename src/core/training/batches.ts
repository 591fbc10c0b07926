import { SeededRandom } from '../random/seededRandom';

/**
 * Yields the image indices of each batch of one epoch in a seeded shuffled order, and copies those
 * images into one reused buffer: a batch costs one copy of its own rows, never a copy of the dataset.
 */
export class BatchPlan {
  readonly batchesPerEpoch: number;

  constructor(
    readonly count: number,
    readonly batchSize: number,
    private readonly seed: number,
  ) {
    this.batchesPerEpoch = Math.ceil(count / batchSize);
  }

  /** The shuffled order of one epoch; the same seed and epoch give the same order on every machine. */
  order(epoch: number): Uint32Array {
    return SeededRandom.derive(this.seed, `batches/${epoch}`).permutation(this.count);
  }

  /** Indices of batch b (the last batch may be smaller). */
  batchIndices(order: Uint32Array, b: number): Uint32Array {
    return order.subarray(b * this.batchSize, Math.min(this.count, (b + 1) * this.batchSize));
  }
}

/** Copies the rows named by `indices` from `source` into the start of `into` (rowSize floats each). */
export function gatherRows(
  source: Float32Array,
  rowSize: number,
  indices: Uint32Array,
  into: Float32Array,
): Float32Array {
  for (let i = 0; i < indices.length; i++) {
    const start = indices[i] * rowSize;
    into.set(source.subarray(start, start + rowSize), i * rowSize);
  }
  return into.subarray(0, indices.length * rowSize);
}
