/**
 * One photograph at its own size: pixels in [0,1] (before noise), row-major with the channels of a pixel
 * side by side (HWC, the layout TensorFlow.js's NHWC tensors take without copying). `name` is the file's
 * path relative to its folder: per-image tables use it, and the test noise of an image is seeded by it.
 */
export interface RealImage {
  readonly name: string;
  readonly pixels: Float32Array;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

/** The images of an imageFolder experiment, each split a list of whole images of any size. */
export interface RealImageSplits {
  /** Where they came from, for logs and summaries, e.g. "image folders train400 (400) / bsd68 (68)". */
  readonly name: string;
  readonly channels: number;
  readonly train: readonly RealImage[];
  readonly val: readonly RealImage[];
  readonly test: readonly RealImage[];
}

/** A copy of the image with other pixels of the same shape (its noisy or denoised version). */
export function withImagePixels(image: RealImage, pixels: Float32Array): RealImage {
  if (pixels.length !== image.pixels.length) {
    throw new RangeError(`${image.name}: expected ${image.pixels.length} values, got ${pixels.length}`);
  }
  return { ...image, pixels };
}
