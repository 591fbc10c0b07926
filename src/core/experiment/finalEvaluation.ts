import type { ExperimentConfig } from '../config/experimentConfig.generated';
import { applyBaseline, BASELINES } from '../baselines/baselines';
import { firstImages, withPixels, type ImageSet } from '../data/imageSet';
import { predictImages } from '../evaluation/predictImages';
import { imageMetrics } from '../metrics/imageMetrics';
import type { Denoiser } from '../models/denoiser';
import { hysteresisThreshold } from '../postprocess/hysteresis';
import { digitClassifierDir, readability } from '../readability/digitClassifier';
import type { ComparisonRow, SplitResult, TestReadability } from '../runs/runSummary';
import type { NoisyData } from './trainingPairs';

function evaluateSplit(
  denoiser: Denoiser,
  clean: ImageSet,
  noisy: ImageSet,
  withClean: boolean,
  max: number,
): SplitResult {
  const c = firstImages(clean, max);
  const n = firstImages(noisy, max);
  return {
    denoised: imageMetrics(c, predictImages(denoiser, n)),
    noisyInput: imageMetrics(c, n),
    ...(withClean ? { cleanReconstruction: imageMetrics(c, predictImages(denoiser, c)) } : {}),
  };
}

/**
 * MSE, PSNR and SSIM of the denoised images on every split, next to the same figures for the noisy
 * input itself: the baseline any denoiser has to beat.
 */
export function evaluateAllSplits(denoiser: Denoiser, data: NoisyData, config: ExperimentConfig) {
  const max = config.evaluation.maxImages;
  const withClean = config.training.input === 'clean';
  return {
    train: evaluateSplit(denoiser, data.clean.train, data.noisyTrain(), withClean, max),
    val: evaluateSplit(denoiser, data.clean.val, data.noisy.val, withClean, max),
    test: evaluateSplit(denoiser, data.clean.test, data.noisy.test, withClean, max),
  };
}

/** Readability of a set, or undefined when readability is off or the set has no digit labels. */
async function readabilityIf(enabled: boolean, set: ImageSet): Promise<number | undefined> {
  return enabled ? readability(set) : undefined;
}

/**
 * The test split seen every way a comparison needs it: readability of the clean, noisy and denoised digits,
 * and one row per method on the same noisy inputs (the noisy input itself, the model, the model with
 * post-processing, then each classical baseline the config asks for).
 */
export async function compareOnTest(
  denoiser: Denoiser,
  data: NoisyData,
  config: ExperimentConfig,
): Promise<{ readability?: TestReadability; rows: ComparisonRow[] }> {
  const max = config.evaluation.maxImages;
  const clean = firstImages(data.clean.test, max);
  const noisy = firstImages(data.noisy.test, max);
  const denoised = predictImages(denoiser, noisy);
  // Readability needs digit labels, 28x28 images and the shipped classifier (absent only in a broken install).
  const scoring =
    config.evaluation.readability !== false &&
    clean.labels !== undefined &&
    clean.height === 28 &&
    clean.width === 28 &&
    digitClassifierDir() !== undefined;
  const row = async (method: string, label: string, images: ImageSet): Promise<ComparisonRow> => {
    const started = Date.now();
    const metrics = imageMetrics(clean, images);
    const score = await readabilityIf(scoring, images);
    return {
      method,
      label,
      ...metrics,
      ...(score === undefined ? {} : { readability: score }),
      seconds: (Date.now() - started) / 1000,
    };
  };
  const rows: ComparisonRow[] = [await row('noisyInput', 'noisy input', noisy), await row('model', 'model', denoised)];
  const post = config.evaluation.postprocess;
  if (post?.type === 'hysteresis') {
    const low = post.low ?? 0.3;
    const high = post.high ?? 0.6;
    rows.push(
      await row(
        'hysteresis',
        `model + hysteresis (${low}, ${high})`,
        withPixels(denoised, hysteresisThreshold(denoised, low, high)),
      ),
    );
  }
  for (const name of config.evaluation.baselines ?? []) {
    const started = Date.now();
    const filtered = applyBaseline(name, noisy);
    const filterSeconds = (Date.now() - started) / 1000;
    const r = await row(name, BASELINES[name].label, filtered);
    rows.push({ ...r, seconds: r.seconds + filterSeconds });
  }
  const cleanScore = await readabilityIf(scoring, clean);
  const readabilityResult =
    cleanScore === undefined
      ? undefined
      : { clean: cleanScore, noisyInput: rows[0].readability ?? 0, denoised: rows[1].readability ?? 0 };
  return { readability: readabilityResult, rows };
}
