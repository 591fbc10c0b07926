import type { ExperimentConfig } from '../config/experimentConfig.generated';
import { InputError } from '../errors/inputError';

/** The Gaussian noise a model was trained on, on the 0-255 scale: one σ, or a blind range. */
export type TrainedNoiseLevel =
  | { readonly kind: 'sigma'; readonly sigma: number }
  | { readonly kind: 'blind'; readonly min: number; readonly max: number };

/** How `denoise apply --sigma S` treats the input: the contrast factor k and what the CLI says of it. */
export interface NoiseLevelHint {
  /** The input is scaled by k around its mean before the model and by 1/k after (1: unchanged). */
  readonly scale: number;
  readonly note: string;
}

/**
 * The σ the run trained at, when its noise was a single Gaussian step (gaussian's variance or gaussian255's
 * sigma; blind gaussian255 gives its range), else undefined: other noises have no σ to match.
 */
export function trainedNoiseLevel(config: Pick<ExperimentConfig, 'noise'>): TrainedNoiseLevel | undefined {
  const steps = config.noise.steps;
  if (steps.length !== 1) return undefined;
  const [step] = steps;
  if (step.type === 'gaussian' && step.mean === 0) return { kind: 'sigma', sigma: Math.sqrt(step.variance) * 255 };
  if (step.type !== 'gaussian255') return undefined;
  return step.blind ? { kind: 'blind', min: step.sigmaMin, max: step.sigmaMax } : { kind: 'sigma', sigma: step.sigma };
}

/** Whether `sigma` is a noise level the hint takes: above 0, at most 255 (the 0-255 scale). */
export function onSigmaScale(sigma: number): boolean {
  return sigma > 0 && sigma <= 255;
}

/**
 * The hint for input of noise level `sigma` (0-255 scale). A model trained at one σ_train sees the input
 * scaled by σ_train/σ around its mean, so its noise has the σ the model knows, and the output is scaled
 * back: Gaussian noise scales with the image, the picture's contrast returns unchanged. A model trained
 * blind over [min, max] needs no hint inside its range; outside it the input is scaled to the nearest end.
 * Models trained on other noise, or on images that were noisy already (Noise2Void without noise steps),
 * have no σ to match and refuse the hint.
 */
export function noiseLevelHint(config: Pick<ExperimentConfig, 'noise'>, sigma: number): NoiseLevelHint {
  if (!onSigmaScale(sigma)) throw new InputError(`--sigma ${sigma}: give the input's σ on the 0-255 scale, above 0`);
  const trained = trainedNoiseLevel(config);
  if (!trained) {
    throw new InputError(
      `--sigma needs a model trained on one Gaussian noise step; this run's noise is ` +
        `${config.noise.steps.map((s) => s.type).join(' + ') || 'none (its images were noisy already)'}, ` +
        'so there is no σ to match: apply it without --sigma',
    );
  }
  const round = (x: number) => +x.toFixed(2);
  if (trained.kind === 'blind') {
    if (sigma >= trained.min && sigma <= trained.max) {
      return {
        scale: 1,
        note: `σ ${sigma}: inside the model's blind range ${trained.min}-${trained.max}, input unchanged`,
      };
    }
    const nearest = sigma < trained.min ? trained.min : trained.max;
    return {
      scale: nearest / sigma,
      note: `σ ${sigma}: outside the model's blind range ${trained.min}-${trained.max}; input scaled by ${round(nearest / sigma)} around its mean to σ ${nearest}, and back`,
    };
  }
  const scale = trained.sigma / sigma;
  if (scale === 1) return { scale, note: `σ ${sigma}: the σ the model was trained at, input unchanged` };
  return {
    scale,
    note: `σ ${sigma}: the model was trained at σ ${round(trained.sigma)}; input scaled by ${round(scale)} around its mean, and back`,
  };
}

/**
 * Scales pixels (channels last) by k around each channel's mean, in place: the forward step of the hint with
 * k, the way back with 1/k and the same means.
 */
export function scaleAroundMean(pixels: Float32Array, channels: number, k: number, means: readonly number[]): void {
  for (let i = 0; i < pixels.length; i++) {
    const m = means[i % channels];
    pixels[i] = m + k * (pixels[i] - m);
  }
}

/** Each channel's mean over the image, divided by `max` (255 or 65535 for a file's samples, 1 for floats). */
export function channelMeans(values: ArrayLike<number>, channels: number, max = 1): number[] {
  const sums = new Array<number>(channels).fill(0);
  for (let i = 0; i < values.length; i++) sums[i % channels] += values[i];
  return sums.map((s) => (s * channels) / values.length / max);
}
