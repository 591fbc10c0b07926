import { resolve } from 'node:path';
import { initEngine } from '../../core/engine/selectEngine';
import { loadDataset } from '../../core/data/loadDataset';
import { firstImages } from '../../core/data/imageSet';
import { predictImages } from '../../core/evaluation/predictImages';
import { imageMetrics } from '../../core/metrics/imageMetrics';
import { loadDenoiser } from '../../core/models/modelStorage';
import { applyNoise } from '../../core/noise/applyNoise';
import { readRunConfig } from '../../core/runs/listRuns';
import { runFile } from '../../core/runs/runFiles';
import { InputError } from '../../core/errors/inputError';
import { hasCleanReference } from '../../core/config/validateConfig';
import type { QualityMetrics } from '../../core/training/events';
import { EXIT } from '../../app/exitCodes';
import { formatLoss, formatTable } from '../../app/format';
import { toJsonLine } from './jsonOutput';
import { resolveModelRef } from '../../core/apply/builtinModels';
import type { ExperimentConfig } from '../../core/config/experimentConfig.generated';
import { evaluatePatchRun } from '../../core/experiment/evaluatePatchRun';
import { trainsOnPatches } from '../../core/experiment/imageFolderRun';

/**
 * The run's config with its Gaussian noise of the 0-255 scale at `sigma` (a blind range's test σ is its `sigma`
 * too), for `denoise eval --sigma`; refused for a run trained on other noise, where σ means nothing.
 */
function atSigma(runDir: string, config: ExperimentConfig, sigma: number): ExperimentConfig {
  const steps = config.noise.steps;
  if (!steps.some((step) => step.type === 'gaussian255'))
    throw new InputError(
      `--sigma: ${runDir} was not trained on Gaussian noise of the 0-255 scale (its noise.steps have no gaussian255 step)`,
    );
  return {
    ...config,
    noise: { ...config.noise, steps: steps.map((step) => (step.type === 'gaussian255' ? { ...step, sigma } : step)) },
  };
}

/**
 * `denoise eval RUN`: loads a run's saved model and measures it again on the test set with the run's own
 * data and noise settings (the experiment file's folder is not needed: paths were resolved when it ran), or at
 * another Gaussian σ. A patch-trained run is measured on its whole test images, as it was at its end.
 */
export async function evalCommand(
  runPath: string,
  options: { json: boolean; sigma?: number; grayModel?: string; baseDir?: string },
): Promise<number> {
  const runDir = resolve(runPath);
  const saved = readRunConfig(runDir);
  if (!saved) throw new InputError(`${runDir} is not a Denoise Lab run folder (no readable config.json)`);
  const config = options.sigma === undefined ? saved : atSigma(runDir, saved, options.sigma);
  if (!hasCleanReference(config)) {
    throw new InputError(
      `${runDir} trained Noise2Void on images that were noisy already: there are no clean images to measure against`,
    );
  }
  await initEngine(config.compute.engine, config.compute.threads);
  const baseDir = options.baseDir ?? resolve(runDir, '..', '..');
  const grayModel = options.grayModel && resolve(resolveModelRef(options.grayModel));
  if (grayModel && !trainsOnPatches(config))
    throw new InputError(`--gray-model: ${runDir} is not a patch-trained colour run (dataset.source imageFolder)`);
  const test = trainsOnPatches(config)
    ? await evaluatePatchRun(runDir, config, baseDir, grayModel)
    : await evaluateFixedSize(runDir, config, baseDir);
  const result = {
    runDir,
    ...(options.sigma === undefined ? {} : { sigma: options.sigma }),
    ...(grayModel ? { grayModel } : {}),
    test,
  };
  if (options.json) process.stdout.write(toJsonLine(result));
  else {
    const row = (label: string, m: QualityMetrics) => [
      label,
      formatLoss(m.mse),
      `${m.psnr.toFixed(2)} dB`,
      m.ssim.toFixed(4),
      String(m.count),
    ];
    process.stdout.write(
      `${formatTable(['test', 'MSE', 'PSNR', 'SSIM', 'images'], [row(grayModel ? 'gray model per channel' : 'denoised', result.test.denoised), row('noisy input', result.test.noisyInput)])}\n`,
    );
  }
  return EXIT.ok;
}

/** A model of one image size (the MNIST-sized datasets, and dense or VAE models on resized image folders). */
async function evaluateFixedSize(runDir: string, config: ExperimentConfig, baseDir: string) {
  const splits = await loadDataset(config.dataset, baseDir);
  const test = firstImages(splits.test, config.evaluation.maxImages);
  let denoiser;
  try {
    denoiser = await loadDenoiser(runFile(runDir, 'model'), config.model, { height: test.height, width: test.width });
  } catch (err) {
    throw new InputError((err as Error).message);
  }
  const noisy = applyNoise(test, config.noise, 'test');
  try {
    return { denoised: imageMetrics(test, predictImages(denoiser, noisy)), noisyInput: imageMetrics(test, noisy) };
  } finally {
    denoiser.model.dispose();
  }
}
