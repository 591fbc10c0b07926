import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { ImageInference } from '../engine/plan/imageInference';
import { engineBlas } from '../engine/selectEngine';
import type { Model } from '../config/experimentConfig.generated';
import type { RealImage } from '../data/realImage';
import { buildDenoiser } from './buildDenoiser';
import type { Denoiser } from './denoiser';

/** The multiple image sides must be for the model's down-sampling stages (1 for DnCNN). */
export function sideMultiple(model: Model): number {
  if (model.type === 'unet') return 2 ** model.levels;
  if (model.type === 'conv') return 2 ** model.filters.length;
  return 1;
}

/** Where index i of a side of n lies when the side is mirrored past its end (numpy's 'symmetric' padding). */
export function mirrorIndex(i: number, n: number): number {
  const period = 2 * n;
  const m = i % period;
  return m < n ? m : period - 1 - m;
}

/**
 * `image` mirrored past its bottom and right edges (like numpy's 'symmetric' padding) to height x width, so
 * that the added border continues the picture instead of a black frame the model never saw in training.
 */
export function padSymmetric(image: RealImage, height: number, width: number): Float32Array {
  const { channels } = image;
  const out = new Float32Array(height * width * channels);
  const mirror = mirrorIndex;
  for (let y = 0; y < height; y++) {
    const sy = mirror(y, image.height);
    for (let x = 0; x < width; x++) {
      const from = (sy * image.width + mirror(x, image.width)) * channels;
      for (let c = 0; c < channels; c++) out[(y * width + x) * channels + c] = image.pixels[from + c];
    }
  }
  return out;
}

/** The top-left height x width (x channels) of an image `fullWidth` wide. */
function cropTopLeft(
  pixels: Float32Array,
  fullWidth: number,
  height: number,
  width: number,
  channels: number,
): Float32Array {
  const out = new Float32Array(height * width * channels);
  for (let y = 0; y < height; y++) {
    out.set(pixels.subarray(y * fullWidth * channels, (y * fullWidth + width) * channels), y * width * channels);
  }
  return out;
}

/** Where whole-image inference runs: not yet decided (first image), the oneDNN plan, or TensorFlow.js and why. */
type Path = { kind: 'undecided' } | { kind: 'plan'; inference: ImageInference } | { kind: 'tfjs'; reason: string };

/**
 * Runs a model trained on patches over whole images of any size. The forward pass runs on the oneDNN plan
 * (engine/plan/imageInference.ts: re-planned per image size, memory reused) where oneDNN is installed and the
 * model lowers; otherwise, TensorFlow.js layer models having a fixed input size, each image size gets a copy
 * of the network built for it (kept for the next image of that size) that takes the trained weights, batch
 * norm statistics included, before every use. Either way the weights are the trained model's at each call.
 * Sides the model's pooling cannot take (a U-Net with 3 levels needs multiples of 8) are padded symmetrically
 * and the output cropped back.
 */
export class WholeImagePredictor {
  private readonly bySize = new Map<string, Denoiser>();
  private readonly multiple: number;
  private path: Path = { kind: 'undecided' };

  constructor(
    private readonly trained: Denoiser,
    private readonly config: Model,
    /** oneDNN threads; 0: the wasm-blas engine's, else every core. */
    private readonly threads = 0,
  ) {
    this.multiple = sideMultiple(config);
  }

  /** Where the forward passes run, for logs and the apply summary (decided on first use). */
  describe(): string {
    const path = this.decide();
    return path.kind === 'plan' ? path.inference.description : `TensorFlow.js model.predict (${path.reason})`;
  }

  /**
   * Bytes of activations per pixel on the oneDNN plan (probed on a 128x128 image), or undefined on TensorFlow.js,
   * whose memory the caller estimates itself.
   */
  planBytesPerPixel(): number | undefined {
    const path = this.decide();
    if (path.kind !== 'plan') return undefined;
    const side = Math.ceil(128 / this.multiple) * this.multiple;
    return path.inference.activationBytesPerPixel(side, side);
  }

  /** The denoised image, values clipped to [0,1] like every model output that is evaluated. */
  predict(image: RealImage): Float32Array {
    const height = Math.ceil(image.height / this.multiple) * this.multiple;
    const width = Math.ceil(image.width / this.multiple) * this.multiple;
    const padded = height === image.height && width === image.width ? image.pixels : padSymmetric(image, height, width);
    const output = this.forward(padded, height, width, image.channels);
    return padded === image.pixels ? output : cropTopLeft(output, width, image.height, image.width, image.channels);
  }

  /** The clipped output of one padded image, in a new array. */
  private forward(padded: Float32Array, height: number, width: number, channels: number): Float32Array {
    const path = this.decide();
    if (path.kind === 'plan') {
      try {
        const raw = path.inference.run(padded, height, width);
        const out = new Float32Array(raw.length);
        for (let i = 0; i < raw.length; i++) out[i] = raw[i] < 0 ? 0 : raw[i] > 1 ? 1 : raw[i];
        return out;
      } catch (err) {
        // oneDNN refused a primitive for this size: TensorFlow.js computes the same function.
        path.inference.dispose();
        this.path = { kind: 'tfjs', reason: `the oneDNN plan failed: ${(err as Error).message}` };
      }
    }
    const net = this.networkFor(height, width, channels);
    return tf.tidy(() => net.predict(tf.tensor2d(padded, [1, padded.length])).dataSync() as Float32Array);
  }

  private decide(): Exclude<Path, { kind: 'undecided' }> {
    if (this.path.kind === 'undecided') {
      const threads = this.threads || engineBlas()?.threads || os.availableParallelism();
      const channels = this.trained.channels;
      const inference = ImageInference.create(
        this.trained.model,
        (height, width) => buildDenoiser(this.config, { height, width, channels }, 0).model,
        threads,
      );
      this.path = typeof inference === 'string' ? { kind: 'tfjs', reason: inference } : { kind: 'plan', inference };
    }
    return this.path;
  }

  private networkFor(height: number, width: number, channels: number): Denoiser {
    const key = `${height}x${width}x${channels}`;
    let net = this.bySize.get(key);
    if (!net) {
      net = buildDenoiser(this.config, { height, width, channels }, 0);
      this.bySize.set(key, net);
    }
    // The trained model is the one that learns: take its weights (and batch-norm statistics) every time.
    net.model.setWeights(this.trained.model.getWeights());
    return net;
  }

  dispose(): void {
    if (this.path.kind === 'plan') this.path.inference.dispose();
    this.path = { kind: 'undecided' };
    for (const net of this.bySize.values()) net.model.dispose();
    this.bySize.clear();
  }
}
