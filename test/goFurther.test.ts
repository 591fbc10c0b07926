import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RunSummary } from '../src/core/runs/runSummary';
import { writeTinyExperiment } from './helpers/tinyExperiment';

const bin = join(__dirname, '..', 'bin', 'denoise');
const denoise = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 300_000 });

test('a run compares the model with hysteresis and classical filters on the same noisy test images, with readability', () => {
  const file = writeTinyExperiment(
    {
      dataset: { trainSize: 500, valSize: 100, testSize: 300 },
      training: { epochs: 1 },
      evaluation: {
        baselines: ['median', 'gaussian', 'notch', 'nlm'],
        postprocess: { type: 'hysteresis', low: 0.3, high: 0.6 },
      },
    },
    'compare',
  );
  const run = denoise('run', file);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /Same noisy test images, cleaned each way:/);
  assert.match(run.stdout, /median filter 3x3 +\S+ +\d+\.\d\d dB/);
  assert.match(
    run.stdout,
    /Readability \(digit classifier on test digits\): clean \d+\.\d%, noisy \d+\.\d%, denoised \d+\.\d%/,
  );
  const runDir = /Results: (.*)/.exec(run.stdout)![1].trim();
  const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as RunSummary;
  const rows = summary.comparison!;
  assert.deepEqual(
    rows.map((r) => r.method),
    ['noisyInput', 'model', 'hysteresis', 'median', 'gaussian', 'notch', 'nlm'],
  );
  const by = Object.fromEntries(rows.map((r) => [r.method, r]));
  assert.ok(
    rows.every((r) => r.count === 300 && r.readability !== undefined && r.readability >= 0 && r.readability <= 1),
  );
  // The median filter is the textbook answer to salt-and-pepper noise: it must beat the noisy input clearly.
  assert.ok(by.median.psnr > by.noisyInput.psnr + 4, `median ${by.median.psnr} dB vs noisy ${by.noisyInput.psnr} dB`);
  assert.equal(by.noisyInput.psnr.toFixed(6), summary.metrics!.test.noisyInput.psnr.toFixed(6));
  assert.equal(by.model.mse.toFixed(9), summary.metrics!.test.denoised.mse.toFixed(9));
  // The shipped classifier reads clean MNIST digits almost perfectly and noisy ones worse.
  assert.ok(summary.readability!.clean > 0.97, `clean readability ${summary.readability!.clean}`);
  assert.ok(summary.readability!.noisyInput < summary.readability!.clean);
  assert.equal(summary.readability!.denoised, by.model.readability);

  const curve = denoise(
    'noise-curve',
    runDir,
    '--gaussian',
    '0.005,0.02',
    '--salt-pepper',
    '0.05,0.2',
    '--max-images',
    '100',
    '--json',
  );
  assert.equal(curve.status, 0, curve.stderr);
  const saved = JSON.parse(readFileSync(join(runDir, 'noise-curve.json'), 'utf8')) as {
    points: { series: string; noisyPsnr: number; denoisedPsnr: number }[];
  };
  assert.deepEqual(
    saved.points.map((p) => p.series),
    ['gaussian', 'gaussian', 'saltPepper', 'saltPepper', 'combined', 'combined'],
  );
  assert.ok(saved.points[0].noisyPsnr > saved.points[1].noisyPsnr, 'more variance, lower input PSNR');
  assert.ok(saved.points[4].noisyPsnr > saved.points[5].noisyPsnr);
  assert.ok(saved.points.every((p) => Number.isFinite(p.denoisedPsnr)));
  const bad = denoise('noise-curve', runDir, '--gaussian', 'lots');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /comma-separated numbers between 0 and 1/);
});

test('evaluation.readability false and an empty baselines list leave only the noisy input and model rows', () => {
  const file = writeTinyExperiment(
    {
      dataset: { trainSize: 300, valSize: 100, testSize: 100 },
      training: { epochs: 1 },
      evaluation: { readability: false, baselines: [] },
    },
    'plain',
  );
  const run = denoise('run', file, '--json');
  assert.equal(run.status, 0, run.stderr);
  const summary = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as RunSummary;
  assert.deepEqual(
    summary.comparison!.map((r) => r.method),
    ['noisyInput', 'model'],
  );
  assert.equal(summary.readability, undefined);
  assert.ok(summary.comparison!.every((r) => r.readability === undefined));
});
