import type { ImageSamples } from '../data/decodeImageFile';
import { mirrorIndex } from '../models/wholeImagePredictor';
import { channelMeans, scaleAroundMean, type NoiseLevelHint } from './noiseLevelHint';
import type { TiledImage } from './tiles';

type Samples = Uint8Array | Uint16Array;

/**
 * A file's samples as predictTiled's image, denoised in place: the result of a band of tiles is held as
 * samples until the band ends, then written over the input's rows, keeping a copy of the input rows later
 * windows still read (their overlap). So a file costs its own samples once, plus a band and a few rows:
 * 100 MB for a 100-megapixel 8-bit gray photograph where floats in and out took 800. The noise-level hint
 * (noiseLevelHint.ts) scales each window around the image's channel means, and each result back.
 */
export class SampleTiles implements TiledImage {
  readonly name: string;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  private readonly samples: Samples;
  private readonly max: number;
  private readonly rowLength: number;
  /** Input rows already overwritten by results, kept for the windows that still read them. */
  private readonly keptInput = new Map<number, Samples>();
  /** The current band's results, from row bandStart on. */
  private band: Samples;
  private bandStart = 0;
  private readonly hint?: { readonly scale: number; readonly means: readonly number[] };

  constructor(image: ImageSamples, hint?: NoiseLevelHint) {
    ({ name: this.name, height: this.height, width: this.width, channels: this.channels } = image);
    this.samples = image.samples;
    this.max = image.samples instanceof Uint16Array ? 65535 : 255;
    this.rowLength = image.width * image.channels;
    this.band = this.rows(0);
    if (hint && hint.scale !== 1)
      this.hint = { scale: hint.scale, means: channelMeans(image.samples, image.channels, this.max) };
  }

  /** The image's samples: its input before predictTiled, the denoised result after. */
  get result(): ImageSamples {
    const { name, height, width, channels, samples } = this;
    return { name, height, width, channels: channels as 1 | 3, samples };
  }

  window(y0: number, y1: number, x0: number, x1: number): Float32Array {
    const { channels, max } = this;
    const w = x1 - x0;
    const out = new Float32Array((y1 - y0) * w * channels);
    for (let y = y0; y < y1; y++) {
      const row = this.inputRow(mirrorIndex(y, this.height));
      let at = (y - y0) * w * channels;
      if (x1 <= this.width) {
        for (let i = x0 * channels; i < x1 * channels; i++) out[at++] = row[i] / max;
        continue;
      }
      for (let x = x0; x < x1; x++) {
        const from = mirrorIndex(x, this.width) * channels;
        for (let c = 0; c < channels; c++) out[at++] = row[from + c] / max;
      }
    }
    if (this.hint) scaleAroundMean(out, channels, this.hint.scale, this.hint.means);
    return out;
  }

  keep(y: number, x: number, values: Float32Array, from: number, count: number): void {
    const { channels, max } = this;
    const needed = (y - this.bandStart + 1) * this.rowLength;
    if (this.band.length < needed) {
      const grown = this.rows(Math.max(y - this.bandStart + 1, 2 * (this.band.length / this.rowLength)));
      grown.set(this.band);
      this.band = grown;
    }
    const to = (y - this.bandStart) * this.rowLength + x * channels;
    const part = values.subarray(from * channels, (from + count) * channels);
    if (this.hint) scaleAroundMean(part, channels, 1 / this.hint.scale, this.hint.means);
    for (let i = 0; i < part.length; i++) {
      const v = part[i];
      // Written so that NaN fails both comparisons and lands on 0, as the PNG writer does.
      this.band[to + i] = v > 0 ? (v < 1 ? Math.round(v * max) : max) : 0;
    }
  }

  endBand(y0: number, y1: number, stillRead: number): void {
    for (const row of this.keptInput.keys()) if (row < stillRead) this.keptInput.delete(row);
    for (let y = Math.max(y0, stillRead); y < y1; y++) {
      const copy = this.rows(1);
      copy.set(this.inputRow(y));
      this.keptInput.set(y, copy);
    }
    const length = this.rowLength;
    this.samples.set(this.band.subarray((y0 - this.bandStart) * length, (y1 - this.bandStart) * length), y0 * length);
    this.bandStart = y1;
  }

  private inputRow(y: number): Samples {
    return this.keptInput.get(y) ?? this.samples.subarray(y * this.rowLength, (y + 1) * this.rowLength);
  }

  private rows(count: number): Samples {
    const length = count * this.rowLength;
    return this.samples instanceof Uint16Array ? new Uint16Array(length) : new Uint8Array(length);
  }
}
