import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Writes a small real experiment (MNIST, the seed report's combined noise) into a fresh temporary
 * workspace and returns the path of its file; `extra` is merged into the top-level sections.
 */
export function writeTinyExperiment(extra: Record<string, Record<string, unknown>> = {}, name = 'tiny'): string {
  const dir = mkdtempSync(join(tmpdir(), 'denoise-ws-'));
  const config = {
    name,
    dataset: { source: 'mnist', trainSize: 2000, valSize: 500, testSize: 1000, ...extra.dataset },
    noise: {
      steps: [
        { type: 'gaussian', variance: 0.01 },
        { type: 'saltPepper', amount: 0.1 },
      ],
      ...extra.noise,
    },
    model: { type: 'dense', depth: 5, codeSize: 100, ...extra.model },
    training: { optimizer: 'adam', learningRate: 0.002, epochs: 3, batchSize: 32, ...extra.training },
    evaluation: { sampleImages: 4, ...extra.evaluation },
    ...(extra.output ? { output: extra.output } : {}),
  };
  const file = join(dir, `${name}.denoise.json`);
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}
