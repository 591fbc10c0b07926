import type { SeededRandom } from '../random/seededRandom';
import { DatasetError } from './datasetError';
import type { RealImage } from './realImage';

/**
 * Where (u, v) of a side x side patch reads from within its square, for each of the eight flips and
 * rotations (the dihedral group the denoising literature augments with): mode & 4 mirrors left-right, then
 * mode & 3 quarter turns.
 */
function sourceOffset(u: number, v: number, side: number, mode: number): [number, number] {
  let y = u;
  let x = mode & 4 ? side - 1 - v : v;
  for (let k = 0; k < (mode & 3); k++) {
    const t = y;
    y = x;
    x = side - 1 - t;
  }
  return [y, x];
}

/** Copies the side x side square at (top, left) of `image`, turned by `mode` (0-7), into `out` at `offset`. */
export function cutPatch(
  image: RealImage,
  top: number,
  left: number,
  side: number,
  mode: number,
  out: Float32Array,
  offset: number,
): void {
  const { width, channels, pixels } = image;
  let o = offset;
  for (let u = 0; u < side; u++) {
    for (let v = 0; v < side; v++) {
      const [y, x] = mode === 0 ? [u, v] : sourceOffset(u, v, side, mode);
      const from = ((top + y) * width + left + x) * channels;
      for (let c = 0; c < channels; c++) out[o++] = pixels[from + c];
    }
  }
}

/**
 * Random square patches of the training images. An image is picked with a probability proportional to its
 * number of patch positions, so every position of every image is equally likely, as when the literature
 * cuts patches on a dense grid; its position and (with augment) one of the eight orientations are uniform.
 */
export class PatchSampler {
  private readonly cumulative: Float64Array;
  readonly channels: number;

  get imageCount(): number {
    return this.images.length;
  }

  constructor(
    private readonly images: readonly RealImage[],
    readonly side: number,
    private readonly augment: boolean,
  ) {
    if (images.length === 0) throw new DatasetError('no training images to cut patches from');
    const small = images.find((im) => im.height < side || im.width < side);
    if (small) {
      throw new DatasetError(
        `${small.name}: ${small.width}x${small.height} is smaller than training.patchSize ${side}; lower ` +
          'training.patchSize or remove the image from dataset.trainFolder',
      );
    }
    this.channels = images[0].channels;
    this.cumulative = new Float64Array(images.length);
    let total = 0;
    images.forEach((im, i) => {
      total += (im.height - side + 1) * (im.width - side + 1);
      this.cumulative[i] = total;
    });
  }

  /** Values of one patch: side x side x channels. */
  get patchValues(): number {
    return this.side * this.side * this.channels;
  }

  /** Cuts one patch into `out` at `offset`, drawing image, position and orientation from `rng`. */
  sample(rng: SeededRandom, out: Float32Array, offset: number): void {
    const total = this.cumulative[this.cumulative.length - 1];
    const pick = rng.next() * total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid] > pick) hi = mid;
      else lo = mid + 1;
    }
    const image = this.images[lo];
    const top = rng.nextInt(image.height - this.side + 1);
    const left = rng.nextInt(image.width - this.side + 1);
    const mode = this.augment ? rng.nextInt(8) : 0;
    cutPatch(image, top, left, this.side, mode, out, offset);
  }
}
