import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadConfig } from '../src/core/config/loadConfig';
import { runExperiment } from '../src/core/experiment/runExperiment';
import { readEpochRecords } from '../src/core/runs/metricsLog';
import { readRunStatus } from '../src/core/runs/runStatus';
import { decodeGrayPng } from '../src/core/images/png';
import { initEngine } from '../src/core/engine/selectEngine';
import { buildDenoiser } from '../src/core/models/buildDenoiser';
import { trainDenoiser } from '../src/core/training/trainer';
import { SeededRandom } from '../src/core/random/seededRandom';
import type { TrainingEvent } from '../src/core/training/events';
import { writeTinyExperiment } from './helpers/tinyExperiment';
import { trainingConfig } from './helpers/trainingConfig';

test("a short training on 2,000 MNIST images denoises: test MSE ends below the noisy input's", async () => {
  const file = writeTinyExperiment();
  const events: TrainingEvent[] = [];
  const { runDir, summary } = await runExperiment(loadConfig(file), { onEvent: (e) => events.push(e) });

  assert.equal(summary.status, 'completed');
  const test = summary.metrics!.test;
  assert.ok(test.denoised.mse < test.noisyInput.mse, `denoised ${test.denoised.mse} vs noisy ${test.noisyInput.mse}`);
  assert.ok(
    test.denoised.psnr > test.noisyInput.psnr + 2.5,
    `PSNR ${test.denoised.psnr} vs noisy ${test.noisyInput.psnr}`,
  );
  assert.ok(test.denoised.ssim > test.noisyInput.ssim);
  // The noisy baseline is the seed's combined noise: about 12.8 dB.
  assert.ok(Math.abs(test.noisyInput.psnr - 12.8) < 1, `noisy PSNR ${test.noisyInput.psnr}`);

  // The run folder holds everything the README promises.
  for (const f of [
    'config.json',
    'status.json',
    'metrics.jsonl',
    'summary.json',
    'samples.png',
    'generation.png',
    'model/model.json',
    'model/weights.bin',
  ]) {
    assert.ok(existsSync(join(runDir, f)), `${f} missing`);
  }
  assert.equal(readdirSync(join(runDir, 'epochs')).length, 3);
  assert.equal(readEpochRecords(runDir).length, 3);
  assert.equal(readRunStatus(runDir)?.status, 'completed');
  const grid = decodeGrayPng(readFileSync(join(runDir, 'samples.png')));
  assert.ok(grid.width > grid.height / 4 && grid.height >= 4 * 28, 'samples.png is a grid of 4 rows and 3 columns');

  // Events came in order: started, batches, epochs with samples, finished.
  assert.equal(events[0].type, 'started');
  assert.equal(events.at(-1)?.type, 'finished');
  assert.equal(events.filter((e) => e.type === 'epoch').length, 3);
  assert.equal(events.filter((e) => e.type === 'samples').length, 3);
  const batches = events.filter((e) => e.type === 'batch');
  assert.equal(batches.length, 3 * Math.ceil(2000 / 32));
  const losses = events
    .filter((e): e is Extract<TrainingEvent, { type: 'epoch' }> => e.type === 'epoch')
    .map((e) => e.trainLoss);
  assert.ok(losses[2] < losses[0], 'training loss decreases');
});

test('the same seeds give the same metrics twice', async () => {
  const extra = { dataset: { trainSize: 600, valSize: 200, testSize: 200 }, training: { epochs: 1 } };
  const a = await runExperiment(loadConfig(writeTinyExperiment(extra)));
  const b = await runExperiment(loadConfig(writeTinyExperiment(extra)));
  assert.deepEqual(a.summary.metrics, b.summary.metrics);
  assert.deepEqual(
    readEpochRecords(a.runDir).map((r) => r.trainLoss),
    readEpochRecords(b.runDir).map((r) => r.trainLoss),
  );
  const c = await runExperiment(loadConfig(writeTinyExperiment({ ...extra, training: { epochs: 1, seed: 7 } })));
  assert.notDeepEqual(a.summary.metrics?.test.denoised, c.summary.metrics?.test.denoised);
});

test('stopping between batches ends the run as stopped with its results written', async () => {
  const controller = new AbortController();
  let batches = 0;
  const file = writeTinyExperiment({ training: { epochs: 5 } });
  const { runDir, summary } = await runExperiment(loadConfig(file), {
    signal: controller.signal,
    onEvent: (e) => {
      if (e.type === 'batch' && ++batches === 80) controller.abort();
    },
  });
  assert.equal(summary.status, 'stopped');
  assert.equal(batches, 80, 'no batch ran after the stop request');
  assert.equal(readEpochRecords(runDir).length, 1, 'the interrupted second epoch is not recorded as done');
  assert.match(summary.message, /Stopped by the user after 1 of 5 epochs/);
  assert.equal(readRunStatus(runDir)?.status, 'stopped');
});

test('a diverging run stops with a message that names the learning rate', async () => {
  const file = writeTinyExperiment({
    model: { outputActivation: 'linear' },
    training: { optimizer: 'sgd', learningRate: 50, epochs: 2 },
  });
  const events: TrainingEvent[] = [];
  const { summary } = await runExperiment(loadConfig(file), { onEvent: (e) => events.push(e) });
  assert.equal(summary.status, 'diverged');
  const failed = events.find((e) => e.type === 'failed');
  assert.ok(failed && failed.type === 'failed' && failed.reason === 'diverged');
  assert.match(failed.hint ?? '', /learning rate 50 is too high .* try training.learningRate=25/);
  assert.equal(summary.metrics, undefined, 'no metrics are reported for a diverged model');
});

test('early stopping keeps the best epoch and says so', async () => {
  // A learning rate this high for Adam makes validation loss stall at once.
  const file = writeTinyExperiment({
    dataset: { trainSize: 500, valSize: 200, testSize: 200 },
    training: { epochs: 30, learningRate: 0.05, earlyStopping: { patience: 2 } },
  });
  const { summary } = await runExperiment(loadConfig(file));
  assert.equal(summary.status, 'earlyStopped');
  assert.ok(summary.epochsCompleted < 30);
  assert.equal(summary.epochsCompleted, summary.bestEpoch + 2);
});

test('training leaks no tensors from epoch to epoch', async () => {
  await initEngine('auto');
  const rng = new SeededRandom(3);
  const images = { pixels: Float32Array.from({ length: 300 * 64 }, () => rng.next()), count: 300, height: 8, width: 8 };
  const denoiser = buildDenoiser(
    { type: 'dense', depth: 5, codeSize: 16, activation: 'relu', outputActivation: 'sigmoid' },
    { height: 8, width: 8 },
    1,
  );
  const counts: number[] = [];
  await trainDenoiser({
    denoiser,
    training: trainingConfig({
      optimizer: 'adam',
      learningRate: 0.01,
      epochs: 4,
      batchSize: 32,
      seed: 1,
    }),
    trainPairs: () => ({ inputs: images, targets: images }),
    valPairs: { inputs: images, targets: images },
    afterEpoch: () => {
      counts.push(tf.memory().numTensors);
    },
  });
  denoiser.model.dispose();
  assert.equal(new Set(counts.slice(1)).size, 1, `tensor counts per epoch: ${counts.join(', ')}`);
});
