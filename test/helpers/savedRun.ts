import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveConfig } from '../../src/core/config/loadConfig';
import { writeSampleGrid } from '../../src/core/experiment/sampleImages';
import { epochImagePath } from '../../src/core/runs/runFiles';

/**
 * A finished run folder as the core writes one (config.json, summary.json), without training: `overrides`
 * go into the training section, `psnr` is its test PSNR.
 */
export function writeSavedRun(
  runsDir: string,
  folder: string,
  options: { name?: string; training?: Record<string, unknown>; psnr?: number; startedAt?: string } = {},
): string {
  const runDir = join(runsDir, folder);
  mkdirSync(runDir, { recursive: true });
  const name = options.name ?? 'quick-start';
  const { config } = resolveConfig({
    name,
    dataset: { source: 'mnist' },
    noise: { steps: [{ type: 'gaussian', variance: 0.01 }] },
    model: { type: 'dense', depth: 3, codeSize: 32 },
    training: { optimizer: 'adam', learningRate: 0.001, epochs: 2, batchSize: 32, ...options.training },
  });
  writeFileSync(join(runDir, 'config.json'), JSON.stringify(config));
  const quality = (psnr: number) => ({ mse: 10 ** (-psnr / 10), psnr, ssim: 0.5, count: 10 });
  const split = { denoised: quality(options.psnr ?? 15), noisyInput: quality(12) };
  writeFileSync(
    join(runDir, 'summary.json'),
    JSON.stringify({
      name,
      runDir,
      status: 'completed',
      message: '',
      startedAt: options.startedAt ?? '2026-12-02T10:00:00Z',
      durationSeconds: 9,
      engine: { name: 'wasm-blas', backend: 'wasm', threads: 2, notes: [] },
      noise: 'Gaussian σ²=0.01',
      model: 'dense',
      epochsCompleted: 2,
      metrics: { train: split, val: split, test: split },
    }),
  );
  return runDir;
}

/**
 * Gives a saved run `epochs` epochs of curves (metrics.jsonl) and images (epochs/epoch-NNNN.png and
 * samples.png): `count` digits of 28 × 28, the denoised column of epoch e filled with gray `denoisedGray(e)`.
 */
export function writeEpochImages(
  runDir: string,
  epochs: number,
  options: { count?: number; denoisedGray?: (epoch: number) => number } = {},
): void {
  const count = options.count ?? 8;
  const gray = options.denoisedGray ?? ((e: number) => (e * 2) % 256);
  const fill = (value: number) => new Uint8Array(count * 28 * 28).fill(value);
  const grid = (value: number) => ({
    count,
    height: 28,
    width: 28,
    clean: fill(250),
    noisy: fill(120),
    denoised: fill(value),
  });
  mkdirSync(join(runDir, 'epochs'), { recursive: true });
  // Epochs of the same gray share one encoded file, copied: a bench writes thousands.
  const written = new Map<number, string>();
  const image = (file: string, value: number) => {
    const first = written.get(value);
    if (first) return copyFileSync(first, file);
    writeSampleGrid(file, grid(value));
    written.set(value, file);
  };
  const lines: string[] = [];
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const val = { mse: 0.05 / epoch, psnr: 10 + epoch / 10, ssim: 0.5, count: 10 };
    lines.push(
      JSON.stringify({
        epoch,
        trainLoss: 0.1 / epoch,
        valLoss: 0.1 / epoch,
        val,
        seconds: 1,
        samplesPerSecond: 100,
        best: true,
      }),
    );
    image(epochImagePath(runDir, epoch), gray(epoch));
  }
  writeFileSync(join(runDir, 'metrics.jsonl'), `${lines.join('\n')}\n`);
  image(join(runDir, 'samples.png'), gray(epochs));
}
