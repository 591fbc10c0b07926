import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/core/config/loadConfig';
import { runExperiment } from '../src/core/experiment/runExperiment';
import { describeRun } from '../src/core/runs/listRuns';
import type { RunSummary } from '../src/core/runs/runSummary';
import type { TrainingEvent } from '../src/core/training/events';
import { runCurve, runSamples } from '../src/app/page/runFolderMessages';
import { runRow } from '../src/app/runs/runRow';
import { RESULT_COLUMNS } from '../src/app/results/resultColumns';
import { grayPng } from './helpers/imageFiles';

/*
 * Noise2Void on a folder of noisy images with no clean version: it trains (the loss falls), and nothing
 * claims a PSNR or SSIM it cannot have: the metrics are absent from every file and page message, not zero.
 */

/** Flat blocks with seeded uniform noise of about σ 25 (0-255): all the run ever sees. */
function noisyPicture(width: number, height: number, seed: number): Buffer {
  let s = seed;
  const uniform = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return grayPng(width, height, (x, y) => {
    const block = ((Math.floor(x / 6) * 3 + Math.floor(y / 5) * 7) % 4) * 50 + 40;
    return Math.round(Math.min(255, Math.max(0, block + 43 * (uniform() - 0.5) * 2)));
  });
}

test('Noise2Void on noisy images only: the loss falls, and no metric is written where no clean image exists', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'denoise-n2v-'));
  mkdirSync(join(dir, 'noisy'));
  for (let i = 0; i < 4; i++) writeFileSync(join(dir, 'noisy', `n${i}.png`), noisyPicture(48, 40, 17 + i));
  const config = {
    name: 'n2v',
    dataset: { source: 'imageFolder', trainFolder: 'noisy', testFolder: 'noisy', valFraction: 0.25 },
    noise: { steps: [] },
    model: { type: 'dncnn', depth: 4, filters: 8, batchNorm: false },
    training: {
      target: 'noise2void',
      maskFraction: 0.03,
      optimizer: 'adam',
      learningRate: 0.003,
      epochs: 4,
      batchSize: 16,
      patchSize: 16,
      patchesPerEpoch: 192,
    },
    evaluation: { sampleImages: 2, readability: false },
    output: { runsDir: 'runs' },
  };
  const file = join(dir, 'n2v.denoise.json');
  writeFileSync(file, JSON.stringify(config));
  const events: TrainingEvent[] = [];
  const { runDir, summary } = await runExperiment(loadConfig(file), { onEvent: (e) => events.push(e) });

  assert.equal(summary.status, 'completed', summary.message);
  const epochs = events.filter((e) => e.type === 'epoch');
  assert.equal(epochs.length, 4);
  const [first, last] = [epochs[0].trainLoss, epochs.at(-1)!.trainLoss];
  assert.ok(last < 0.8 * first, `the masked-pixel loss falls: ${first.toFixed(4)} -> ${last.toFixed(4)}`);
  assert.ok(
    events.some((e) => e.type === 'log' && /no clean reference, so no PSNR or SSIM/.test(e.message)),
    'the log says why there are no metrics',
  );

  const written = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as RunSummary;
  for (const key of ['metrics', 'comparison', 'testImages', 'testProtocol']) {
    assert.equal(key in written, false, `summary.json has no ${key}`);
  }
  assert.ok(Number.isFinite(written.finalTrainLoss), 'the training loss is reported');
  const lines = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(lines.length, 4);
  for (const line of lines) {
    assert.equal('val' in line, false, 'no validation PSNR/SSIM in metrics.jsonl');
    assert.ok(Number.isFinite(line.trainLoss) && Number.isFinite(line.valLoss));
  }

  // The page: curves without PSNR points, samples noisy | denoised, the results table's PSNR cell empty.
  for (const point of runCurve(runDir)) assert.equal('valPsnr' in point, false);
  const samples = runSamples(runDir);
  assert.ok(samples, 'samples.png was written');
  assert.equal(samples.clean, undefined, 'no clean column');
  assert.ok(samples.noisy.length > 0 && samples.denoised.length > 0);
  assert.notEqual(samples.noisy, samples.denoised, 'the output is not the input');
  const row = runRow(describeRun(runDir));
  const psnr = RESULT_COLUMNS.find((c) => c.key === 'testPsnr')!;
  assert.equal(psnr.value(row), undefined);
  assert.equal(psnr.text(row), '', 'shown as the table’s absent mark, not 0');
  const shown = readdirSync(join(runDir, 'test-images')).sort();
  assert.deepEqual(shown, ['n0.denoised.png', 'n0.noisy.png', 'n1.denoised.png', 'n1.noisy.png']);
  assert.ok(existsSync(join(runDir, 'model', 'model.json')), 'the model is saved for denoise apply');
});
