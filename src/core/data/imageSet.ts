/**
 * A set of equally sized images with pixels in [0,1], stored in one contiguous array (image after image,
 * each row-major, a pixel's channels side by side), which is the layout TensorFlow.js tensors take without
 * copying. Gray unless `channels` says otherwise (colour training patches have 3).
 */
export interface ImageSet {
  readonly pixels: Float32Array;
  readonly count: number;
  readonly height: number;
  readonly width: number;
  /** Values per pixel; absent means 1 (gray). */
  readonly channels?: number;
  /** Class labels (e.g. the digit), when the source has them; used to judge readability. */
  readonly labels?: Uint8Array;
}

/** The three splits an experiment uses. */
export interface DatasetSplits {
  /** Human-readable description of where the images came from, e.g. "MNIST". */
  readonly name: string;
  readonly train: ImageSet;
  readonly val: ImageSet;
  readonly test: ImageSet;
}

/** Values per image: height x width x channels. */
export function pixelsPerImage(set: Pick<ImageSet, 'height' | 'width' | 'channels'>): number {
  return set.height * set.width * (set.channels ?? 1);
}

/** The shape fields of a set, for building another set like it. */
function shapeOf(set: ImageSet) {
  const { height, width, channels } = set;
  return channels === undefined ? { height, width } : { height, width, channels };
}

/** The images at the given indices, copied into a new contiguous set (labels follow). */
export function selectImages(set: ImageSet, indices: ArrayLike<number>): ImageSet {
  const size = pixelsPerImage(set);
  const pixels = new Float32Array(indices.length * size);
  const labels = set.labels ? new Uint8Array(indices.length) : undefined;
  for (let i = 0; i < indices.length; i++) {
    const src = indices[i];
    if (src < 0 || src >= set.count) throw new RangeError(`image index ${src} is outside 0..${set.count - 1}`);
    pixels.set(set.pixels.subarray(src * size, (src + 1) * size), i * size);
    if (labels && set.labels) labels[i] = set.labels[src];
  }
  return { pixels, count: indices.length, ...shapeOf(set), labels };
}

/** The first n images, sharing memory with the original (no copy). */
export function firstImages(set: ImageSet, n: number): ImageSet {
  const count = Math.min(n, set.count);
  const size = pixelsPerImage(set);
  return {
    pixels: set.pixels.subarray(0, count * size),
    count,
    ...shapeOf(set),
    labels: set.labels?.subarray(0, count),
  };
}

/** A copy of the set with different pixels of the same shape (e.g. its noisy version). */
export function withPixels(set: ImageSet, pixels: Float32Array): ImageSet {
  if (pixels.length !== set.pixels.length) {
    throw new RangeError(`expected ${set.pixels.length} pixels, got ${pixels.length}`);
  }
  return { pixels, count: set.count, ...shapeOf(set), labels: set.labels };
}
