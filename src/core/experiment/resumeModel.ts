import type { ExperimentConfig } from '../config/experimentConfig.generated';
import type { Denoiser, ImageShape } from '../models/denoiser';
import { loadDenoiser } from '../models/modelStorage';
import { InputError } from '../errors/inputError';
import type { ResumePoint } from './resumePoint';

/** The checkpoint's model, as the Denoiser the config describes. */
export async function loadResumeModel(resume: ResumePoint, config: ExperimentConfig, image: ImageShape): Promise<Denoiser> {
  try {
    return await loadDenoiser(resume.modelDir, config.model, image);
  } catch (err) {
    throw new InputError(`cannot resume ${resume.runDir}: its checkpoint ${resume.modelDir} does not load: ${(err as Error).message}`);
  }
}
