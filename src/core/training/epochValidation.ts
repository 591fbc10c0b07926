import type { Training } from '../config/experimentConfig.generated';
import { firstImages } from '../data/imageSet';
import { predictWithLoss } from '../evaluation/predictImages';
import { imageMetrics } from '../metrics/imageMetrics';
import type { Denoiser } from '../models/denoiser';
import type { QualityMetrics } from './events';
import type { TrainingPairs } from './imageBatches';

/** What one epoch's validation found. */
export interface EpochValidation {
  /** Mean loss over every validation image. */
  readonly loss: number;
  /** Quality of the first validation images' outputs against their targets (absent without clean images). */
  readonly quality?: QualityMetrics;
  /** Those first images' outputs, pixel after pixel. */
  readonly outputs: Float32Array;
}

/**
 * Validates the model as it stands: the loss over every validation pair, and PSNR and SSIM (slower) over
 * at most `qualityImages` of them.
 */
export function epochValidation(
  denoiser: Denoiser,
  valPairs: TrainingPairs,
  loss: Training['loss'],
  qualityImages: number,
): () => EpochValidation {
  const qualityTargets = firstImages(valPairs.targets, qualityImages);
  return () => {
    const val = predictWithLoss(denoiser, valPairs.inputs, valPairs.targets, loss);
    const outputs = firstImages(val.predictions, qualityTargets.count);
    return { loss: val.loss, quality: imageMetrics(qualityTargets, outputs), outputs: outputs.pixels };
  };
}
