import { mkdirSync } from 'node:fs';
import type { ExperimentConfig } from '../config/experimentConfig.generated';
import { renderImageGrid } from '../images/imageGrid';
import type { Denoiser } from '../models/denoiser';
import { writeFileAtomic } from '../files/atomicWrite';
import { runFile } from '../runs/runFiles';
import type { SampleImages } from '../training/events';
import { generateFromBlankAndRandom, interpolateLatent, sampleFromLatent } from './generation';
import { writeSampleGrid } from './sampleImages';

/** Final sample grid and the generation experiment's images. */
export function writeRunArtifacts(
  runDir: string,
  denoiser: Denoiser,
  config: ExperimentConfig,
  samplesNow: () => SampleImages,
): void {
  mkdirSync(runDir, { recursive: true });
  if (config.evaluation.sampleImages > 0) writeSampleGrid(runFile(runDir, 'samples'), samplesNow());
  const generated = generateFromBlankAndRandom(denoiser, config);
  const columns = [
    { title: 'input', images: generated.inputs },
    { title: 'output', images: generated.outputs },
  ];
  const latent = sampleFromLatent(denoiser, generated.inputs.count, config.training.seed);
  if (latent) columns.push({ title: 'latent samples', images: latent });
  // Same row count as the other columns, so the grid stays rectangular and readRunGeneration can cut it.
  const walk =
    latent && config.evaluation.sampleImages >= 2
      ? interpolateLatent(denoiser, samplesNow(), generated.inputs.count)
      : undefined;
  if (walk) columns.push({ title: 'interpolation', images: walk });
  writeFileAtomic(runFile(runDir, 'generation'), renderImageGrid(columns).png);
}
