import { resolve } from 'node:path';
import type { Noise, NoiseStep } from '../../core/config/experimentConfig.generated';
import { initEngine } from '../../core/engine/selectEngine';
import { firstImages } from '../../core/data/imageSet';
import { loadDataset } from '../../core/data/loadDataset';
import { predictImages } from '../../core/evaluation/predictImages';
import { InputError } from '../../core/errors/inputError';
import { hasCleanReference } from '../../core/config/validateConfig';
import { imageMetrics } from '../../core/metrics/imageMetrics';
import { loadDenoiser } from '../../core/models/modelStorage';
import { applyNoise } from '../../core/noise/applyNoise';
import { readRunConfig } from '../../core/runs/listRuns';
import { writeJsonAtomic } from '../../core/files/atomicWrite';
import { runFile } from '../../core/runs/runFiles';
import { EXIT } from '../../app/exitCodes';
import { formatTable } from '../../app/format';
import { toJsonLine } from './jsonOutput';

import { DEFAULT_GAUSSIAN_LEVELS, DEFAULT_SALT_PEPPER_LEVELS } from './noiseCurveLevels';
export { DEFAULT_GAUSSIAN_LEVELS, DEFAULT_SALT_PEPPER_LEVELS };

export interface NoiseCurvePoint {
  /** gaussian: variance varies alone; saltPepper: amount varies alone; combined: both, pair by pair. */
  readonly series: 'gaussian' | 'saltPepper' | 'combined';
  readonly gaussianVariance: number;
  readonly saltPepperAmount: number;
  readonly noisyPsnr: number;
  readonly denoisedPsnr: number;
  readonly denoisedSsim: number;
  readonly images: number;
}

function noiseAt(variance: number, amount: number, seed: number): Noise {
  const steps: NoiseStep[] = [];
  if (variance > 0) steps.push({ type: 'gaussian', mean: 0, variance });
  if (amount > 0) steps.push({ type: 'saltPepper', amount, saltRatio: 0.5 } as NoiseStep);
  return { steps, seed, mode: 'fixed' } as Noise;
}

/**
 * `denoise noise-curve RUN`: the run's saved model on its test images at several noise levels, for a
 * curve of PSNR against noise. Gaussian variance alone, salt-and-pepper amount alone, and both together
 * (the i-th variance with the i-th amount). Writes noise-curve.json into the run folder and prints a table.
 */
export async function noiseCurveCommand(
  runPath: string,
  options: { gaussian: number[]; saltPepper: number[]; maxImages: number; json: boolean },
): Promise<number> {
  const runDir = resolve(runPath);
  const config = readRunConfig(runDir);
  if (!config) throw new InputError(`${runDir} is not a Denoise Lab run folder (no readable config.json)`);
  if (!hasCleanReference(config)) {
    throw new InputError(
      `${runDir} trained Noise2Void on images that were noisy already: there are no clean images to measure against`,
    );
  }
  await initEngine(config.compute.engine, config.compute.threads);
  const splits = await loadDataset(config.dataset, resolve(runDir, '..', '..'));
  const test = firstImages(splits.test, Math.min(options.maxImages, config.evaluation.maxImages));
  let denoiser;
  try {
    denoiser = await loadDenoiser(runFile(runDir, 'model'), config.model, { height: test.height, width: test.width });
  } catch (err) {
    throw new InputError((err as Error).message);
  }
  const levels: Array<[NoiseCurvePoint['series'], number, number]> = [
    ...options.gaussian.map((v): [NoiseCurvePoint['series'], number, number] => ['gaussian', v, 0]),
    ...options.saltPepper.map((a): [NoiseCurvePoint['series'], number, number] => ['saltPepper', 0, a]),
    ...options.gaussian
      .slice(0, Math.min(options.gaussian.length, options.saltPepper.length))
      .map((v, i): [NoiseCurvePoint['series'], number, number] => ['combined', v, options.saltPepper[i]]),
  ];
  const points: NoiseCurvePoint[] = [];
  try {
    for (const [series, variance, amount] of levels) {
      const noisy = applyNoise(test, noiseAt(variance, amount, config.noise.seed), 'test');
      const denoised = imageMetrics(test, predictImages(denoiser, noisy));
      const noisyPsnr = imageMetrics(test, noisy).psnr;
      points.push({
        series,
        gaussianVariance: variance,
        saltPepperAmount: amount,
        noisyPsnr,
        denoisedPsnr: denoised.psnr,
        denoisedSsim: denoised.ssim,
        images: test.count,
      });
    }
  } finally {
    denoiser.model.dispose();
  }
  const file = resolve(runDir, 'noise-curve.json');
  writeJsonAtomic(file, { runDir, trainedOn: config.noise.steps, points });
  if (options.json) process.stdout.write(toJsonLine({ file, points }));
  else {
    const rows = points.map((p) => [
      p.series,
      String(p.gaussianVariance),
      String(p.saltPepperAmount),
      `${p.noisyPsnr.toFixed(2)} dB`,
      `${p.denoisedPsnr.toFixed(2)} dB`,
      p.denoisedSsim.toFixed(4),
    ]);
    process.stdout.write(
      `${formatTable(['series', 'gaussian variance', 's&p amount', 'noisy PSNR', 'denoised PSNR', 'SSIM'], rows)}\nWrote ${file}\n`,
    );
  }
  return EXIT.ok;
}
