import type { Noise } from '../config/experimentConfig.generated';
import { BASELINES, type BaselineName } from '../baselines/baselines';
import { filterImage, nlmStrength } from '../baselines/imageBaselines';
import type { RealImage } from '../data/realImage';
import { describeNoise } from '../noise/describeNoise';
import { meanQuality, realImageQuality, type ImageQuality } from './realImageMetrics';

/** One test image's figures: the noisy input, the model, and each classical baseline on the same noisy input. */
export interface PerImageRow {
  readonly name: string;
  readonly width: number;
  readonly height: number;
  readonly noisyInput: ImageQuality;
  readonly model: ImageQuality;
  readonly baselines: Readonly<Record<string, ImageQuality>>;
}

/**
 * How the figures were made, written into every summary so two runs can be compared honestly: the noise, its
 * seed, whether the noisy input was clipped and quantized, and how PSNR and SSIM were computed.
 */
export interface TestProtocol {
  readonly noise: string;
  /** σ on the 0-255 scale of the test noise, when it is one Gaussian step. */
  readonly sigma255?: number;
  readonly noiseSeed: number;
  readonly noisyInputClipped: boolean;
  readonly noisyInputQuantized: boolean;
  readonly channels: number;
  readonly psnr: string;
  readonly ssim: string;
  readonly images: number;
}

/**
 * What summary.json adds for an image-folder run. Kept beside RunSummary rather than in it while the
 * trainer-to-extension protocol (src/protocol) does not carry these fields; its schema lets them through.
 */
export interface PerImageSummaryFields {
  /** How the test figures were made (noise, seed, clipping, quantization, metric definitions). */
  readonly testProtocol?: TestProtocol;
  /** PSNR and SSIM of every test image: noisy, denoised and by each baseline. */
  readonly testImages?: readonly PerImageRow[];
}

export interface RealImageEvaluation {
  readonly protocol: TestProtocol;
  /** Mean over test images of each method's per-image PSNR and SSIM (noisyInput, model, then baselines). */
  readonly mean: Readonly<Record<string, ImageQuality>>;
  readonly images: readonly PerImageRow[];
  /** Seconds each method took over all images (denoising or filtering, then scoring). */
  readonly seconds: Readonly<Record<string, number>>;
  /** Non-local means' h when it was set from the noise's σ. */
  readonly nlmStrength?: number;
}

export function testProtocol(noise: Noise, channels: number, images: number): TestProtocol {
  const only = noise.steps.length === 1 ? noise.steps[0] : undefined;
  const sigma255 =
    only?.type === 'gaussian255' ? only.sigma : only?.type === 'gaussian' ? Math.sqrt(only.variance) * 255 : undefined;
  const colour = channels === 3;
  return {
    noise: describeNoise(noise),
    ...(sigma255 === undefined ? {} : { sigma255 }),
    noiseSeed: noise.seed,
    noisyInputClipped: noise.clip,
    noisyInputQuantized: noise.quantize,
    channels,
    psnr:
      'per image, data range 1 on [0,1] values, outputs clipped to [0,1] and not quantized' +
      `${colour ? ', squared error over RGB' : ''}; then the mean over images`,
    ssim:
      'per image as scikit-image (Gaussian window σ 1.5, data range 1)' +
      `${colour ? ', mean of the R, G and B channels' : ''}; then the mean over images`,
    images,
  };
}

/**
 * Scores the model and each baseline on every test image (clean, its fixed noisy version, the model's
 * output), image by image, then averages per method.
 */
export function evaluateRealImages(
  clean: readonly RealImage[],
  noisy: readonly RealImage[],
  denoise: (image: RealImage) => Float32Array,
  baselines: readonly BaselineName[],
  noise: Noise,
): RealImageEvaluation {
  const seconds: Record<string, number> = { noisyInput: 0, model: 0 };
  const timed = <T>(method: string, work: () => T): T => {
    const started = performance.now();
    const result = work();
    seconds[method] = (seconds[method] ?? 0) + (performance.now() - started) / 1000;
    return result;
  };
  const protocol = testProtocol(noise, clean[0]?.channels ?? 1, clean.length);
  const images: PerImageRow[] = clean.map((reference, i) => {
    const input = noisy[i];
    const byBaseline: Record<string, ImageQuality> = {};
    for (const name of baselines) {
      byBaseline[name] = timed(name, () => realImageQuality(reference, filterImage(name, input, protocol.sigma255)));
    }
    return {
      name: reference.name,
      width: reference.width,
      height: reference.height,
      noisyInput: timed('noisyInput', () => realImageQuality(reference, input.pixels)),
      model: timed('model', () => realImageQuality(reference, denoise(input))),
      baselines: byBaseline,
    };
  });
  const mean: Record<string, ImageQuality> = {
    noisyInput: meanQuality(images.map((r) => r.noisyInput)),
    model: meanQuality(images.map((r) => r.model)),
  };
  for (const name of baselines) mean[name] = meanQuality(images.map((r) => r.baselines[name]));
  return {
    protocol,
    mean,
    images,
    seconds,
    ...(protocol.sigma255 ? { nlmStrength: nlmStrength(protocol.sigma255) } : {}),
  };
}

/** The label of a method in tables; non-local means with the h it was given from σ. */
export function methodLabel(method: string, nlmH?: number): string {
  if (method === 'noisyInput') return 'noisy input';
  if (method === 'model') return 'model';
  if (method === 'nlm' && nlmH !== undefined)
    return `non-local means (3x3 patches, 7x7 search, h ${Number(nlmH.toFixed(4))} = 1.5σ)`;
  return BASELINES[method as BaselineName]?.label ?? method;
}
