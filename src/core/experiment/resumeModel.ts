import type { ExperimentConfig } from '../config/experimentConfig.generated';
import type { Denoiser, ImageShape } from '../models/denoiser';
import { loadDenoiser } from '../models/modelStorage';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readTrainingState, TRAINING_STATE_FILES } from '../runs/trainingStateFile';
import type { TrainingState } from '../training/trainingState';
import { InputError } from './inputError';
import type { ResumePoint } from './resumePoint';
import { freezeLayers } from './startingModel';

/**
 * The checkpoint's model, as the Denoiser the config describes, with the layers the config freezes frozen
 * again (a transfer-learning run resumes with the same layers fixed).
 */
export async function loadResumeModel(resume: ResumePoint, config: ExperimentConfig, image: ImageShape): Promise<Denoiser> {
  let denoiser: Denoiser;
  try {
    denoiser = await loadDenoiser(resume.modelDir!, config.model, image);
  } catch (err) {
    throw new InputError(`cannot resume ${resume.runDir}: its checkpoint ${resume.modelDir} does not load: ${(err as Error).message}`);
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
