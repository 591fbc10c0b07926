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

/**
 * `denoise eval RUN`: loads a run's saved model and measures it again on the test set with the run's own
 * data and noise settings (the experiment file's folder is not needed: paths were resolved when it ran).
 */
export async function evalCommand(runPath: string, options: { json: boolean; baseDir?: string }): Promise<number> {
  const runDir = resolve(runPath);
  const config = readRunConfig(runDir);
  if (!config) throw new InputError(`${runDir} is not a Denoise Lab run folder (no readable config.json)`);
  if (!hasCleanReference(config)) {
    throw new InputError(
      `${runDir} trained Noise2Void on images that were noisy already: there are no clean images to measure against`,
    );
  }
  await initEngine(config.compute.engine, config.compute.threads);
  const splits = await loadDataset(config.dataset, options.baseDir ?? resolve(runDir, '..', '..'));
  const test = firstImages(splits.test, config.evaluation.maxImages);
  let denoiser;
  try {
    denoiser = await loadDenoiser(runFile(runDir, 'model'), config.model, { height: test.height, width: test.width });
  } catch (err) {
    throw new InputError((err as Error).message);
  }
  const noisy = applyNoise(test, config.noise, 'test');
  const result = {
    runDir,
    test: { denoised: imageMetrics(test, predictImages(denoiser, noisy)), noisyInput: imageMetrics(test, noisy) },
  };
  denoiser.model.dispose();
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
      `${formatTable(['test', 'MSE', 'PSNR', 'SSIM', 'images'], [row('denoised', result.test.denoised), row('noisy input', result.test.noisyInput)])}\n`,
    );
  }
  return EXIT.ok;
}
