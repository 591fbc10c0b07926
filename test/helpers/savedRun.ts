import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveConfig } from '../../src/core/config/loadConfig';

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
