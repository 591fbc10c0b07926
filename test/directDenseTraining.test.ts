import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { initEngine } from '../src/core/engine/selectEngine';
import { loadBlas } from '../src/core/engine/blas/loadBlas';
import { buildDenoiser } from '../src/core/models/buildDenoiser';
import { directDenseTraining } from '../src/core/training/directDenseTraining';
import { SeededRandom } from '../src/core/random/seededRandom';
import type { DenseModel, Model, Training } from '../src/core/config/experimentConfig.generated';
import { assertSameEpochLosses, trainOnce, weightsInLayerOrder, worstDifference } from './helpers/tapeAgainstDirect';
import { trainingConfig } from './helpers/trainingConfig';

const hasBlas = loadBlas(0).blas !== undefined;
before(async () => {
  if (hasBlas) await initEngine('wasm-blas');
});
const noBlas = hasBlas ? false : 'no system BLAS on this machine (CI installs libopenblas0-pthread)';

const image = { height: 8, width: 8 };
const rng = new SeededRandom(5);
const clean = { pixels: Float32Array.from({ length: 320 * 64 }, () => rng.next()), count: 320, ...image };
const noisy = {
  pixels: clean.pixels.map((v) => Math.min(1, Math.max(0, v + 0.3 * (rng.next() - 0.5)))),
  count: 320,
  ...image,
};
const seedDense: DenseModel = {
  type: 'dense',
  depth: 5,
  codeSize: 16,
  activation: 'relu',
  outputActivation: 'sigmoid',
};
const sgd = trainingConfig({
  optimizer: 'sgd',
  learningRate: 1,
  epochs: 3,
  batchSize: 64,
  seed: 2,
});

/** Trains a fresh model (same initial weights each time) and returns its epoch losses and final weights. */
async function train(model: Model, training: Training, directSteps: boolean, freezeFirst = 0) {
  const denoiser = buildDenoiser(model, image, 9);
  denoiser.model.layers
    .filter((l) => l.getClassName() === 'Dense')
    .slice(0, freezeFirst)
    .forEach((l) => (l.trainable = false));
  return trainOnce(denoiser, training, directSteps, noisy, clean);
}

test("a dense SGD run trains directly on BLAS and ends where TensorFlow.js's tape ends", { skip: noBlas }, async () => {
  const tape = await train(seedDense, sgd, false);
  const direct = await train(seedDense, sgd, true);
  const said = direct.events.find((e) => e.type === 'log' && /directly on BLAS/.test(e.message));
  assert.ok(said, 'the run log says the steps run directly on BLAS');
  assert.ok(!tape.events.some((e) => e.type === 'log' && /directly on BLAS/.test(e.message)));
  assertSameEpochLosses(tape, direct);
  assert.ok(direct.result.epochs[2].valLoss < direct.result.epochs[0].valLoss, 'the loss went down');
  const difference = worstDifference(tape.weights, direct.weights);
  assert.ok(difference < 1e-4, `weights differ by ${difference}`);
  assert.equal(new Set(direct.tensorCounts).size, 1, `tensor counts per epoch: ${direct.tensorCounts.join(', ')}`);
});

test('tanh hidden layers and a linear output also end where the tape ends', { skip: noBlas }, async () => {
  const model: DenseModel = { ...seedDense, activation: 'tanh', outputActivation: 'linear' };
  const training = { ...sgd, learningRate: 0.05, epochs: 2 };
  const tape = await train(model, training, false);
  const direct = await train(model, training, true);
  assert.ok(direct.events.some((e) => e.type === 'log' && /tanh, tanh, tanh, linear/.test(e.message)));
  direct.result.epochs.forEach((epoch, i) => {
    const other = tape.result.epochs[i].trainLoss;
    assert.ok(
      Math.abs(epoch.trainLoss - other) / other < 1e-4,
      `epoch ${i + 1} train loss ${epoch.trainLoss} vs ${other}`,
    );
  });
  const difference = worstDifference(tape.weights, direct.weights);
  assert.ok(difference < 1e-4, `weights differ by ${difference}`);
});

test('Adam and momentum also end where the tape ends, frozen layers included', { skip: noBlas }, async () => {
  for (const [training, freeze] of [
    [{ ...sgd, optimizer: 'adam', learningRate: 0.002 }, 0],
    [{ ...sgd, optimizer: 'momentum', learningRate: 0.1 }, 1],
  ] as const) {
    const tape = await train(seedDense, training, false, freeze);
    const direct = await train(seedDense, training, true, freeze);
    assert.ok(
      direct.events.some(
        (e) => e.type === 'log' && e.message.includes(`dense ${training.optimizer} steps run directly on BLAS`),
      ),
    );
    tape.result.epochs.forEach((epoch, i) => {
      const other = direct.result.epochs[i].trainLoss;
      assert.ok(
        Math.abs(epoch.trainLoss - other) / epoch.trainLoss < 1e-4,
        `${training.optimizer} epoch ${i + 1} train loss ${epoch.trainLoss} vs ${other}`,
      );
    });
    assert.ok(
      direct.result.epochs[2].valLoss < direct.result.epochs[0].valLoss,
      `${training.optimizer}: the loss went down`,
    );
    const difference = worstDifference(tape.weights, direct.weights);
    assert.ok(difference < 1e-4, `${training.optimizer}: weights differ by ${difference}`);
  }
});

test('frozen layers keep their weights on the direct path, as on the tape', { skip: noBlas }, async () => {
  const tape = await train(seedDense, sgd, false, 2);
  const direct = await train(seedDense, sgd, true, 2);
  const initial = buildDenoiser(seedDense, image, 9);
  const start = weightsInLayerOrder(initial.model);
  initial.model.dispose();
  // Weights 0-3 are the two frozen layers' kernels and biases; the rest trained.
  assert.equal(worstDifference(start.slice(0, 4), direct.weights.slice(0, 4)), 0);
  assert.ok(worstDifference(start.slice(4), direct.weights.slice(4)) > 1e-3, 'the unfrozen layers trained');
  assert.ok(worstDifference(tape.weights, direct.weights) < 1e-4);
});

test('only dense models with MSE on wasm-blas take the direct path', { skip: noBlas }, () => {
  const eligible = (model: Model, training: Training) => {
    const denoiser = buildDenoiser(model, image, 1);
    const direct = directDenseTraining(denoiser, training);
    denoiser.model.dispose();
    return direct !== undefined;
  };
  assert.equal(eligible(seedDense, sgd), true);
  assert.equal(eligible({ ...seedDense, activation: 'tanh', outputActivation: 'linear' }, sgd), true);
  assert.equal(eligible(seedDense, { ...sgd, optimizer: 'adam' }), true);
  assert.equal(eligible(seedDense, { ...sgd, optimizer: 'momentum' }), true);
  assert.equal(eligible(seedDense, { ...sgd, loss: 'bce' }), false);
  assert.equal(
    eligible({ ...seedDense, activation: 'leakyRelu' }, sgd),
    false,
    'a LeakyReLU layer is not a plain activation',
  );
  assert.equal(eligible({ ...seedDense, activation: 'elu' }, sgd), false);
  assert.equal(
    eligible(
      { type: 'conv', filters: [8], kernelSize: 3, activation: 'relu', outputActivation: 'sigmoid' } as Model,
      sgd,
    ),
    false,
  );
});
