import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Model, Training } from '../src/core/config/experimentConfig.generated';
import { initEngine } from '../src/core/engine/selectEngine';
import { loadBlas } from '../src/core/engine/blas/loadBlas';
import { loadOneDnn } from '../src/core/engine/onednn/loadOneDnn';
import { SeededRandom } from '../src/core/random/seededRandom';
import { freshModel, resumeFrom, trainSession, withoutClock, type Scenario } from './helpers/resumeInProcess';
import { worstDifference } from './helpers/tapeAgainstDirect';
import { trainingConfig } from './helpers/trainingConfig';

const hasBlas = loadBlas(0).blas !== undefined;
before(async () => {
  if (hasBlas) await initEngine('wasm-blas');
});
const noBlas = hasBlas ? false : 'no system BLAS on this machine (CI installs libopenblas0-pthread)';
const noOneDnn =
  noBlas ||
  (loadOneDnn().onednn ? false : `no oneDNN here (CI installs libdnnl2): ${loadOneDnn().problems.join('; ')}`);

// 150 images of 10x10 in batches of 32: 5 batches an epoch, the last one smaller.
const image = { height: 10, width: 10 };
const count = 150;
const rng = new SeededRandom(5);
const clean = { pixels: Float32Array.from({ length: count * 100 }, () => rng.next()), count, ...image };
/** Fresh noise per epoch (epoch 0 is validation's), drawn from a stream derived from the epoch. */
const noisy = (epoch: number) => {
  const r = SeededRandom.derive(9, `noise/${epoch}`);
  return { ...clean, pixels: clean.pixels.map((v) => Math.min(1, Math.max(0, v + 0.3 * (r.next() - 0.5)))) };
};
const training = (extra: Partial<Training>): Training =>
  trainingConfig({
    optimizer: 'adam',
    learningRate: 0.003,
    epochs: 3,
    batchSize: 32,
    seed: 4,
    ...extra,
  });

/**
 * The uninterrupted run, the same run taking checkpoints (which must not change it), and a resume from a
 * checkpoint within epoch 2 and from the end of epoch 1: each ends at the uninterrupted weights (to 1e-6)
 * with the same epoch lines but for their wall-clock fields.
 */
async function checkExactResume(scenario: Scenario): Promise<void> {
  const reference = await trainSession(scenario, freshModel(scenario));
  assert.match(reference.result.steps, scenario.directSteps ? /directly on/ : /tape/, 'the step path under test');
  // due() is asked after batches 1-4 of each epoch: call 6 is after batch 2 of epoch 2.
  const checkpointed = await trainSession(scenario, freshModel(scenario), { checkpointAt: [6] });
  assert.deepEqual(
    checkpointed.records.map(withoutClock),
    reference.records.map(withoutClock),
    'checkpoints change nothing',
  );
  assert.equal(worstDifference(checkpointed.weights, reference.weights), 0);
  const positions = checkpointed.checkpoints.map((c) => [c.state.epochsDone, c.state.batchesDone]);
  assert.deepEqual(
    positions,
    [
      [1, 0],
      [1, 2],
      [2, 0],
      [3, 0],
    ],
    'after each epoch and once within epoch 2',
  );
  for (const index of [1, 0]) {
    const resumed = await resumeFrom(scenario, checkpointed, index);
    const [epochs, batches] = positions[index];
    const where = `resumed after ${epochs} epochs and ${batches} batches`;
    assert.deepEqual(
      resumed.records.map(withoutClock),
      reference.records.map(withoutClock),
      `${where}: the same metrics lines`,
    );
    const difference = worstDifference(resumed.weights, reference.weights);
    assert.ok(difference <= 1e-6, `${where}: weights differ by ${difference}`);
    assert.equal(resumed.result.bestEpoch, reference.result.bestEpoch);
  }
}

const dense: Model = { type: 'dense', depth: 5, codeSize: 16, activation: 'relu', outputActivation: 'sigmoid' };

test('a dense Adam run through the tape resumes exactly, mid-epoch and at an epoch end', () =>
  checkExactResume({ model: dense, training: training({}), directSteps: false, noisy, clean }));

test('a VAE resumes with its latent noise where it stopped (tape, Adam, early stopping kept)', () =>
  checkExactResume({
    model: { type: 'vae', hiddenSizes: [32], latentSize: 4, klWeight: 1, activation: 'relu' },
    training: training({
      earlyStopping: { patience: 5, minDelta: 0 },
      learningRateSchedule: { type: 'cosine', warmupBatches: 3, finalFraction: 0.1, factor: 0.5, everyEpochs: 1 },
    }),
    directSteps: false,
    noisy,
    clean,
  }));

test('a VAE on the oneDNN plan resumes with its latent noise where it stopped (Adam)', { skip: noOneDnn }, () =>
  checkExactResume({
    model: { type: 'vae', hiddenSizes: [32], latentSize: 4, klWeight: 1, activation: 'relu' },
    training: training({ loss: 'bce' }),
    directSteps: true,
    noisy,
    clean,
  }),
);

test('a dense momentum run through the tape resumes exactly', () =>
  checkExactResume({
    model: dense,
    training: training({ optimizer: 'momentum', learningRate: 0.05 }),
    directSteps: false,
    noisy,
    clean,
  }));

test('a dense SGD run on the direct BLAS step resumes exactly', { skip: noBlas }, () =>
  checkExactResume({
    model: dense,
    training: training({ optimizer: 'sgd', learningRate: 0.2 }),
    directSteps: true,
    noisy,
    clean,
  }),
);

test('a dense Adam run on the direct BLAS step resumes exactly', { skip: noBlas }, () =>
  checkExactResume({ model: dense, training: training({}), directSteps: true, noisy, clean }),
);

test('a residual CNN (Adam) on the direct oneDNN step resumes exactly', { skip: noOneDnn }, () =>
  checkExactResume({
    model: { type: 'dncnn', depth: 3, filters: 8, batchNorm: false },
    training: training({}),
    directSteps: true,
    noisy,
    clean,
  }),
);

const dncnnWithBatchNorm: Model = { type: 'dncnn', depth: 3, filters: 6, batchNorm: true };
test(
  'a DnCNN with batch norm (Adam) on the general oneDNN plan resumes exactly, moving statistics included',
  { skip: noOneDnn },
  () => checkExactResume({ model: dncnnWithBatchNorm, training: training({}), directSteps: true, noisy, clean }),
);
