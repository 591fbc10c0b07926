import type * as tf from '@tensorflow/tfjs';
import type { ExperimentConfig } from '../config/experimentConfig.generated';
import { loadDenoiser } from '../models/modelStorage';
import type { Denoiser } from '../models/denoiser';
import { readRunConfig, resolveRunReference } from '../runs/listRuns';
import { runFile } from '../runs/runFiles';
import type { TrainingEventListener } from '../training/events';
import { InputError } from '../errors/inputError';

/**
 * Loads an earlier run's trained model for fine-tuning or transfer learning, and freezes the layers
 * the config asks to keep fixed.
 */
export async function loadStartingModel(
  config: ExperimentConfig,
  image: { height: number; width: number },
  baseDir: string,
  runsDir: string,
  emit: TrainingEventListener,
): Promise<Denoiser> {
  const startFrom = config.training.startFrom!;
  let runDir: string;
  try {
    runDir = resolveRunReference(startFrom.run, baseDir, runsDir);
  } catch (err) {
    throw new InputError(`training.startFrom.run: ${(err as Error).message}`);
  }
  const earlier = readRunConfig(runDir);
  if (earlier && JSON.stringify(earlier.model) !== JSON.stringify(config.model)) {
    throw new InputError(
      `training.startFrom.run: ${runDir} trained a different model (${JSON.stringify(earlier.model)}); set model to the same to start from it`,
    );
  }
  let denoiser: Denoiser;
  try {
    denoiser = await loadDenoiser(runFile(runDir, 'model'), config.model, image);
  } catch (err) {
    throw new InputError(`training.startFrom.run: ${(err as Error).message}`);
  }
  const frozen = freezeLayers(denoiser, startFrom.freeze);
  emit({
    type: 'log',
    message: `Starting from ${runDir}${frozen.length ? ` with the ${startFrom.freeze} frozen (${frozen.length} layers)` : ''}.`,
  });
  return denoiser;
}

/** Freezes the encoder or the decoder as training.startFrom.freeze says; returns the frozen layers. */
export function freezeLayers(
  denoiser: Denoiser,
  freeze: NonNullable<ExperimentConfig['training']['startFrom']>['freeze'] | undefined,
): tf.layers.Layer[] {
  const frozen = freeze === 'encoder' ? denoiser.encoderLayers() : freeze === 'decoder' ? denoiser.decoderLayers() : [];
  for (const layer of frozen) layer.trainable = false;
  return frozen;
}
