import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { Training } from '../src/core/config/experimentConfig.generated';
import { loadConfig, resolveConfig } from '../src/core/config/loadConfig';
import { initEngine } from '../src/core/engine/selectEngine';
import { runExperiment } from '../src/core/experiment/runExperiment';
import { buildDenoiser } from '../src/core/models/buildDenoiser';
import { SeededRandom } from '../src/core/random/seededRandom';
import { readEpochRecords } from '../src/core/runs/metricsLog';
import type { EpochRecord } from '../src/core/training/events';
import {
  isConstantSchedule,
  learningRateAt,
  type LearningRateSchedule,
} from '../src/core/training/learningRateSchedule';
import { makeOptimizer, setLearningRate } from '../src/core/training/optimizers';
import { trainDenoiser } from '../src/core/training/trainer';
import { validateTrainingEvent } from '../src/protocol/validateTrainerMessages';
import { writeTinyExperiment } from './helpers/tinyExperiment';
import { trainingConfig } from './helpers/trainingConfig';

const schedule = (s: Partial<LearningRateSchedule>): LearningRateSchedule => ({
  type: 'constant',
  warmupBatches: 0,
  finalFraction: 0,
  factor: 0.5,
  everyEpochs: 1,
  ...s,
});
const ratesOver = (s: LearningRateSchedule, totalBatches: number, batchesPerEpoch: number, lr = 0.01) =>
  Array.from({ length: totalBatches + 1 }, (_, batch) =>
    learningRateAt(lr, s, { batch, totalBatches, batchesPerEpoch }),
  );
const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} vs ${b}`);

test('cosine starts at the learning rate, falls monotonically and ends at learningRate * finalFraction', () => {
  const rates = ratesOver(schedule({ type: 'cosine', finalFraction: 0.1 }), 1000, 100);
  close(rates[0], 0.01, 'first batch');
  close(rates[500], 0.01 * (0.1 + 0.9 * 0.5), 'half way: half way between the two ends');
  close(rates[1000], 0.001, 'end of the run');
  assert.ok(rates[999] > 0.001, 'the last batch still has a rate above the floor');
  for (let i = 1; i < rates.length; i++)
    assert.ok(rates[i] < rates[i - 1], `batch ${i}: ${rates[i]} >= ${rates[i - 1]}`);
  close(ratesOver(schedule({ type: 'cosine' }), 1000, 100)[1000], 0, 'finalFraction defaults to 0');
});

test('warm-up ramps linearly from near 0, then cosine decays from the full rate over the batches after it', () => {
  const rates = ratesOver(schedule({ type: 'cosine', warmupBatches: 100, finalFraction: 0.05 }), 1100, 100);
  close(rates[0], 0.01 / 100, 'first batch');
  close(rates[49], 0.01 / 2, 'half way through the warm-up');
  close(rates[99], 0.01, 'last warm-up batch');
  close(rates[100], 0.01, 'first batch after the warm-up');
  close(rates[600], 0.01 * (0.05 + 0.95 * 0.5), 'half way through the decay');
  close(rates[1100], 0.0005, 'end of the run');
  for (let i = 1; i < 100; i++) assert.ok(rates[i] > rates[i - 1], `warm-up batch ${i} does not rise`);
  for (let i = 101; i <= 1100; i++) assert.ok(rates[i] < rates[i - 1], `decay batch ${i} does not fall`);
  const constant = ratesOver(schedule({ warmupBatches: 10 }), 50, 10);
  close(constant[4], 0.005, 'constant schedule warm-up');
  assert.ok(
    constant.slice(10).every((r) => r === 0.01),
    'a constant schedule holds the rate after its warm-up',
  );
});

test('step multiplies by factor every everyEpochs epochs and stops at the finalFraction floor', () => {
  const perEpoch = ratesOver(schedule({ type: 'step', factor: 0.5, everyEpochs: 2 }), 600, 100, 1);
  const firstOfEpoch = [0, 100, 200, 300, 400, 500].map((b) => perEpoch[b]);
  assert.deepEqual(firstOfEpoch, [1, 1, 0.5, 0.5, 0.25, 0.25], 'halved at the start of epochs 3 and 5');
  assert.equal(perEpoch[199], 1, 'the last batch of epoch 2 still has the full rate');
  const floored = ratesOver(schedule({ type: 'step', factor: 0.1, everyEpochs: 1, finalFraction: 0.05 }), 400, 100, 1);
  assert.deepEqual(
    [0, 100, 200, 300].map((b) => floored[b]),
    [1, 0.1, 0.05, 0.05],
  );
});

test('no schedule and the constant one give the configured rate and need no per-batch work', () => {
  assert.equal(learningRateAt(0.3, undefined, { batch: 77, totalBatches: 100, batchesPerEpoch: 10 }), 0.3);
  assert.ok(ratesOver(schedule({}), 100, 10, 0.3).every((r) => r === 0.3));
  assert.equal(isConstantSchedule(undefined), true);
  assert.equal(isConstantSchedule(schedule({})), true);
  assert.equal(isConstantSchedule(schedule({ warmupBatches: 5 })), false);
  assert.equal(isConstantSchedule(schedule({ type: 'cosine' })), false);
});

test('the schema fills the schedule defaults and rejects values out of range', () => {
  const base = {
    dataset: { source: 'mnist' },
    noise: { steps: [{ type: 'gaussian' }] },
    model: { type: 'dense', depth: 3, codeSize: 32 },
  };
  const filled = resolveConfig({ ...base, training: { learningRateSchedule: { type: 'cosine' } } }).config;
  assert.deepEqual(filled?.training.learningRateSchedule, {
    type: 'cosine',
    warmupBatches: 0,
    finalFraction: 0,
    factor: 0.5,
    everyEpochs: 1,
  });
  assert.equal(
    resolveConfig(base).config?.training.learningRateSchedule,
    undefined,
    'an existing config stays without a schedule',
  );
  const bad = resolveConfig({ ...base, training: { learningRateSchedule: { type: 'linear', finalFraction: 2 } } });
  const problems = bad.problems.map((p) => p.path).sort();
  assert.deepEqual(problems, ['training.learningRateSchedule.finalFraction', 'training.learningRateSchedule.type']);
});

test('setLearningRate changes the next step of sgd, momentum and adam', () => {
  for (const optimizer of ['sgd', 'momentum', 'adam'] as const) {
    const opt = makeOptimizer({ optimizer, learningRate: 1, momentum: 0.9 } as Training);
    setLearningRate(opt, optimizer, 0.01);
    const x = tf.variable(tf.scalar(0));
    // d(x)/dx = 1: the first step of each of the three moves x by minus the learning rate.
    opt.minimize(() => x.mul(1).asScalar(), false, [x]);
    const moved = x.dataSync()[0];
    assert.ok(Math.abs(moved + 0.01) < 1e-6, `${optimizer} moved x to ${moved}, expected -0.01`);
    x.dispose();
    opt.dispose();
  }
});

const syntheticTraining = (s: LearningRateSchedule | undefined, optimizer: Training['optimizer'] = 'sgd'): Training =>
  trainingConfig({
    optimizer,
    learningRate: 0.05,
    epochs: 4,
    batchSize: 50,
    seed: 1,
    ...(s ? { learningRateSchedule: s } : {}),
  });

async function trainSynthetic(training: Training, history?: EpochRecord[]) {
  await initEngine('auto');
  const rng = new SeededRandom(5);
  const images = { pixels: Float32Array.from({ length: 200 * 64 }, () => rng.next()), count: 200, height: 8, width: 8 };
  const denoiser = buildDenoiser(
    { type: 'dense', depth: 3, codeSize: 16, activation: 'relu', outputActivation: 'sigmoid' },
    { height: 8, width: 8 },
    1,
  );
  const tensorsAfterEpoch: number[] = [];
  try {
    const result = await trainDenoiser({
      denoiser,
      training,
      history,
      trainPairs: () => ({ inputs: images, targets: images }),
      valPairs: { inputs: images, targets: images },
      afterEpoch: () => void tensorsAfterEpoch.push(tf.memory().numTensors),
    });
    return { records: result.epochs, tensorsAfterEpoch };
  } finally {
    denoiser.model.dispose();
  }
}

test('a resumed run continues the schedule where it stopped, and scheduling leaks no tensors', async () => {
  const cosine = schedule({ type: 'cosine', warmupBatches: 3, finalFraction: 0.1 });
  for (const optimizer of ['sgd', 'momentum', 'adam'] as const) {
    const whole = await trainSynthetic(syntheticTraining(cosine, optimizer));
    // 200 images in batches of 50: 4 batches per epoch, 16 in the run; each record has its last batch's rate.
    const expected = [3, 7, 11, 15].map((batch) =>
      learningRateAt(0.05, cosine, { batch, totalBatches: 16, batchesPerEpoch: 4 }),
    );
    assert.deepEqual(
      whole.records.map((r) => r.learningRate),
      expected,
      optimizer,
    );
    assert.equal(
      new Set(whole.tensorsAfterEpoch).size,
      1,
      `${optimizer} tensors per epoch: ${whole.tensorsAfterEpoch.join(', ')}`,
    );
    const resumed = await trainSynthetic(syntheticTraining(cosine, optimizer), whole.records.slice(0, 2));
    assert.deepEqual(
      resumed.records.map((r) => [r.epoch, r.learningRate]),
      [
        [3, expected[2]],
        [4, expected[3]],
      ],
      `${optimizer} resumed`,
    );
  }
});

test('a tiny real run records a falling rate with cosine and the configured rate without a schedule', async () => {
  const extra = (training: Record<string, unknown>) => ({
    dataset: { trainSize: 400, valSize: 100, testSize: 100 },
    training: { epochs: 2, batchSize: 50, learningRate: 0.002, ...training },
    evaluation: { sampleImages: 2, readability: false, baselines: [] },
  });
  const cosine = await runExperiment(
    loadConfig(writeTinyExperiment(extra({ learningRateSchedule: { type: 'cosine', warmupBatches: 2 } }), 'cosine')),
  );
  assert.equal(cosine.summary.status, 'completed');
  const scheduled = readEpochRecords(cosine.runDir).map((r) => r.learningRate!);
  assert.equal(scheduled.length, 2);
  assert.ok(scheduled[1] < scheduled[0], `metrics.jsonl rates ${scheduled.join(', ')} do not fall`);
  assert.ok(scheduled[0] < 0.002 && scheduled[1] > 0, `rates ${scheduled.join(', ')} are inside (0, 0.002)`);

  const events: unknown[] = [];
  const constant = await runExperiment(loadConfig(writeTinyExperiment(extra({}), 'constant')), {
    onEvent: (e) => events.push(e),
  });
  assert.deepEqual(
    readEpochRecords(constant.runDir).map((r) => r.learningRate),
    [0.002, 0.002],
  );
  // The rate reaches the extension: the trainer-message validator keeps it.
  const epochEvent = events.find((e) => (e as { type: string }).type === 'epoch');
  const checked = validateTrainingEvent(JSON.parse(JSON.stringify(epochEvent)));
  assert.ok(checked.ok && checked.value.type === 'epoch', checked.ok ? '' : checked.reason);
  assert.equal((checked.value as EpochRecord).learningRate, 0.002);
});
