import type { ExperimentConfig } from '../config/experimentConfig.generated';
import type { RealImage } from '../data/realImage';
import { loadImageFolder } from '../data/loadImageFolder';
import { InputError } from '../errors/inputError';
import { meanQuality, realImageQuality } from '../metrics/realImageMetrics';
import { loadDenoiser } from '../models/modelStorage';
import { WholeImagePredictor } from '../models/wholeImagePredictor';
import { noisyImage } from '../noise/imageNoise';
import { readRunConfig } from '../runs/listRuns';
import { runFile } from '../runs/runFiles';
import type { QualityMetrics } from '../training/events';

export interface PatchRunEvaluation {
  readonly denoised: QualityMetrics;
  readonly noisyInput: QualityMetrics;
  /** Where the whole-image passes ran (the oneDNN plan, or TensorFlow.js and why). */
  readonly inference: string;
}

/** A run's saved model (patch-trained: its config's patch size), for whole images of `channels` channels. */
async function loadRunPredictor(modelRun: string, config: ExperimentConfig, channels: number) {
  const side = config.training.patchSize;
  try {
    const denoiser = await loadDenoiser(runFile(modelRun, 'model'), config.model, {
      height: side,
      width: side,
      channels,
    });
    return { denoiser, predictor: new WholeImagePredictor(denoiser, config.model) };
  } catch (err) {
    throw new InputError((err as Error).message);
  }
}

/** Channel c of an HWC image as a gray image. */
function channelOf(image: RealImage, c: number): RealImage {
  const pixels = new Float32Array(image.height * image.width);
  for (let i = 0; i < pixels.length; i++) pixels[i] = image.pixels[i * image.channels + c];
  return { ...image, pixels, channels: 1 };
}

/**
 * A patch-trained run's saved model measured again on its whole test images, as the run measured them at its
 * end: the same folders and split, the same fixed test noise (per image and seed), per-image PSNR and SSIM
 * averaged over images. The model was saved at the patch size; whole images of any size go through
 * WholeImagePredictor. Paths in the run's config were resolved when it ran, so `baseDir` only matters for
 * relative ones. With `grayModel` (another run's folder), a colour run's test images are denoised by that gray
 * model one channel at a time instead: what a colour model has to beat.
 */
export async function evaluatePatchRun(
  runDir: string,
  config: ExperimentConfig,
  baseDir: string,
  grayModel?: string,
): Promise<PatchRunEvaluation> {
  const splits = await loadImageFolder(config.dataset, baseDir);
  let modelRun = runDir;
  let modelConfig = config;
  if (grayModel) {
    const gray = readRunConfig(grayModel);
    if (!gray) throw new InputError(`${grayModel} is not a Denoise Lab run folder (no readable config.json)`);
    if ((gray.dataset.channels ?? 1) !== 1 || splits.channels !== 3)
      throw new InputError(
        `a gray model per channel needs a gray model (${grayModel} takes ${gray.dataset.channels ?? 1} channels) ` +
          `and a colour run (${runDir} takes ${splits.channels})`,
      );
    [modelRun, modelConfig] = [grayModel, gray];
  }
  const { denoiser, predictor } = await loadRunPredictor(modelRun, modelConfig, grayModel ? 1 : splits.channels);
  const denoise = (noisy: RealImage): Float32Array => {
    if (!grayModel) return predictor.predict(noisy);
    const out = new Float32Array(noisy.pixels.length);
    for (let c = 0; c < 3; c++) {
      const channel = predictor.predict(channelOf(noisy, c));
      for (let i = 0; i < channel.length; i++) out[i * 3 + c] = channel[i];
    }
    return out;
  };
  try {
    const clean = splits.test.slice(0, config.evaluation.maxImages);
    if (!clean.length) throw new InputError(`${runDir}: its dataset has no test images`);
    const rows = clean.map((im) => {
      const noisy = noisyImage(im, config.noise, 'test');
      return { noisy: realImageQuality(im, noisy.pixels), model: realImageQuality(im, denoise(noisy)) };
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
