import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../src/core/config/loadConfig';
import { listRuns } from '../src/core/runs/listRuns';
import type { RunSummary } from '../src/core/runs/runSummary';
import { liveRunLabel, savedRunLabel } from '../src/extension/host/runLabels';
import { resultsCsv, resultsMarkdown } from '../src/app/results/resultExports';
import { runRow } from '../src/app/runs/runRow';

const quality = (mse: number, psnr: number, ssim: number) => ({ mse, psnr, ssim, count: 100 });

/** A finished run folder as the core writes it: config.json and summary.json. */
function runFolder(): string {
  const runsDir = mkdtempSync(join(tmpdir(), 'denoise-runs-'));
  const runDir = join(runsDir, '2026-01-02T03-04-05-seed-best');
  mkdirSync(runDir);
  const { config } = resolveConfig({
    name: 'seed-best',
    dataset: { source: 'mnist' },
    noise: {
      steps: [
        { type: 'gaussian', variance: 0.01 },
        { type: 'saltPepper', amount: 0.1 },
      ],
    },
    model: { type: 'dense', depth: 5, codeSize: 500 },
    training: { optimizer: 'sgd', learningRate: 1, epochs: 50, batchSize: 256 },
  });
  writeFileSync(join(runDir, 'config.json'), JSON.stringify(config));
  const split = (mse: number) => ({ denoised: quality(mse, 37.7, 0.9812), noisyInput: quality(0.02, 17, 0.4) });
  const summary: Partial<RunSummary> = {
    name: 'seed-best',
    runDir,
    status: 'completed',
    message: 'Trained 50 epochs.',
    startedAt: '2026-01-02T03:04:05Z',
    durationSeconds: 125,
    noise: 'gaussian(mean 0, variance 0.01) + saltPepper(amount 0.1, salt 50%)',
    model: 'dense 784-642-500-642-784',
    epochsCompleted: 50,
    metrics: { train: split(0.00016), val: split(0.00017), test: split(0.00017) },
  };
  writeFileSync(join(runDir, 'summary.json'), JSON.stringify(summary));
  return runsDir;
}

test('exported results read like the seed report: noise, hyper-parameters, train/val/test MSE, PSNR, SSIM, time', () => {
  const rows = listRuns(runFolder()).map((listing) => runRow(listing));
  const csv = resultsCsv(rows).trim().split('\n');
  assert.equal(
    csv[0],
    'Run,Status,Model,Noise,Layers,Code size,Optimizer,Learning rate,Epochs trained,Epochs configured,Batch size,Train MSE,Val MSE,Test MSE,Test PSNR (dB),Test SSIM,Readability,Time (s),Folder,Tags,Note',
  );
  assert.match(
    csv[1],
    /^seed-best,completed,dense 784-642-500-642-784,"gaussian\(mean 0, variance 0\.01\) \+ saltPepper\(amount 0\.1, salt 50%\)",5,500,sgd,1,50,50,256,0\.000160,0\.000170,0\.000170,37\.70,0\.9812,,125\.0,/,
  );
  const markdown = resultsMarkdown(rows).trim().split('\n');
  assert.equal(markdown.length, 3);
  assert.match(markdown[1], /^\| --- \|/);
  assert.match(markdown[2], /^\| seed-best \| completed \| dense 784-642-500-642-784 \| gaussian/);
});

test('a cell that a spreadsheet would run as a formula is defused', () => {
  const csv = resultsCsv([{ runDir: '/r', name: 'x', status: 'completed', model: '=HYPERLINK("http://evil")' }]);
  assert.match(csv, /,"'=HYPERLINK\(""http:\/\/evil""\)",/);
});

test('the runs tree shows status, test PSNR and duration, and progress for a running run', () => {
  const [listing] = listRuns(runFolder());
  assert.equal(savedRunLabel(listing).description, 'completed · 37.70 dB · 2m05s');
  assert.equal(savedRunLabel(listing).icon, 'pass');
  const live = liveRunLabel(
    {
      id: 'run-1',
      name: 'tiny',
      configFile: '/ws/tiny.denoise.json',
      phase: 'running',
      progress: { epoch: 2, epochs: 5, batch: 3, batchesPerEpoch: 10, fraction: 0.26, etaSeconds: 70 },
    },
    0,
  );
  assert.equal(live.description, 'epoch 2/5 · 26% · 1m10s left');
  assert.equal(
    liveRunLabel({ id: 'run-2', name: 'later', configFile: '/ws/b.denoise.json', phase: 'queued' }, 2).description,
    'queued (#2)',
  );
});
