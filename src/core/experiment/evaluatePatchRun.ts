import type { ExperimentConfig } from '../config/experimentConfig.generated';
import { loadImageFolder } from '../data/loadImageFolder';
import { InputError } from '../errors/inputError';
import { meanQuality, realImageQuality } from '../metrics/realImageMetrics';
import { loadDenoiser } from '../models/modelStorage';
import { WholeImagePredictor } from '../models/wholeImagePredictor';
import { noisyImage } from '../noise/imageNoise';
import { runFile } from '../runs/runFiles';
import type { QualityMetrics } from '../training/events';

export interface PatchRunEvaluation {
  readonly denoised: QualityMetrics;
  readonly noisyInput: QualityMetrics;
  /** Where the whole-image passes ran (the oneDNN plan, or TensorFlow.js and why). */
  readonly inference: string;
}

/**
 * A patch-trained run's saved model measured again on its whole test images, as the run measured them at its
 * end: the same folders and split, the same fixed test noise (per image and seed), per-image PSNR and SSIM
 * averaged over images. The model was saved at the patch size; whole images of any size go through
 * WholeImagePredictor. Paths in the run's config were resolved when it ran, so `baseDir` only matters for
 * relative ones.
 */
export async function evaluatePatchRun(
  runDir: string,
  config: ExperimentConfig,
  baseDir: string,
): Promise<PatchRunEvaluation> {
  const splits = await loadImageFolder(config.dataset, baseDir);
  const side = config.training.patchSize;
  let denoiser;
  try {
    denoiser = await loadDenoiser(runFile(runDir, 'model'), config.model, {
      height: side,
      width: side,
      channels: splits.channels,
    });
  } catch (err) {
    throw new InputError((err as Error).message);
  }
  const predictor = new WholeImagePredictor(denoiser, config.model);
  try {
    const clean = splits.test.slice(0, config.evaluation.maxImages);
    if (!clean.length) throw new InputError(`${runDir}: its dataset has no test images`);
    const rows = clean.map((im) => {
      const noisy = noisyImage(im, config.noise, 'test');
      return { noisy: realImageQuality(im, noisy.pixels), model: realImageQuality(im, predictor.predict(noisy)) };
    });
    return {
      denoised: { ...meanQuality(rows.map((r) => r.model)), count: rows.length },
      noisyInput: { ...meanQuality(rows.map((r) => r.noisy)), count: rows.length },
      inference: predictor.describe(),
    };
  } finally {
    predictor.dispose();
    denoiser.model.dispose();
  }
}
