import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../src/core/config/loadConfig';
import { buildRunSummary, type SummarySubject } from '../src/core/experiment/buildRunSummary';
import { runExperiment } from '../src/core/experiment/runExperiment';
import { readRunStatus } from '../src/core/runs/runStatus';
import type { RunSummary } from '../src/core/runs/runSummary';
import type { EpochRecord, TrainingEvent } from '../src/core/training/events';
import type { TrainResult } from '../src/core/training/trainer';
import { writeTinyExperiment } from './helpers/tinyExperiment';

const subject: SummarySubject = {
  config: {
    name: 'tiny',
    description: 'a test run',
    noise: {
      seed: 1,
      mode: 'fixed',
      clip: true,
      quantize: false,
      steps: [{ type: 'gaussian', mean: 0, variance: 0.01 }],
    },
  },
  runDir: '/runs/tiny-1',
  startedAt: new Date('2026-01-02T10:00:00.000Z'),
  engine: { name: 'wasm', backend: 'wasm', threads: 2, notes: [] },
  model: 'dense 784-100-784',
  dataset: 'MNIST',
  epochsBefore: 2,
};

const quality = { mse: 0.01, psnr: 20, ssim: 0.8, count: 50 };
const record: EpochRecord = {
  epoch: 1,
  trainLoss: 0.02,
  valLoss: 0.03,
  val: quality,
  seconds: 3,
  samplesPerSecond: 1000,
  best: true,
};

const result: TrainResult = {
  status: 'completed',
  epochs: [],
  bestEpoch: 4,
  trainSeconds: 10,
  samplesPerSecond: 1234,
  steps: 'the tape',
};

test('a summary counts the epochs done before a resume, and its duration runs from the first start', () => {
  const epochs = [3, 4, 5].map((epoch) => ({ ...record, epoch }));
  const ended = { status: 'completed' as const, message: 'Trained 5 epochs.', result: { ...result, epochs } };
  const summary = buildRunSummary(subject, ended, new Date('2026-01-02T10:01:30.500Z'), {
    trainingSteps: 'the tape',
    finalTrainLoss: 0.02,
    finalValLoss: 0.03,
  });
  assert.equal(summary.epochsCompleted, 5);
  assert.equal(summary.durationSeconds, 90.5);
  assert.equal(summary.finishedAt, '2026-01-02T10:01:30.500Z');
  assert.equal(summary.bestEpoch, 4);
  assert.equal(summary.samplesPerSecond, 1234);
  assert.equal(summary.finalValLoss, 0.03);
  assert.equal(summary.trainingSteps, 'the tape');
  assert.equal(summary.noise, 'Gaussian σ²=0.01');
});

test('a failed run that never trained has a summary saying so, with no losses or metrics', () => {
  const summary = buildRunSummary(subject, { status: 'failed', message: 'disk full' }, new Date());
  assert.equal(summary.status, 'failed');
  assert.equal(summary.message, 'disk full');
  assert.equal(summary.epochsCompleted, 2);
  assert.equal(summary.bestEpoch, 0);
  assert.equal(summary.samplesPerSecond, 0);
  for (const key of ['finalTrainLoss', 'finalValLoss', 'metrics', 'comparison', 'trainingSteps'] as const) {
    assert.equal(key in summary, false, `${key} in a failed summary`);
  }
});

test('a run whose results cannot be saved ends failed, with a summary that does not look complete', async () => {
  const file = writeTinyExperiment({
    dataset: { trainSize: 200, valSize: 50, testSize: 50 },
    training: { epochs: 1 },
  });
  const events: TrainingEvent[] = [];
  const { runDir, summary } = await runExperiment(loadConfig(file), {
    onEvent: (e) => {
      events.push(e);
      // A folder where the final sample grid goes: writing it fails as on a full or read-only disk.
      if (e.type === 'started') mkdirSync(join(e.runDir, 'samples.png'));
    },
  });
  assert.equal(summary.status, 'failed');
  assert.match(summary.message, /^Training ended but its results could not be saved: /);
  assert.equal(summary.epochsCompleted, 1);
  assert.equal(summary.metrics, undefined);
  const written = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as RunSummary;
  assert.equal(written.status, 'failed');
  assert.equal(written.finalValLoss, undefined);
  assert.equal(readRunStatus(runDir)?.status, 'failed');
  assert.ok(events.some((e) => e.type === 'failed' && e.message === summary.message));
  assert.ok(!events.some((e) => e.type === 'finished'), 'a failed run is not reported as finished');
});
