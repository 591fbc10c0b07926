import type { ExperimentConfig } from '../config/experimentConfig.generated';
import { buildDenoiser } from '../models/buildDenoiser';
import type { Denoiser, ImageShape } from '../models/denoiser';
import { loadDenoiser } from '../models/modelStorage';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readTrainingState, TRAINING_STATE_FILES } from '../runs/trainingStateFile';
import type { TrainingState } from '../training/trainingState';
import { InputError } from '../errors/inputError';
import type { ResumePoint } from './resumePoint';
import { freezeLayers } from './startingModel';

/**
 * The model a new run of the config builds, holding the checkpoint's weights, with the layers the config
 * freezes frozen again (a transfer-learning run resumes with the same layers fixed). Built rather than used
 * as loaded: a loaded model has the library's standard first layer, whose fused product rounds differently
 * from the one a built model trains with (dataInputLayers.ts), and a resumed run must compute what the
 * uninterrupted one did, to the last bit.
 */
export async function loadResumeModel(
  resume: ResumePoint,
  config: ExperimentConfig,
  image: ImageShape,
): Promise<Denoiser> {
  try {
    return await loadCheckpointModel(resume.modelDir!, config, image);
  } catch (err) {
    throw new InputError(
      `cannot resume ${resume.runDir}: its checkpoint ${resume.modelDir} does not load: ${(err as Error).message}`,
    );
  }
}

/** loadResumeModel's work on one checkpoint folder; throws a plain Error saying what does not fit. */
export async function loadCheckpointModel(
  modelDir: string,
  config: Pick<ExperimentConfig, 'model' | 'training'>,
  image: ImageShape,
): Promise<Denoiser> {
  const loaded = await loadDenoiser(modelDir, config.model, image);
  const denoiser = buildDenoiser(config.model, image, config.training.seed);
  const weights = loaded.model.getWeights();
  const shapes = (ws: readonly { shape: number[] }[]) => ws.map((w) => w.shape.join('x')).join(', ');
  try {
    if (shapes(weights) !== shapes(denoiser.model.getWeights())) {
      throw new Error(
        `it holds weights ${shapes(weights)}, but the run's config builds ${shapes(denoiser.model.getWeights())}`,
      );
    }
    denoiser.model.setWeights(weights);
  } catch (err) {
    denoiser.model.dispose();
    throw err;
  } finally {
    loaded.model.dispose();
  }
  freezeLayers(denoiser, config.training.startFrom?.freeze);
  return denoiser;
}

/**
 * The checkpoint's training state (optimizer, streams, early stopping), or undefined for a checkpoint of an
 * older version that saved only the weights.
 */
export function loadResumeState(resume: ResumePoint): TrainingState | undefined {
  if (!resume.modelDir || !existsSync(join(resume.modelDir, TRAINING_STATE_FILES.json))) return undefined;
  try {
    return readTrainingState(resume.modelDir);
  } catch (err) {
    throw new InputError(`cannot resume ${resume.runDir}: ${(err as Error).message}`);
  }
}
