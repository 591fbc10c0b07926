import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { BestWeights } from '../src/core/training/bestWeights';
import { CollapseWatch } from '../src/core/training/collapsedOutput';
import { DivergenceError, DivergenceGuard } from '../src/core/training/divergenceGuard';
import { runEpochs, type EpochLoopContext } from '../src/core/training/epochLoop';
import type { TrainingEvent } from '../src/core/training/events';
import { shuffledImageBatches } from '../src/core/training/imageBatches';
import { RunPosition } from '../src/core/training/runPosition';
import type { StepStrategy } from '../src/core/training/stepStrategy';
import { TrainingProgress } from '../src/core/training/trainingProgress';
import { trainingConfig } from './helpers/trainingConfig';
import { epochLine } from '../src/app/epochLine';

const training = trainingConfig({
  optimizer: 'sgd',
  learningRate: 0.1,
  epochs: 3,
  batchSize: 4,
  seed: 1,
});

const images = { pixels: Float32Array.from({ length: 10 * 4 }, (_, i) => (i % 9) / 9), count: 10, height: 2, width: 2 };

/** A step strategy that records how the loop drives it; each step's loss is the batch's first pixel + 1. */
function recordingStrategy(calls: string[]): StepStrategy {
  return {
    description: 'recording steps',
    loadWeights: () => void calls.push('load'),
    step: (x, _y, n, rate) => (calls.push(`step ${n} at ${rate}`), x[0] + 1),
    storeWeights: () => void calls.push('store'),
    resumeState: () => ({ optimizer: 'sgd' }),
    restoreState: () => undefined,
    dispose: () => void calls.push('dispose'),
  };
}

/** The loop's parts around a strategy; validation losses come from `valLosses`, epoch by epoch. */
function loopAround(steps: StepStrategy, calls: string[], valLosses: number[], extra: Partial<EpochLoopContext> = {}) {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [4] })] });
  const config = { ...training, ...extra.training };
  const batches = shuffledImageBatches(() => ({ inputs: images, targets: images }), 1, config);
  const position = new RunPosition(0, config.epochs, batches.batchesPerEpoch);
  const events: TrainingEvent[] = [];
  let validated = 0;
  const run: EpochLoopContext = {
    training: config,
    position,
    batches,
    steps,
    guard: new DivergenceGuard(config.divergenceFactor, config.learningRate, config.optimizer),
    progress: new TrainingProgress(position),
    best: new BestWeights(model, config.earlyStopping?.patience, 0),
    collapse: new CollapseWatch(config.loss),
    validate: () => {
      calls.push('validate');
      const loss = valLosses[validated++];
      return { loss, quality: { mse: loss, psnr: 20, ssim: 0.5, count: 2 }, outputs: Float32Array.of(0, 1, 0, 1) };
    },
    records: [],
    onEvent: (e) => events.push(e),
    afterEpoch: (record) => void calls.push(`after ${record.epoch}`),
    ...extra,
  };
  return { run, events, dispose: () => model.dispose() };
}

test('the loop loads weights, steps every batch, stores weights, then validates and records each epoch', async () => {
  const calls: string[] = [];
  const loop = loopAround(recordingStrategy(calls), calls, [0.3, 0.2, 0.1]);
  const status = await runEpochs(loop.run);
  loop.dispose();
  assert.equal(status, 'completed');
  const steps = ['step 4 at 0.1', 'step 4 at 0.1', 'step 2 at 0.1'];
  const epoch = (n: number) => ['load', ...steps, 'store', 'validate', `after ${n}`];
  assert.deepEqual(calls, [...epoch(1), ...epoch(2), ...epoch(3)]);
  const records = loop.run.records.map((r) => [r.epoch, r.valLoss, r.best]);
  assert.deepEqual(records, [
    [1, 0.3, true],
    [2, 0.2, true],
    [3, 0.1, true],
  ]);
  const batchEvents = loop.events.filter((e) => e.type === 'batch');
  assert.equal(batchEvents.length, 9);
  const epoch1 = batchEvents.slice(0, 3).map((e) => (e.type === 'batch' ? e.loss : NaN));
  const expected = (epoch1[0] * 4 + epoch1[1] * 4 + epoch1[2] * 2) / 10;
  assert.ok(Math.abs(loop.run.records[0].trainLoss - expected) < 1e-12, 'train loss is the sample-weighted batch mean');
});

test('a stop mid-epoch returns stopped without recording the partial epoch, and the weights are stored', async () => {
  const calls: string[] = [];
  const controller = new AbortController();
  const strategy = recordingStrategy(calls);
  const stopAfterFirstStep = {
    ...strategy,
    step: (...args: Parameters<StepStrategy['step']>) => (controller.abort(), strategy.step(...args)),
  };
  const loop = loopAround(stopAfterFirstStep, calls, [0.3, 0.2, 0.1], { signal: controller.signal });
  const status = await runEpochs(loop.run);
  loop.dispose();
  assert.equal(status, 'stopped');
  assert.deepEqual(calls, ['load', 'step 4 at 0.1', 'store']);
  assert.equal(loop.run.records.length, 0);
});

test('early stopping ends the loop once validation has not improved for patience epochs', async () => {
  const loop = loopAround(recordingStrategy([]), [], [0.2, 0.3, 0.4, 0.5], {
    training: { ...training, epochs: 4, earlyStopping: { patience: 2, minDelta: 0 } },
  });
  const status = await runEpochs(loop.run);
  loop.dispose();
  assert.equal(status, 'earlyStopped');
  assert.deepEqual(
    loop.run.records.map((r) => r.epoch),
    [1, 2, 3],
  );
  assert.equal(loop.run.best.epoch, 1);
});

test('a step whose loss is not finite stops the loop with a DivergenceError naming the batch', async () => {
  const strategy = { ...recordingStrategy([]), step: () => NaN };
  const loop = loopAround(strategy, [], [0.3]);
  await assert.rejects(
    runEpochs(loop.run),
    (err: Error) => err instanceof DivergenceError && /epoch 1, batch 1/.test(err.message),
  );
  loop.dispose();
});

test('each epoch records how long its steps waited for batches, and the epoch line shows that share', async () => {
  const calls: string[] = [];
  const loop = loopAround(recordingStrategy(calls), calls, [0.3, 0.2, 0.1]);
  const source = loop.run.batches;
  // Batches that take 15 ms each to make (a slow disk, say), around steps that take no time.
  const slow: typeof source = {
    batchesPerEpoch: source.batchesPerEpoch,
    epoch: (e) => {
      const batches = source.epoch(e);
      return {
        ...batches,
        batch: (b) => {
          const until = performance.now() + 15;
          while (performance.now() < until);
          return batches.batch(b);
        },
      };
    },
    resumeState: () => source.resumeState(),
    restoreState: (s) => source.restoreState(s),
  };
  await runEpochs({ ...loop.run, batches: slow });
  loop.dispose();
  const [first] = loop.run.records;
  assert.ok(first.dataSeconds! >= 0.045, `3 batches of 15 ms waited ${first.dataSeconds} s`);
  assert.ok(first.dataSeconds! <= first.seconds, 'the wait is part of the epoch');
  const event = loop.events.find((e) => e.type === 'epoch');
  assert.ok(event?.type === 'epoch');
  const share = Number(/ data (\d+\.\d)%/.exec(epochLine(event))?.[1]);
  assert.ok(share > 50 && share <= 100, `${epochLine(event)}: the batches were most of the epoch`);
});
